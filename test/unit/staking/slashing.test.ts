// DESIGN §Staking "Slashing": the double-sign record's strict codec and signature check, and
// applySlash on worked examples — 50% of the snapshot self-stake, 80% of that from the delegators pro
// rata (largest remainder), paid from current stake then locked undelegations of the offence epoch on,
// half to the reporter and the rest burnt, to the wei — and the ban (never elected, never re-activated).
import { beforeAll, describe, expect, test } from "bun:test";
import { DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT, commitPayload, rlpDecode, rlpEncode } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { EMPTY_ACCOUNT, StateStore, WorldState } from "../../../src/state/index.ts";
import {
  type DoubleSignRecord, MAX_SLASHES_PER_HEADER, StakingError, StakingErrorCode, StakingState, UNCHANGED, ValidatorStatus, applySlash, checkDoubleSignRecord,
  decodeDoubleSignRecord, decodeSlashes, encodeDoubleSignRecord, encodeSlashes, offenceSnapshotBlock, processDelegate, processEditValidator, processEpochEnd,
} from "../../../src/staking/index.ts";
import { newDelegationRecord, newValidatorRecord } from "../../../src/staking/records.ts";
import { openStore } from "../../../src/store/index.ts";

const params = DEV_CHAIN_CONFIG.staking; // slashSelfBps 5000, slashDelegatorBps 8000
const E = 4; // blocks per epoch in these examples
const addr = (i: number) => new Uint8Array(20).fill(i);
const OP = addr(1);
const ALICE = addr(2);
const BOB = addr(3);
const REPORTER = addr(9);
let bls: BLS;
let sk: Uint8Array;
let key: Uint8Array;
let otherKey: Uint8Array;

beforeAll(async () => {
  bls = await createBLS();
  sk = bls.keygen(new Uint8Array(32).fill(7));
  key = bls.secretToPublic(sk);
  otherKey = bls.secretToPublic(bls.keygen(new Uint8Array(32).fill(8)));
});

const hash = (b: number) => new Uint8Array(32).fill(b);

/** A real double sign by `key`: COMMITs for blocks 0xaa… and 0xbb… at (height, view). */
function record(height = 9n, view = 12n, over: Partial<DoubleSignRecord> = {}): DoubleSignRecord {
  const vote = (h: Uint8Array) => ({ blockHash: h, signature: bls.sign(sk, commitPayload(height, h, view)) });
  return { shardId: 0, epoch: height / BigInt(E), height, view, offender: key, first: vote(hash(0xaa)), second: vote(hash(0xbb)), ...over };
}

function world(): { w: WorldState; s: StakingState } {
  const w = new WorldState(new StateStore(openStore(":memory:")), EMPTY_TRIE_ROOT);
  w.putAccount(REPORTER, { ...EMPTY_ACCOUNT, balance: 5n });
  return { w, s: new StakingState(w) };
}

/** The validator OP (key) with delegations of these amounts: operator first, then ALICE, BOB. */
function stake(s: StakingState, amounts: bigint[], keys = [key]): void {
  const total = amounts.reduce((a, b) => a + b, 0n);
  const v = newValidatorRecord({
    address: OP, blsKeys: keys, description: { name: "op", identity: "", website: "", securityContact: "", details: "" },
    rate: 0n, maxRate: 0n, maxChangeRate: 0n, minSelfDelegation: 1n, maxTotalDelegation: 10n ** 30n, epoch: 0n, blockNumber: 0n, stake: total,
  });
  s.putValidator(v);
  for (const k of keys) s.setKeyOwner(k, OP);
  [OP, ALICE, BOB].forEach((d, i) => {
    if (amounts[i] !== undefined) s.putDelegation(OP, newDelegationRecord(d, amounts[i] as bigint));
  });
}

const ctx = (snapshot: StakingState, epoch = 2n) => ({ reporter: REPORTER, params, epochBlocks: E, epoch, snapshot });

function refusal(f: () => unknown): StakingError {
  try {
    f();
  } catch (e) {
    if (e instanceof StakingError) return e;
    throw e;
  }
  throw new Error("not refused");
}

