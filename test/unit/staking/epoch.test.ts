// DESIGN §Staking per block and at epoch end: rewards by bitmap and effective stake (commission to the
// operator, the rest pooled for delegators), availability (< 2/3 signed ⇒ inactive), undelegations
// returned after the lock and not before, stale delegations removed, the election of the next
// committee — and a supply that adds up to the wei through all of it.
import { beforeAll, describe, expect, test } from "bun:test";
import { DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT, TOKEN } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { EMPTY_ACCOUNT, StateStore, WorldState } from "../../../src/state/index.ts";
import {
  DEC_ONE, STAKING_ADDRESS_BYTES, StakingState, ValidatorStatus, processBlockRewards, processCollectRewards, processCreateValidator,
  processDelegate, processEpochEnd, processUndelegate, type CommitteeSlot, type StakingContext,
} from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";

const params = DEV_CHAIN_CONFIG.staking;
const addr = (i: number) => new Uint8Array(20).fill(i);
const V1 = addr(1);
const V2 = addr(2);
const D = addr(3);
const ALL = [V1, V2, D];
let bls: BLS;
beforeAll(async () => {
  bls = await createBLS();
});

const ctx = (caller: Uint8Array, value = 0n, epoch = 0n): StakingContext => ({ caller, value, epoch, blockNumber: 1n, params, bls });

function setup() {
  const w = new WorldState(new StateStore(openStore(":memory:")), EMPTY_TRIE_ROOT);
  for (const a of ALL) w.putAccount(a, { ...EMPTY_ACCOUNT, balance: 10_000n * TOKEN });
  const s = new StakingState(w);
  const create = (who: Uint8Array, seed: number, stake: bigint, rate: bigint, keys = 1) => {
    const sks = Array.from({ length: keys }, (_, i) => bls.keygen(new Uint8Array(32).fill(seed + i)));
    const a = w.getAccount(who) ?? EMPTY_ACCOUNT;
    w.putAccount(who, { ...a, balance: a.balance - stake });
    w.putAccount(STAKING_ADDRESS_BYTES, { ...(w.getAccount(STAKING_ADDRESS_BYTES) ?? EMPTY_ACCOUNT), balance: stake });
    processCreateValidator(s, ctx(who, stake), {
      description: { name: "", identity: "", website: "", securityContact: "", details: "" },
      rate, maxRate: DEC_ONE, maxChangeRate: DEC_ONE / 10n,
      minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 100_000n * TOKEN,
      blsKeys: sks.map((k) => bls.secretToPublic(k)), blsKeySigs: sks.map((k) => bls.popProve(k)),
    });
  };
  return { w, s, create };
}

/** Everything that is someone's: balances, stakes, rewards not collected, undelegations pending. */
function supply(w: WorldState, s: StakingState): bigint {
  let total = ALL.reduce((n, a) => n + (w.getAccount(a)?.balance ?? 0n), 0n) + (w.getAccount(STAKING_ADDRESS_BYTES)?.balance ?? 0n);
  for (const v of s.validatorAddresses()) {
    total += s.getValidator(v)?.rewardPool ?? 0n;
    for (const d of s.delegationsOf(v)) total += d.amount + d.reward + d.undelegations.reduce((n, u) => n + u.amount, 0n);
  }
  return total;
}

const committeeOf = (s: StakingState, addrs: Uint8Array[]): CommitteeSlot[] =>
  addrs.flatMap((a) => (s.getValidator(a)?.blsKeys ?? []).map((k) => ({ blsKey: k, validator: a, effectiveStake: 1000n })));

