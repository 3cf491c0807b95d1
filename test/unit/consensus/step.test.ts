// The FBFT state machine driven directly: action order, safety across restarts, vote batching,
// evidence, view change, purity. Real BLS keys; blocks are the simulator's.
import { describe, expect, test } from "bun:test";
import {
  type Announce, type ConsensusAction, type ConsensusEvent, type ConsensusState, type Prepare, type StepContext, type ViewChange,
  bitmapFromSlots, commitPayload, createConsensusState, createVoteVerifier, preparePayload, signingBytes, step, viewChangeTimeout,
} from "../../../src/consensus/index.ts";
import { SIM_GENESIS, encodeSimBlock, simBlockCodec } from "../../sim/_sim/simBlock.ts";
import { bls, bytes, committeeOf, contextFor, secretKeys } from "./_fixtures.ts";

const sks = secretKeys(4);
const committee = committeeOf(sks);
const genesis = simBlockCodec.decodeBlockInfo(SIM_GENESIS);
const head = { number: 0n, hash: genesis.hash, viewId: 0n, commit: null };
const verifier = createVoteVerifier(bls);
const config = (slots: number[]) => ({ committee, mySlots: slots, viewChangeBaseMs: 1000, blocksPerLeader: 4 });
const block1 = encodeSimBlock(1n, genesis.hash, 0n, null, bytes(32, 1));
const block1b = encodeSimBlock(1n, genesis.hash, 0n, null, bytes(32, 2));
const info1 = simBlockCodec.decodeBlockInfo(block1);

/** Step and resolve `verify` actions through the real verifier, like a driver would. */
function run(state: ConsensusState, event: ConsensusEvent, ctx: StepContext): { state: ConsensusState; actions: ConsensusAction[] } {
  const actions: ConsensusAction[] = [];
  const queue = [event];
  let s = state;
  while (queue.length > 0) {
    const r = step(s, queue.shift() as ConsensusEvent, ctx);
    s = r.state;
    for (const a of r.actions) {
      actions.push(a);
      if (a.type === "verify") queue.push({ type: "verified", id: a.id, results: verifier.verify(a.checks) });
    }
  }
  return { state: s, actions };
}

function announce(block: Uint8Array, view = 0n): Announce {
  const info = simBlockCodec.decodeBlockInfo(block);
  const unsigned: Announce = { kind: "announce", height: info.number, view, blockHash: info.hash, block, signers: bitmapFromSlots(4, [Number(view % 4n)]), signature: new Uint8Array(0) };
  return { ...unsigned, signature: bls.sign(sks[Number(view % 4n)] as Uint8Array, signingBytes(unsigned)) };
}

function prepareFrom(slot: number, hash: Uint8Array, sk = sks[slot] as Uint8Array): Prepare {
  return { kind: "prepare", height: 1n, view: 0n, blockHash: hash, signers: bitmapFromSlots(4, [slot]), signature: bls.sign(sk, preparePayload(hash)) };
}

function started(slots: number[], safety = null as ConsensusState["safety"] | null) {
  const ctx = contextFor(sks, slots);
  const s0 = createConsensusState({ config: config(slots), head, safety });
  return { ctx, ...run(s0, { type: "start" }, ctx) };
}

