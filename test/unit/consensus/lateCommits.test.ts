// Late commit votes (DESIGN §Consensus; issue 9 "bitmaps that reflect availability"): the leader commits
// at quorum and keeps collecting verified COMMITs for that block, so the proof its next proposal
// carries holds every signer that answered in time; forged or foreign late votes add nothing.
import { describe, expect, test } from "bun:test";
import {
  type Commit, type ConsensusAction, type ConsensusEvent, type ConsensusState, type Prepare, type StepContext,
  bitmapFromSlots, commitPayload, createConsensusState, preparePayload, slotsOfBitmap, step,
} from "../../../src/consensus/index.ts";
import { bls, bytes, contextFor, leaderFixture } from "./_fixtures.ts";

const { sks, committee, head, verifier, block1, hash1 } = leaderFixture();

type Verify = Extract<ConsensusAction, { type: "verify" }>;

/** Step, answering every signature check at once with the real verifier. */
function run(state: ConsensusState, event: ConsensusEvent, ctx: StepContext, answer = true): { state: ConsensusState; actions: ConsensusAction[] } {
  const r = step(state, event, ctx);
  let s = r.state;
  const actions = [...r.actions];
  if (!answer) return { state: s, actions };
  for (const v of r.actions.filter((a): a is Verify => a.type === "verify")) {
    const next = run(s, { type: "verified", id: v.id, results: verifier.verify(v.checks) }, ctx);
    s = next.state;
    actions.push(...next.actions);
  }
  return { state: s, actions };
}

const prepare = (slot: number): Prepare => ({ kind: "prepare", height: 1n, view: 0n, blockHash: hash1, signers: bitmapFromSlots(4, [slot]), signature: bls.sign(sks[slot] as Uint8Array, preparePayload(hash1)) });
const commit = (slot: number, sk = sks[slot] as Uint8Array): Commit => ({
  kind: "commit", height: 1n, view: 0n, blockHash: hash1, blockView: 0n, signers: bitmapFromSlots(4, [slot]), signature: bls.sign(sk, commitPayload(1n, hash1, 0n)),
});
const msg = (message: Prepare | Commit, from: string): ConsensusEvent => ({ type: "message", message, from });

/** The leader (slot 0) after committing block 1 with slots 0, 1, 2. */
function committedAtQuorum() {
  const ctx = contextFor(sks, [0]);
  let r = run(createConsensusState({ config: { committee, mySlots: [0], viewChangeBaseMs: 1000, blocksPerLeader: 4 }, head }), { type: "start" }, ctx);
  r = run(r.state, { type: "propose", height: 1n, view: 0n, block: block1 }, ctx);
  for (const s of [1, 2]) r = run(r.state, msg(prepare(s), `p${s}`), ctx);
  for (const s of [1, 2]) r = run(r.state, msg(commit(s), `p${s}`), ctx);
  expect(r.state.height).toBe(2n);
  expect(slotsOfBitmap(r.state.head.commit?.bitmap ?? new Uint8Array(0))).toEqual([0, 1, 2]);
  return { ctx, state: r.state };
}

