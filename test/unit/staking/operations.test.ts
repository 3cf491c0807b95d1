// DESIGN §Staking operations over real state (the staking contract's storage) with real BLS proofs of
// possession (IETF BLS POP): the happy paths, and every malformed call refused with a clear reason and
// no state change (issue 9 acceptance 6, at the layer the contract calls).
import { beforeAll, describe, expect, test } from "bun:test";
import { DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT, TOKEN } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { EMPTY_ACCOUNT, StateStore, WorldState } from "../../../src/state/index.ts";
import {
  DEC_ONE, STAKING_ADDRESS_BYTES, StakingError, StakingErrorCode, StakingState, UNCHANGED, ValidatorStatus,
  processCollectRewards, processCreateValidator, processDelegate, processEditValidator, processSetAutoCompound, processUndelegate,
  type CreateValidatorArgs, type StakingContext,
} from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";

const params = DEV_CHAIN_CONFIG.staking; // min self 100 tokens, min delegation 1 token, min commission 7%
const addr = (i: number) => new Uint8Array(20).fill(i);
const OP = addr(1);
const ALICE = addr(2);
let bls: BLS;
let sks: Uint8Array[];
let pks: Uint8Array[];

beforeAll(async () => {
  bls = await createBLS();
  sks = Array.from({ length: 4 }, (_, i) => bls.keygen(new Uint8Array(32).fill(i + 1)));
  pks = sks.map((sk) => bls.secretToPublic(sk));
});

function world(): { w: WorldState; s: StakingState } {
  const w = new WorldState(new StateStore(openStore(":memory:")), EMPTY_TRIE_ROOT);
  for (const a of [OP, ALICE]) w.putAccount(a, { ...EMPTY_ACCOUNT, balance: 10_000n * TOKEN });
  return { w, s: new StakingState(w) };
}

const ctx = (caller: Uint8Array, value = 0n, epoch = 1n): StakingContext => ({ caller, value, epoch, blockNumber: 40n, params, bls });

function createArgs(keys = [0], over: Partial<CreateValidatorArgs> = {}): CreateValidatorArgs {
  return {
    description: { name: "op", identity: "", website: "", securityContact: "", details: "" },
    rate: DEC_ONE / 10n,
    maxRate: DEC_ONE / 2n,
    maxChangeRate: DEC_ONE / 20n,
    minSelfDelegation: 100n * TOKEN,
    maxTotalDelegation: 5_000n * TOKEN,
    blsKeys: keys.map((k) => pks[k] as Uint8Array),
    blsKeySigs: keys.map((k) => bls.popProve(sks[k] as Uint8Array)),
    ...over,
  };
}

/** The EVM's way: a refused call is reverted to its checkpoint. */
function attempt(w: WorldState, f: () => unknown): StakingError {
  w.checkpoint();
  try {
    f();
  } catch (e) {
    w.revert();
    if (!(e instanceof StakingError)) throw e;
    return e;
  }
  w.commitCheckpoint();
  throw new Error("expected the call to be refused");
}

/** The value the EVM moved to the contract before it runs (msg.value). */
function pay(w: WorldState, from: Uint8Array, value: bigint) {
  const a = w.getAccount(from);
  if (!a) throw new Error("no account");
  w.putAccount(from, { ...a, balance: a.balance - value });
  const c = w.getAccount(STAKING_ADDRESS_BYTES) ?? EMPTY_ACCOUNT;
  w.putAccount(STAKING_ADDRESS_BYTES, { ...c, balance: c.balance + value });
}

function created() {
  const { w, s } = world();
  pay(w, OP, 1_000n * TOKEN);
  processCreateValidator(s, ctx(OP, 1_000n * TOKEN), createArgs([0, 1]));
  return { w, s };
}