describe("FBFT state machine", () => {
  test("the leader of view 0 arms its timer and asks for a block; a validator waits", () => {
    const leader = started([0]);
    expect(leader.actions.map((a) => a.type)).toEqual(["setTimer", "viewChanged", "buildBlock"]);
    expect(leader.actions[0]).toMatchObject({ height: 1n, view: 0n, delayMs: 1000 });
    expect(leader.state.phase).toBe("propose");
    const validator = started([1]);
    expect(validator.actions.map((a) => a.type)).toEqual(["setTimer", "viewChanged"]);
    expect(validator.state.phase).toBe("announce");
  });

  test("validator: ANNOUNCE → verify → validateBlock → persistSafety before PREPARE leaves", () => {
    const v = started([1]);
    const a = run(v.state, { type: "message", message: announce(block1), from: "p0" }, v.ctx);
    expect(a.actions.map((x) => x.type)).toEqual(["verify", "validateBlock"]);
    const b = run(a.state, { type: "blockValidated", hash: info1.hash, valid: true }, v.ctx);
    expect(b.actions.map((x) => x.type)).toEqual(["persistSafety", "send"]);
    const send = b.actions[1] as Extract<ConsensusAction, { type: "send" }>;
    expect(send.toSlot).toBe(0);
    expect(send.message.kind).toBe("prepare");
    expect(bls.verify(committee.keys[1] as Uint8Array, info1.hash, send.message.signature)).toBe(true);
    const rec = (b.actions[0] as Extract<ConsensusAction, { type: "persistSafety" }>).record;
    expect(rec.prepare).toEqual({ view: 0n, hash: info1.hash });
  });

  test("an announce with a bad leader signature is dropped and its sender penalized", () => {
    const v = started([1]);
    const forged = { ...announce(block1), signature: bls.sign(sks[2] as Uint8Array, bytes(8, 1)) };
    const r = run(v.state, { type: "message", message: forged, from: "mallory" }, v.ctx);
    expect(r.actions.map((x) => x.type)).toEqual(["verify", "penalize"]);
    expect(r.state.round.proposal).toBeNull();
  });

  test("never a second PREPARE at one (height, view), also after a restart from the record", () => {
    const v = started([1]);
    let r = run(v.state, { type: "message", message: announce(block1), from: "p0" }, v.ctx);
    r = run(r.state, { type: "blockValidated", hash: info1.hash, valid: true }, v.ctx);
    const record = r.state.safety;
    // An equivocating leader's second block is ignored by the running node...
    const again = run(r.state, { type: "message", message: announce(block1b), from: "p0" }, v.ctx);
    expect(again.actions.filter((a) => a.type === "send" || a.type === "persistSafety")).toEqual([]);
    // ...and by the node restarted from its durable record, which validates it but does not sign.
    const restarted = started([1], record);
    const x = run(restarted.state, { type: "message", message: announce(block1b), from: "p0" }, restarted.ctx);
    const y = run(x.state, { type: "blockValidated", hash: simBlockCodec.decodeBlockInfo(block1b).hash, valid: true }, restarted.ctx);
    expect(y.actions.filter((a) => a.type === "send" || a.type === "persistSafety")).toEqual([]);
  });

  test("leader: votes are verified in one batch once they can make a quorum; a bad one is penalized", () => {
    const l = started([0]);
    let r = run(l.state, { type: "propose", height: 1n, view: 0n, block: block1 }, l.ctx);
    expect(r.actions.map((a) => a.type)).toEqual(["persistSafety", "broadcast"]);
    r = run(r.state, { type: "message", message: prepareFrom(1, info1.hash), from: "p1" }, l.ctx);
    expect(r.actions).toEqual([]); // 2 of 4: no quorum possible yet, nothing verified
    r = run(r.state, { type: "message", message: prepareFrom(2, info1.hash, sks[3]), from: "p2" }, l.ctx); // wrong key
    expect(r.actions.map((a) => a.type)).toEqual(["verify", "penalize"]);
    expect((r.actions[0] as Extract<ConsensusAction, { type: "verify" }>).checks).toHaveLength(2);
    r = run(r.state, { type: "message", message: prepareFrom(2, info1.hash), from: "p2" }, l.ctx);
    const types = r.actions.map((a) => a.type);
    expect(types).toEqual(["verify", "broadcast", "persistSafety"]);
    const prepared = r.actions[1] as Extract<ConsensusAction, { type: "broadcast" }>;
    expect(prepared.message.kind).toBe("prepared");
    expect(r.state.phase).toBe("commit");
  });

  test("leader: a key voting for two blocks at one height and view yields evidence", () => {
    const l = started([0]);
    let r = run(l.state, { type: "propose", height: 1n, view: 0n, block: block1 }, l.ctx);
    r = run(r.state, { type: "message", message: prepareFrom(3, bytes(32, 9)), from: "p3" }, l.ctx);
    r = run(r.state, { type: "message", message: prepareFrom(3, info1.hash), from: "p3" }, l.ctx);
    expect(r.actions.some((a) => a.type === "evidence")).toBe(false); // not verified yet: no quorum
    r = run(r.state, { type: "message", message: prepareFrom(1, info1.hash), from: "p1" }, l.ctx);
    const ev = r.actions.find((a) => a.type === "evidence") as Extract<ConsensusAction, { type: "evidence" }>;
    expect(ev.evidence.slots).toEqual([3]);
    expect(ev.evidence.phase).toBe("prepare");
  });

  test("timeout: VIEWCHANGE to the next view with a doubled timer; a lock travels with its M1", () => {
    const v = started([1]);
    const t = run(v.state, { type: "timeout", height: 1n, view: 0n }, v.ctx);
    expect(t.actions.map((a) => a.type)).toEqual(["persistSafety", "broadcast", "setTimer", "viewChanged"]);
    const vc = (t.actions[1] as Extract<ConsensusAction, { type: "broadcast" }>).message as ViewChange;
    expect(vc.view).toBe(1n);
    expect(vc.lockHash).toEqual(new Uint8Array(0));
    expect(t.actions[2]).toMatchObject({ delayMs: viewChangeTimeout(1000, 1) });
    // A node locked on block1 (restored from its record) names the lock and carries its M1.
    const cert = { signature: bls.aggregateSignatures([0, 1, 2].map((i) => bls.sign(sks[i] as Uint8Array, info1.hash))), bitmap: bitmapFromSlots(4, [0, 1, 2]) };
    const locked = {
      height: 1n, view: 0n, prepare: { view: 0n, hash: info1.hash }, commit: { view: 0n, hash: info1.hash, blockView: 0n }, viewChange: null, lock: { block: block1, cert },
    };
    const n = started([2], locked);
    const u = run(n.state, { type: "timeout", height: 1n, view: 0n }, n.ctx);
    const lvc = u.actions.find((a) => a.type === "broadcast") as Extract<ConsensusAction, { type: "broadcast" }>;
    expect((lvc.message as ViewChange).lockHash).toEqual(info1.hash);
    expect((lvc.message as ViewChange).prepared).toEqual({ block: block1, cert });
  });

  test("stale timers are ignored; the input state is never changed; same input, same output", () => {
    const v = started([1]);
    expect(run(v.state, { type: "timeout", height: 1n, view: 7n }, v.ctx).actions).toEqual([]);
    const before = JSON.stringify(v.state, (_, x) => (typeof x === "bigint" ? `${x}n` : x instanceof Map || x instanceof Set ? [...x] : x));
    const a = step(v.state, { type: "message", message: announce(block1), from: "p0" }, v.ctx);
    const b = step(v.state, { type: "message", message: announce(block1), from: "p0" }, v.ctx);
    expect(JSON.stringify(v.state, (_, x) => (typeof x === "bigint" ? `${x}n` : x instanceof Map || x instanceof Set ? [...x] : x))).toBe(before);
    expect(a.actions).toEqual(b.actions);
    expect(Object.isFrozen(a.state)).toBe(true);
  });

  test("listening period: validates but does not sign; a commit certificate with its key halts it", () => {
    const ctx = contextFor(sks, [1]);
    const s0 = createConsensusState({ config: { ...config([1]), listenRounds: 1 }, head });
    let r = run(s0, { type: "start" }, ctx);
    r = run(r.state, { type: "message", message: announce(block1), from: "p0" }, ctx);
    r = run(r.state, { type: "blockValidated", hash: info1.hash, valid: true }, ctx);
    expect(r.actions.filter((a) => a.type === "send" || a.type === "persistSafety")).toEqual([]);
    const payload = commitPayload(1n, info1.hash, 0n);
    const cert = { signature: bls.aggregateSignatures([0, 1, 2].map((i) => bls.sign(sks[i] as Uint8Array, payload))), bitmap: bitmapFromSlots(4, [0, 1, 2]) };
    const unsigned = { kind: "committed" as const, height: 1n, view: 0n, blockHash: info1.hash, blockView: 0n, cert, signers: bitmapFromSlots(4, [0]), signature: new Uint8Array(0) };
    r = run(r.state, { type: "message", message: { ...unsigned, signature: bls.sign(sks[0] as Uint8Array, signingBytes(unsigned)) }, from: "p0" }, ctx);
    expect(r.actions.find((a) => a.type === "doppelganger")).toMatchObject({ slots: [1] });
    expect(r.state.halted).toBe(true);
    expect(r.state.height).toBe(2n); // the block is still final and followed
    r = run(r.state, { type: "timeout", height: 2n, view: 0n }, ctx);
    expect(r.actions.filter((a) => a.type === "broadcast" || a.type === "persistSafety")).toEqual([]);
  });

  test("COMMITTED with a valid certificate finalizes the block", () => {
    const v = started([1]);
    let r = run(v.state, { type: "message", message: announce(block1), from: "p0" }, v.ctx);
    const payload = commitPayload(1n, info1.hash, 0n);
    const cert = { signature: bls.aggregateSignatures([0, 2, 3].map((i) => bls.sign(sks[i] as Uint8Array, payload))), bitmap: bitmapFromSlots(4, [0, 2, 3]) };
    const unsigned = { kind: "committed" as const, height: 1n, view: 0n, blockHash: info1.hash, blockView: 0n, cert, signers: bitmapFromSlots(4, [0]), signature: new Uint8Array(0) };
    const committed = { ...unsigned, signature: bls.sign(sks[0] as Uint8Array, signingBytes(unsigned)) };
    r = run(r.state, { type: "message", message: committed, from: "p0" }, v.ctx);
    const c = r.actions.find((a) => a.type === "commitBlock") as Extract<ConsensusAction, { type: "commitBlock" }>;
    expect(c.height).toBe(1n);
    expect(c.commit).toEqual(cert);
    expect(r.state.height).toBe(2n);
    expect(r.state.head.hash).toEqual(info1.hash);
  });
});