describe("late commits", () => {
  test("a COMMIT after the quorum joins the head's proof; the leader schedule's bitmaps stay as everyone saw them", () => {
    const { ctx, state } = committedAtQuorum();
    const r = run(state, msg(commit(3), "p3"), ctx);
    const proof = r.state.head.commit;
    expect(slotsOfBitmap(proof?.bitmap ?? new Uint8Array(0))).toEqual([0, 1, 2, 3]);
    expect(verifier.verify([{ publicKeys: [...committee.keys], message: commitPayload(1n, hash1, 0n), signature: proof?.signature ?? new Uint8Array(0) }])).toEqual([true]);
    expect(slotsOfBitmap(r.state.recentBitmaps[r.state.recentBitmaps.length - 1] ?? new Uint8Array(0))).toEqual([0, 1, 2]);
    expect(r.actions.some((a) => a.type === "penalize")).toBe(false);
    // The same vote again adds nothing and asks for no check.
    const again = step(r.state, msg(commit(3), "p3"), ctx);
    expect(again.actions.filter((a) => a.type === "verify")).toHaveLength(0);
  });

  test("a forged late COMMIT is penalized and changes nothing; a COMMIT for another block is ignored", () => {
    const { ctx, state } = committedAtQuorum();
    const forged = run(state, msg(commit(3, bls.keygen(new Uint8Array(32).fill(77))), "forger"), ctx);
    expect(forged.actions.filter((a) => a.type === "penalize")).toEqual([{ type: "penalize", from: "forger", reason: "invalid commit signature" }]);
    expect(slotsOfBitmap(forged.state.head.commit?.bitmap ?? new Uint8Array(0))).toEqual([0, 1, 2]);
    const other = { ...commit(3), blockHash: bytes(32, 9) };
    const r = step(state, msg(other, "p3"), ctx);
    expect(r.actions).toHaveLength(0);
  });

  test("a COMMIT still waiting when the quorum is reached becomes a late commit, not lost with the round", () => {
    const ctx = contextFor(sks, [0]);
    let r = run(createConsensusState({ config: { committee, mySlots: [0], viewChangeBaseMs: 1000, blocksPerLeader: 4 }, head }), { type: "start" }, ctx);
    r = run(r.state, { type: "propose", height: 1n, view: 0n, block: block1 }, ctx);
    for (const s of [1, 2]) r = run(r.state, msg(prepare(s), `p${s}`), ctx);
    // COMMITs of 1 and 2 go to the verifier as one batch; 3 arrives while that batch is out.
    r = run(r.state, msg(commit(1), "p1"), ctx, false);
    const batch = step(r.state, msg(commit(2), "p2"), ctx);
    const held = batch.actions.find((a): a is Verify => a.type === "verify") as Verify;
    let state = step(batch.state, msg(commit(3), "p3"), ctx).state;
    expect(state.round.commits.pending).toHaveLength(1);
    const done = run(state, { type: "verified", id: held.id, results: verifier.verify(held.checks) }, ctx);
    state = done.state;
    expect(state.height).toBe(2n);
    expect(slotsOfBitmap(state.head.commit?.bitmap ?? new Uint8Array(0))).toEqual([0, 1, 2, 3]);
  });

  test("a validator that is not the leader keeps no late book", () => {
    const ctx = contextFor(sks, [1]);
    const s = run(createConsensusState({ config: { committee, mySlots: [1], viewChangeBaseMs: 1000, blocksPerLeader: 4 }, head }), { type: "start" }, ctx);
    expect(s.state.late).toBeNull();
    expect(step(s.state, msg(commit(3), "p3"), ctx).actions.filter((a) => a.type === "verify")).toHaveLength(0);
  });
});

describe("late commits at a handover", () => {
  test("the next leader's own COMMIT joins the proof it builds on, and a COMMIT sent to it early waits for the block", () => {
    // blocksPerLeader 1: every block hands over; slot 1 leads height 2 after slot 0 led height 1.
    const config = (mySlots: number[]) => ({ committee, mySlots, viewChangeBaseMs: 1000, blocksPerLeader: 1 });
    const ctx0 = contextFor(sks, [0]);
    const ctx1 = contextFor(sks, [1]);
    let leader = run(createConsensusState({ config: config([0]), head }), { type: "start" }, ctx0);
    let next = run(createConsensusState({ config: config([1]), head }), { type: "start" }, ctx1);
    leader = run(leader.state, { type: "propose", height: 1n, view: 0n, block: block1 }, ctx0);
    const announce = leader.actions.find((a) => a.type === "broadcast") as Extract<ConsensusAction, { type: "broadcast" }>;
    next = run(next.state, { type: "message", message: announce.message, from: "leader" }, ctx1);
    next = run(next.state, { type: "blockValidated", hash: hash1, valid: true }, ctx1);
    const myPrepare = next.actions.find((a) => a.type === "send") as Extract<ConsensusAction, { type: "send" }>;
    leader = run(leader.state, msg(myPrepare.message as Prepare, "p1"), ctx0);
    leader = run(leader.state, msg(prepare(2), "p2"), ctx0);
    const prepared = leader.actions.find((a) => a.type === "broadcast" && a.message.kind === "prepared") as Extract<ConsensusAction, { type: "broadcast" }>;
    next = run(next.state, { type: "message", message: prepared.message, from: "leader" }, ctx1);
    expect(next.state.myCommit?.height).toBe(1n);
    // Slot 3's COMMIT reaches slot 1 (the expected next leader) before block 1 is final there.
    next = run(next.state, msg(commit(3), "p3"), ctx1);
    leader = run(leader.state, msg(next.state.myCommit as Commit, "p1"), ctx0);
    leader = run(leader.state, msg(commit(2), "p2"), ctx0);
    const committed = leader.actions.find((a) => a.type === "broadcast" && a.message.kind === "committed") as Extract<ConsensusAction, { type: "broadcast" }>;
    expect(committed).toBeDefined();
    next = run(next.state, { type: "message", message: committed.message, from: "leader" }, ctx1);
    expect(next.state.height).toBe(2n);
    expect(next.state.late?.height).toBe(1n);
    expect(slotsOfBitmap(next.state.head.commit?.bitmap ?? new Uint8Array(0))).toEqual([0, 1, 2, 3]);
  });
});