describe("createValidator", () => {
  test("stakes msg.value: locked out of every balance, keys registered, self-delegation recorded", () => {
    const { w, s } = created();
    const v = s.getValidator(OP);
    expect(v?.totalDelegation).toBe(1_000n * TOKEN);
    expect(v?.blsKeys).toEqual(pks.slice(0, 2));
    expect(v?.status).toBe(ValidatorStatus.ACTIVE);
    expect(w.getAccount(STAKING_ADDRESS_BYTES)?.balance).toBe(0n);
    expect(w.getAccount(STAKING_ADDRESS_BYTES)?.nonce).toBe(1n); // never an "empty" account (EIP-161)
    expect(w.getAccount(OP)?.balance).toBe(9_000n * TOKEN);
    expect(s.keyOwner(pks[1] as Uint8Array)).toEqual(OP);
    expect(s.getDelegation(OP, OP)?.amount).toBe(1_000n * TOKEN);
    expect(s.validatorAddresses()).toEqual([OP]);
  });

  const refusals: [string, (w: WorldState, s: StakingState) => unknown, string, string][] = [
    ["bad BLS key", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([2], { blsKeys: [new Uint8Array(48).fill(7)] })), StakingErrorCode.BAD_KEY, "invalid BLS public key"],
    ["missing proof", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([2, 3], { blsKeySigs: [bls.popProve(sks[2] as Uint8Array)] })), StakingErrorCode.BAD_PROOF, "missing proof of possession"],
    ["wrong proof (another key's)", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([2], { blsKeySigs: [bls.popProve(sks[3] as Uint8Array)] })), StakingErrorCode.BAD_PROOF, "wrong proof of possession"],
    ["a plain signature is not a proof", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([2], { blsKeySigs: [bls.sign(sks[2] as Uint8Array, pks[2] as Uint8Array)] })), StakingErrorCode.BAD_PROOF, "wrong proof of possession"],
    ["key listed twice", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([2, 2])), StakingErrorCode.DUPLICATE_KEY, "listed twice"],
    ["key of another validator", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([1])), StakingErrorCode.DUPLICATE_KEY, "already registered"],
    ["validator exists", (_w, s) => processCreateValidator(s, ctx(OP, 200n * TOKEN), createArgs([2])), StakingErrorCode.VALIDATOR_EXISTS, "already exists"],
    ["rate above max rate", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([2], { rate: DEC_ONE / 2n + 1n })), StakingErrorCode.BAD_RATES, "above max rate"],
    ["max rate above 100%", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([2], { maxRate: DEC_ONE + 1n })), StakingErrorCode.BAD_RATES, "above 100%"],
    ["rate below the minimum commission", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([2], { rate: DEC_ONE / 100n })), StakingErrorCode.BAD_RATES, "below the minimum of 7%"],
    ["self stake below min self delegation", (_w, s) => processCreateValidator(s, ctx(ALICE, 99n * TOKEN), createArgs([2])), StakingErrorCode.BELOW_MINIMUM, "below min self delegation"],
    ["min self delegation below the network's", (_w, s) => processCreateValidator(s, ctx(ALICE, 200n * TOKEN), createArgs([2], { minSelfDelegation: TOKEN })), StakingErrorCode.BELOW_MINIMUM, "below the network's"],
    ["delegate: caller is not the delegator", (_w, s) => processDelegate(s, ctx(ALICE), OP, OP, 5n * TOKEN), StakingErrorCode.CALLER_MISMATCH, "delegatorAddress must be msg.sender"],
    ["delegate: unknown validator", (_w, s) => processDelegate(s, ctx(ALICE), ALICE, addr(9), 5n * TOKEN), StakingErrorCode.UNKNOWN_VALIDATOR, "no validator at 0x0909"],
    ["delegate: below the minimum", (_w, s) => processDelegate(s, ctx(ALICE), ALICE, OP, TOKEN - 1n), StakingErrorCode.BELOW_MINIMUM, "below the minimum"],
    ["delegate: more than the balance", (_w, s) => processDelegate(s, ctx(addr(5)), addr(5), OP, 5n * TOKEN), StakingErrorCode.INSUFFICIENT_BALANCE, "insufficient balance"],
    ["delegate: above max total delegation", (_w, s) => processDelegate(s, ctx(ALICE), ALICE, OP, 4_001n * TOKEN), StakingErrorCode.ABOVE_MAXIMUM, "maximum"],
    ["undelegate: more than delegated", (_w, s) => processUndelegate(s, ctx(OP), OP, OP, 1_001n * TOKEN), StakingErrorCode.MORE_THAN_DELEGATED, "more than the"],
    ["undelegate: nothing delegated", (_w, s) => processUndelegate(s, ctx(ALICE), ALICE, OP, TOKEN), StakingErrorCode.NO_DELEGATION, "no delegation"],
    ["undelegate: caller is not the delegator", (_w, s) => processUndelegate(s, ctx(ALICE), OP, OP, TOKEN), StakingErrorCode.CALLER_MISMATCH, "msg.sender"],
    ["collect: nothing to collect", (_w, s) => processCollectRewards(s, ctx(OP), OP), StakingErrorCode.NO_REWARDS, "no rewards"],
    ["collect: caller is not the delegator", (_w, s) => processCollectRewards(s, ctx(ALICE), OP), StakingErrorCode.CALLER_MISMATCH, "msg.sender"],
    ["edit: not a validator", (_w, s) => processEditValidator(s, ctx(ALICE), { description: createArgs().description, rate: UNCHANGED, minSelfDelegation: UNCHANGED, maxTotalDelegation: UNCHANGED, slotKeyToRemove: new Uint8Array(0), slotKeyToAdd: new Uint8Array(0), slotKeyToAddSig: new Uint8Array(0), status: 0n }), StakingErrorCode.UNKNOWN_VALIDATOR, "no validator"],
    ["edit: rate change above max change rate", (_w, s) => processEditValidator(s, ctx(OP, 0n, 2n), { description: createArgs().description, rate: DEC_ONE / 5n, minSelfDelegation: UNCHANGED, maxTotalDelegation: UNCHANGED, slotKeyToRemove: new Uint8Array(0), slotKeyToAdd: new Uint8Array(0), slotKeyToAddSig: new Uint8Array(0), status: 0n }), StakingErrorCode.BAD_RATES, "max change rate"],
    ["edit: remove the last key", (_w, s) => processEditValidator(s, ctx(OP), { description: createArgs().description, rate: UNCHANGED, minSelfDelegation: UNCHANGED, maxTotalDelegation: UNCHANGED, slotKeyToRemove: pks[0] as Uint8Array, slotKeyToAdd: new Uint8Array(0), slotKeyToAddSig: new Uint8Array(0), status: 0n }).blsKeys.length === 1 && processEditValidator(s, ctx(OP), { description: createArgs().description, rate: UNCHANGED, minSelfDelegation: UNCHANGED, maxTotalDelegation: UNCHANGED, slotKeyToRemove: pks[1] as Uint8Array, slotKeyToAdd: new Uint8Array(0), slotKeyToAddSig: new Uint8Array(0), status: 0n }), StakingErrorCode.BAD_KEY, "at least one BLS key"],
  ];
  for (const [name, call, code, reason] of refusals) {
    test(`refused, state unchanged: ${name}`, () => {
      const { w, s } = created();
      const before = { v: s.getValidator(OP), d: s.getDelegation(OP, OP), op: w.getAccount(OP), alice: w.getAccount(ALICE), c: w.getAccount(STAKING_ADDRESS_BYTES) };
      const err = attempt(w, () => call(w, s));
      expect(err.code).toBe(code as never);
      expect(err.message).toContain(reason);
      expect(err.message.startsWith("staking: ")).toBe(true);
      expect({ v: s.getValidator(OP), d: s.getDelegation(OP, OP), op: w.getAccount(OP), alice: w.getAccount(ALICE), c: w.getAccount(STAKING_ADDRESS_BYTES) }).toEqual(before);
      expect(s.getValidator(ALICE)).toBeUndefined();
    });
  }
});

