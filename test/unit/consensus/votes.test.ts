// Issue 8 item 3: the leader's vote collection against forged votes. Signature checks are answered by
// hand here, late, as the node's worker pool answers them, so a forged vote is still unverified when
// the honest votes for the same slots arrive.
import { describe, expect, test } from "bun:test";
import {
  type ConsensusAction, type ConsensusEvent, type ConsensusState, type Prepare, type StepContext,
  bitmapFromSlots, createConsensusState, preparePayload, step,
} from "../../../src/consensus/index.ts";
import { bls, bytes, contextFor, leaderFixture } from "./_fixtures.ts";

const { sks, committee, head, verifier, block1, hash1 } = leaderFixture();
const outsider = bls.keygen(new Uint8Array(32).fill(99));

type Verify = Extract<ConsensusAction, { type: "verify" }>;

/** One step; `verify` actions are returned, not answered. */
function at(state: ConsensusState, event: ConsensusEvent, ctx: StepContext) {
  const r = step(state, event, ctx);
  return { state: r.state, actions: [...r.actions], verifies: r.actions.filter((a): a is Verify => a.type === "verify") };
}

function answer(state: ConsensusState, v: Verify, ctx: StepContext) {
  return at(state, { type: "verified", id: v.id, results: verifier.verify(v.checks) }, ctx);
}

function vote(slots: number[], sk?: Uint8Array): Prepare {
  const signature = sk ? bls.sign(sk, preparePayload(hash1)) : bls.aggregateSignatures(slots.map((s) => bls.sign(sks[s] as Uint8Array, preparePayload(hash1))));
  return { kind: "prepare", height: 1n, view: 0n, blockHash: hash1, signers: bitmapFromSlots(4, slots), signature };
}

/** Leader of view 0 (slot 0) that has announced block 1. */
function leader() {
  const ctx = contextFor(sks, [0]);
  let r = at(createConsensusState({ config: { committee, mySlots: [0], viewChangeBaseMs: 1000, blocksPerLeader: 4 }, head }), { type: "start" }, ctx);
  r = at(r.state, { type: "propose", height: 1n, view: 0n, block: block1 }, ctx);
  return { ctx, state: r.state };
}

const msg = (message: Prepare, from: string): ConsensusEvent => ({ type: "message", message, from });

describe("votes at the leader under forgery", () => {
  test("a forged vote claiming just under a quorum neither blocks nor displaces the honest votes for its slots", () => {
    const { ctx, state } = leader();
    let r = at(state, msg(vote([1, 2], outsider), "forger"), ctx);
    const forged = r.verifies[0] as Verify; // leader + claimed slots could be a quorum: checked at once
    expect(r.verifies).toHaveLength(1);
    r = at(r.state, msg(vote([1]), "p1"), ctx);
    r = at(r.state, msg(vote([2]), "p2"), ctx);
    expect(r.verifies).toHaveLength(0); // one batch at a time; the honest votes wait, unbooked
    expect(r.state.round.prepares.pending).toHaveLength(2);
    r = at(r.state, { type: "verified", id: forged.id, results: verifier.verify(forged.checks) }, ctx);
    expect(r.actions.filter((a) => a.type === "penalize")).toEqual([{ type: "penalize", from: "forger", reason: "invalid prepare signature" }]);
    expect(r.verifies).toHaveLength(1);
    expect(r.verifies[0]?.checks).toHaveLength(2);
    r = answer(r.state, r.verifies[0] as Verify, ctx);
    const prepared = r.actions.find((a) => a.type === "broadcast") as Extract<ConsensusAction, { type: "broadcast" }>;
    expect(prepared.message.kind).toBe("prepared");
    expect(r.actions.some((a) => a.type === "penalize")).toBe(false);
  });

  test("honest votes in the same batch as a forgery of their slots are counted; only the forger is penalized", () => {
    const { ctx, state } = leader();
    let r = at(state, msg(vote([3]), "p3"), ctx);
    expect(r.verifies).toHaveLength(0);
    r = at(r.state, msg(vote([1, 3], outsider), "forger"), ctx);
    // The forgery made a quorum look reachable: one batch with p3's vote and the forgery.
    const first = r.verifies[0] as Verify;
    expect(first.checks).toHaveLength(2);
    r = at(r.state, msg(vote([1]), "p1"), ctx);
    expect(r.verifies).toHaveLength(0);
    let after = answer(r.state, first, ctx);
    expect(after.actions.filter((a) => a.type === "penalize").map((a) => (a as { from: string }).from)).toEqual(["forger"]);
    while (!after.actions.some((a) => a.type === "broadcast") && after.verifies.length > 0) after = answer(after.state, after.verifies[0] as Verify, ctx);
    expect(after.state.round.sentPrepared).toBe(true);
    expect(after.state.round.cert?.bitmap).toEqual(bitmapFromSlots(4, [0, 1, 3]));
  });

  test("a forged vote with the leader's own key is checked first: the sender pays, the leader does not halt", () => {
    const { ctx, state } = leader();
    let r = at(state, msg(vote([0, 1], outsider), "forger"), ctx);
    expect(r.verifies).toHaveLength(1);
    r = answer(r.state, r.verifies[0] as Verify, ctx);
    expect(r.actions).toEqual([{ type: "penalize", from: "forger", reason: "invalid signature on prepare" }]);
    expect(r.state.halted).toBe(false);
  });

  test("a valid vote with the leader's key for another block halts it (doppelganger), after verification", () => {
    const { ctx, state } = leader();
    const other = bytes(32, 7);
    const m: Prepare = { kind: "prepare", height: 1n, view: 0n, blockHash: other, signers: bitmapFromSlots(4, [0]), signature: bls.sign(sks[0] as Uint8Array, preparePayload(other)) };
    let r = at(state, msg(m, "p9"), ctx);
    expect(r.state.halted).toBe(false);
    r = answer(r.state, r.verifies[0] as Verify, ctx);
    expect(r.state.halted).toBe(true);
    expect(r.actions.map((a) => a.type)).toEqual(["doppelganger"]);
  });

  test("a flood of forgeries keeps at most one pending vote per slot for its sender; duplicates are kept once", () => {
    const { ctx, state } = leader();
    let s = state;
    for (let i = 0; i < 20; i++) s = at(s, msg(vote([1 + (i % 3)], bls.keygen(new Uint8Array(32).fill(100 + i))), "forger"), ctx).state;
    expect(s.round.prepares.pending.length + s.round.prepares.checking.length).toBeLessThanOrEqual(4 + 1);
    const honest = vote([2]);
    s = at(s, msg(honest, "p2"), ctx).state;
    s = at(s, msg(honest, "relay"), ctx).state;
    expect([...s.round.prepares.pending, ...s.round.prepares.checking].filter((v) => v.msg === honest || v.msg.signature === honest.signature)).toHaveLength(1);
  });
});