describe("double-sign record", () => {
  test("round-trips, alone and as a header's slashes list; no slashes is no bytes", () => {
    const r = record();
    expect(decodeDoubleSignRecord(encodeDoubleSignRecord(r))).toEqual(r);
    expect(decodeSlashes(encodeSlashes([r, record(10n)]))).toEqual([r, record(10n)]);
    expect(encodeSlashes([]).length).toBe(0);
    expect(decodeSlashes(new Uint8Array(0))).toEqual([]);
  });

  test("decoding is strict: lengths, field count, canonical integers, trailing bytes, empty list", () => {
    const items = rlpDecode(encodeDoubleSignRecord(record()), "t") as Uint8Array[] & unknown[];
    const bad = (mut: (l: unknown[]) => void) => {
      const l = structuredClone(items) as unknown[];
      mut(l);
      return () => decodeDoubleSignRecord(rlpEncode(l as never));
    };
    expect(bad((l) => (l[4] = new Uint8Array(47)))).toThrow(/offender: expected 48 bytes/);
    expect(bad((l) => ((l[5] as Uint8Array[])[1] = new Uint8Array(95)))).toThrow(/first.signature: expected 96 bytes/);
    expect(bad((l) => ((l[6] as Uint8Array[])[0] = new Uint8Array(31)))).toThrow(/second.blockHash: expected 32 bytes/);
    expect(bad((l) => l.push(new Uint8Array(0)))).toThrow(/expected 7 items/);
    expect(bad((l) => (l[2] = Uint8Array.of(0, 9)))).toThrow(/leading zero/);
    expect(bad((l) => (l[3] = new Uint8Array(9).fill(1)))).toThrow(/longer than 8 bytes/);
    const enc = encodeDoubleSignRecord(record());
    expect(() => decodeDoubleSignRecord(Uint8Array.of(...enc, 0))).toThrow(SyntaxError);
    expect(() => decodeSlashes(rlpEncode([]))).toThrow(/empty list/);
    expect(() => decodeSlashes(Uint8Array.of(0x05))).toThrow(SyntaxError);
    const r = record();
    expect(decodeSlashes(encodeSlashes(Array(MAX_SLASHES_PER_HEADER).fill(r))).length).toBe(MAX_SLASHES_PER_HEADER);
    expect(() => decodeSlashes(encodeSlashes(Array(MAX_SLASHES_PER_HEADER + 1).fill(r)))).toThrow(/at most 16/);
  });

  test("proves double signing only with two valid COMMIT signatures of the key over different blocks", () => {
    expect(checkDoubleSignRecord(record(), bls)).toBeNull();
    const r = record();
    expect(checkDoubleSignRecord({ ...r, second: r.first }, bls)).toMatch(/same block/);
    expect(checkDoubleSignRecord({ ...r, offender: otherKey }, bls)).toMatch(/first vote's signature/);
    expect(checkDoubleSignRecord({ ...r, view: 13n }, bls)).toMatch(/signature/); // signed for view 12
    expect(checkDoubleSignRecord({ ...r, second: { ...r.second, signature: new Uint8Array(96).fill(3) } }, bls)).toMatch(/second vote's signature/);
    expect(checkDoubleSignRecord({ ...r, offender: new Uint8Array(48).fill(1) }, bls)).not.toBeNull();
  });
});

describe("applySlash", () => {
  test("worked example: exact wei, largest-remainder split, locked undelegations of the offence epoch, half to the reporter", () => {
    const snap = world();
    stake(snap.s, [1_000_003n, 333_333n, 666_667n]); // the offence epoch's start
    const now = world();
    stake(now.s, [1_000_003n, 83_333n, 667_667n]);
    // Since the snapshot ALICE undelegated 250,000 (epoch 2, still locked; an older one of epoch 1 is not at stake), BOB added 1,000.
    const a = now.s.getDelegation(OP, ALICE)!;
    a.undelegations = [{ amount: 10_000n, epoch: 1n }, { amount: 250_000n, epoch: 2n }];
    now.s.putDelegation(OP, a);

    const out = applySlash(now.s, record(9n), ctx(snap.s));
    // self: ⌊1,000,003 / 2⌋ = 500,001; delegators: ⌊500,001 · 0.8⌋ = 400,000 over 333,333 : 666,667
    // = 133,333.2 → 133,333 and 266,666.8 → 266,667 (the spare wei to the larger remainder).
    expect(out).toEqual({ validator: OP, selfSlashed: 500_001n, delegatorsSlashed: 400_000n, reward: 450_000n, burnt: 450_001n });
    expect(now.s.getDelegation(OP, OP)!.amount).toBe(500_002n);
    const alice = now.s.getDelegation(OP, ALICE)!;
    expect(alice.amount).toBe(0n); // 83,333 from the stake, 50,000 from the epoch-2 undelegation
    expect(alice.undelegations).toEqual([{ amount: 10_000n, epoch: 1n }, { amount: 200_000n, epoch: 2n }]);
    expect(now.s.getDelegation(OP, BOB)!.amount).toBe(401_000n);
    const v = now.s.getValidator(OP)!;
    expect(v.status).toBe(ValidatorStatus.BANNED);
    expect(v.totalDelegation).toBe(1_000_003n + 83_333n + 667_667n - 500_001n - 83_333n - 266_667n);
    expect(now.w.getAccount(REPORTER)!.balance).toBe(5n + 450_000n);
  });

  test("a debt larger than what a delegator still holds is capped; no delegators, no delegator debt", () => {
    const snap = world();
    stake(snap.s, [10_000n, 100n]);
    const now = world();
    stake(now.s, [10_000n, 100n]);
    // 5,000 self; delegators owe 4,000 but ALICE has only 100 at stake.
    expect(applySlash(now.s, record(), ctx(snap.s))).toMatchObject({ selfSlashed: 5_000n, delegatorsSlashed: 100n, reward: 2_550n, burnt: 2_550n });
    const solo = world();
    stake(solo.s, [7n]);
    const soloNow = world();
    stake(soloNow.s, [7n]);
    expect(applySlash(soloNow.s, record(), ctx(solo.s))).toMatchObject({ selfSlashed: 3n, delegatorsSlashed: 0n, reward: 1n, burnt: 2n });
  });

  test("the key counts if it was the validator's at the offence epoch, even when removed since; not one added after", () => {
    const snap = world();
    stake(snap.s, [1_000n], [key]);
    const now = world();
    stake(now.s, [1_000n], [otherKey]); // key swapped out since the snapshot
    expect(applySlash(now.s, record(), ctx(snap.s)).selfSlashed).toBe(500n);

    const before = world();
    stake(before.s, [1_000n], [otherKey]);
    const after = world();
    stake(after.s, [1_000n], [otherKey, key]); // key added after the snapshot: in no committee of that epoch
    const e = refusal(() => applySlash(after.s, record(), ctx(before.s)));
    expect(e.type.code).toBe(StakingErrorCode.UNKNOWN_VALIDATOR);
    expect(after.s.getValidator(OP)!.status).toBe(ValidatorStatus.ACTIVE);
  });

  test("refused, changing nothing: already slashed, epoch not the height's, epoch in the future", () => {
    const snap = world();
    stake(snap.s, [1_000n]);
    const now = world();
    stake(now.s, [1_000n]);
    applySlash(now.s, record(9n, 12n), ctx(snap.s));
    const again = refusal(() => applySlash(now.s, record(9n, 12n), ctx(snap.s)));
    expect(again.type.code).toBe(StakingErrorCode.ALREADY_SLASHED);
    expect(refusal(() => applySlash(now.s, record(10n, 3n), ctx(snap.s))).message).toMatch(/already slashed and banned/);
    expect(now.s.getDelegation(OP, OP)!.amount).toBe(500n);

    const fresh = world();
    stake(fresh.s, [1_000n]);
    expect(refusal(() => applySlash(fresh.s, { ...record(9n), epoch: 1n }, ctx(snap.s))).message).toMatch(/not the epoch of height 9/);
    expect(refusal(() => applySlash(fresh.s, record(13n), ctx(snap.s, 2n))).message).toMatch(/in the future/);
    expect(refusal(() => applySlash(fresh.s, { ...record(9n), shardId: 1 }, ctx(snap.s))).type.code).toBe(StakingErrorCode.BAD_EVIDENCE);
    expect(fresh.s.getValidator(OP)!.status).toBe(ValidatorStatus.ACTIVE);
    expect(fresh.s.getDelegation(OP, OP)!.amount).toBe(1_000n);
  });

  test("the snapshot of epoch e is the state after the last block of epoch e − 1 (genesis for epoch 0)", () => {
    expect(offenceSnapshotBlock(4, 0n)).toBe(0n);
    expect(offenceSnapshotBlock(4, 1n)).toBe(3n);
    expect(offenceSnapshotBlock(32, 3n)).toBe(95n);
  });
});

describe("a banned validator", () => {
  test("is never elected again, cannot re-activate, takes no new delegations", () => {
    const snap = world();
    stake(snap.s, [1_000n]);
    const now = world();
    stake(now.s, [1_000n]);
    now.w.putAccount(ALICE, { ...EMPTY_ACCOUNT, balance: 10n ** 24n });
    const electable = processEpochEnd(now.s, { epoch: 2n, params, slots: 4, bandBps: 1500 });
    expect(electable.committee.map((c) => c.validator)).toEqual([OP]);
    applySlash(now.s, record(), ctx(snap.s));
    expect(processEpochEnd(now.s, { epoch: 2n, params, slots: 4, bandBps: 1500 }).committee).toEqual([]);
    const edit = { description: { name: "", identity: "", website: "", securityContact: "", details: "" }, rate: UNCHANGED, minSelfDelegation: UNCHANGED, maxTotalDelegation: UNCHANGED, slotKeyToRemove: new Uint8Array(0), slotKeyToAdd: new Uint8Array(0), slotKeyToAddSig: new Uint8Array(0), status: 1n };
    const sctx = (caller: Uint8Array) => ({ caller, value: 0n, epoch: 3n, blockNumber: 13n, params, bls });
    expect(refusal(() => processEditValidator(now.s, sctx(OP), edit)).type.code).toBe(StakingErrorCode.BANNED);
    expect(refusal(() => processDelegate(now.s, sctx(ALICE), ALICE, OP, 10n ** 18n)).type.code).toBe(StakingErrorCode.BANNED);
    expect(now.s.getValidator(OP)!.status).toBe(ValidatorStatus.BANNED);
  });
});