describe("delegations", () => {
  test("delegate, undelegate into a pending undelegation, settle and collect rewards", () => {
    const { w, s } = created();
    processDelegate(s, ctx(ALICE), ALICE, OP, 3_000n * TOKEN - 1n);
    expect(w.getAccount(ALICE)?.balance).toBe(7_000n * TOKEN + 1n);
    expect(s.getValidator(OP)?.totalDelegation).toBe(4_000n * TOKEN - 1n);
    expect(s.validatorsOf(ALICE)).toEqual([OP]);
    expect(s.delegatorsOf(OP)).toEqual([OP, ALICE]);

    // A pool of 4,000 tokens − 1 wei + 7 wei shared 1,000 : 2,999.99… exactly.
    const v = s.getValidator(OP);
    if (!v) throw new Error("no validator");
    v.rewardPool = 4_000n * TOKEN + 6n;
    s.putValidator(v);
    processUndelegate(s, ctx(ALICE), ALICE, OP, 1_000n * TOKEN);
    const opReward = s.getDelegation(OP, OP)?.reward ?? 0n;
    const aliceReward = s.getDelegation(OP, ALICE)?.reward ?? 0n;
    expect(opReward + aliceReward).toBe(4_000n * TOKEN + 6n);
    expect(s.getValidator(OP)?.rewardPool).toBe(0n);
    expect(s.getDelegation(OP, ALICE)?.undelegations).toEqual([{ amount: 1_000n * TOKEN, epoch: 1n }]);
    processUndelegate(s, ctx(ALICE), ALICE, OP, 1n);
    expect(s.getDelegation(OP, ALICE)?.undelegations).toEqual([{ amount: 1_000n * TOKEN + 1n, epoch: 1n }]);

    expect(processCollectRewards(s, ctx(ALICE), ALICE)).toBe(aliceReward);
    expect(w.getAccount(ALICE)?.balance).toBe(7_000n * TOKEN + 1n + aliceReward);
    expect(s.getDelegation(OP, ALICE)?.reward).toBe(0n);
  });

  test("auto-compound adds the share to the stake", () => {
    const { s } = created();
    processSetAutoCompound(s, ctx(OP), OP, true);
    const v = s.getValidator(OP);
    if (!v) throw new Error("no validator");
    v.rewardPool = 5n * TOKEN;
    s.putValidator(v);
    processDelegate(s, ctx(ALICE), ALICE, OP, 10n * TOKEN);
    expect(s.getDelegation(OP, OP)?.amount).toBe(1_005n * TOKEN);
    expect(s.getValidator(OP)?.totalDelegation).toBe(1_015n * TOKEN);
  });

  test("an operator undelegating below its minimum self-delegation becomes inactive; editValidator re-activates after re-staking", () => {
    const { s } = created();
    processUndelegate(s, ctx(OP), OP, OP, 950n * TOKEN);
    expect(s.getValidator(OP)?.status).toBe(ValidatorStatus.INACTIVE);
    const edit = { description: createArgs().description, rate: UNCHANGED, minSelfDelegation: UNCHANGED, maxTotalDelegation: UNCHANGED, slotKeyToRemove: new Uint8Array(0), slotKeyToAdd: new Uint8Array(0), slotKeyToAddSig: new Uint8Array(0), status: 1n };
    expect(() => processEditValidator(s, ctx(OP), edit)).toThrow("cannot activate");
    processDelegate(s, ctx(OP), OP, OP, 100n * TOKEN);
    expect(processEditValidator(s, ctx(OP), edit).status).toBe(ValidatorStatus.ACTIVE);
    expect(s.getValidator(OP)?.status).toBe(ValidatorStatus.ACTIVE);
  });

  test("editValidator swaps a key with a fresh proof and changes the rate once per epoch", () => {
    const { s } = created();
    const edit = {
      description: { name: "renamed", identity: "", website: "", securityContact: "", details: "" },
      rate: DEC_ONE / 10n + DEC_ONE / 20n,
      minSelfDelegation: UNCHANGED,
      maxTotalDelegation: UNCHANGED,
      slotKeyToRemove: pks[0] as Uint8Array,
      slotKeyToAdd: pks[2] as Uint8Array,
      slotKeyToAddSig: bls.popProve(sks[2] as Uint8Array),
      status: 0n,
    };
    const v = processEditValidator(s, ctx(OP, 0n, 2n), edit);
    expect(v.blsKeys).toEqual(pks.slice(1, 3));
    expect(v.description.name).toBe("renamed");
    expect(v.rate).toBe(DEC_ONE / 10n + DEC_ONE / 20n);
    expect(s.keyOwner(pks[0] as Uint8Array)).toBeUndefined();
    expect(s.keyOwner(pks[2] as Uint8Array)).toEqual(OP);
    const again = { ...edit, rate: DEC_ONE / 10n, slotKeyToRemove: new Uint8Array(0), slotKeyToAdd: new Uint8Array(0) };
    expect(() => processEditValidator(s, ctx(OP, 0n, 2n), again)).toThrow("at most once per epoch");
  });
});