describe("block rewards", () => {
  test("worked example: 7 tokens, two validators with equal effective stake, 10% and 50% commission", () => {
    const { w, s, create } = setup();
    create(V1, 10, 1_000n * TOKEN, DEC_ONE / 10n);
    create(V2, 20, 1_000n * TOKEN, DEC_ONE / 2n);
    processDelegate(s, ctx(D), D, V1, 3_000n * TOKEN);
    const before = supply(w, s);
    const r = processBlockRewards(s, committeeOf(s, [V1, V2]), [true, true], 7n * TOKEN);
    expect(r.issued).toBe(7n * TOKEN);
    // V1: 3.5 tokens, commission 0.35 to the operator, 3.15 pooled (then 1/4 to V1's stake, 3/4 to D).
    expect(s.getDelegation(V1, V1)?.reward).toBe(350_000_000_000_000_000n);
    expect(s.getValidator(V1)?.rewardPool).toBe(3_150_000_000_000_000_000n);
    expect(s.getDelegation(V2, V2)?.reward).toBe(1_750_000_000_000_000_000n);
    expect(supply(w, s)).toBe(before + 7n * TOKEN);
    expect(processCollectRewards(s, ctx(D), D)).toBe(2_362_500_000_000_000_000n); // 3.15 × 3/4
    expect(processCollectRewards(s, ctx(V1), V1)).toBe(350_000_000_000_000_000n + 787_500_000_000_000_000n);
    expect(supply(w, s)).toBe(before + 7n * TOKEN);
  });

  test("only signers earn; counters count every due slot", () => {
    const { s, create } = setup();
    create(V1, 10, 1_000n * TOKEN, DEC_ONE / 10n, 2);
    create(V2, 20, 1_000n * TOKEN, DEC_ONE / 10n);
    const c = committeeOf(s, [V1, V2]);
    const r = processBlockRewards(s, c, [true, false, false], 1001n);
    expect(r.byValidator.get(`0x${"01".repeat(20)}`)).toBe(1001n);
    expect(r.byValidator.has(`0x${"02".repeat(20)}`)).toBe(false);
    expect(s.getValidator(V1)).toMatchObject({ epochToSign: 2n, epochSigned: 1n, lifetimeReward: 1001n });
    expect(s.getValidator(V2)).toMatchObject({ epochToSign: 1n, epochSigned: 0n });
    expect(processBlockRewards(s, c, [false, false, false], 7n).issued).toBe(0n);
  });
});

describe("epoch end", () => {
  test("undelegation returns after 7 epochs, not before; the stale delegation is then removed", () => {
    const { w, s, create } = setup();
    create(V1, 10, 1_000n * TOKEN, DEC_ONE / 10n);
    processDelegate(s, ctx(D), D, V1, 500n * TOKEN);
    processUndelegate(s, ctx(D, 0n, 3n), D, V1, 500n * TOKEN);
    const before = supply(w, s);
    for (let e = 3n; e < 10n; e++) {
      const r = processEpochEnd(s, { epoch: e, params, slots: 4, bandBps: 1500 });
      expect(r.released).toBe(0n);
      expect(w.getAccount(D)?.balance).toBe(9_500n * TOKEN);
    }
    const r = processEpochEnd(s, { epoch: 10n, params, slots: 4, bandBps: 1500 });
    expect(r.released).toBe(500n * TOKEN);
    expect(r.removedDelegations).toBe(1);
    expect(w.getAccount(D)?.balance).toBe(10_000n * TOKEN);
    expect(s.getDelegation(V1, D)).toBeUndefined();
    expect(s.validatorsOf(D)).toEqual([]);
    expect(s.delegatorsOf(V1)).toEqual([V1]);
    expect(supply(w, s)).toBe(before);
  });

  test("a validator that signed < 2/3 of its due blocks is deactivated and not elected; the rest are", () => {
    const { s, create } = setup();
    create(V1, 10, 1_000n * TOKEN, DEC_ONE / 10n, 2);
    create(V2, 20, 3_000n * TOKEN, DEC_ONE / 10n);
    const c = committeeOf(s, [V1, V2]);
    for (let i = 0; i < 3; i++) processBlockRewards(s, c, [true, true, i === 0], 7n); // V2 signed 1 of 3
    const r = processEpochEnd(s, { epoch: 1n, params, slots: 4, bandBps: 1500 });
    expect(r.deactivated).toEqual([V2]);
    expect(s.getValidator(V2)?.status).toBe(ValidatorStatus.INACTIVE);
    expect(r.committee.map((x) => x.validator)).toEqual([V1, V1]);
    expect(r.committee.map((x) => x.effectiveStake)).toEqual([500n * TOKEN, 500n * TOKEN]);
    expect(s.getValidator(V1)).toMatchObject({ epochToSign: 0n, epochSigned: 0n, lifetimeToSign: 6n });
  });
});
