/**
 * createValidator and editValidator (DESIGN §Staking). Every check runs before the first write, so a
 * refused call has nothing to undo even outside the EVM's journal.
 * @module
 */
import { debit } from "./_balances.ts";
import type { StakingContext } from "./context.ts";
import { DEC_ONE } from "./decimal.ts";
import { StakingErrorCode, refuse } from "./errors.ts";
import { DESCRIPTION_LIMITS, type Description, type ValidatorRecord, ValidatorStatus, newDelegationRecord, newValidatorRecord } from "./records.ts";
import { STAKING_ADDRESS_BYTES, type StakingState } from "./stakingState.ts";

/** "Leave unchanged" in editValidator's number fields. */
export const UNCHANGED = 2n ** 256n - 1n;

/** Arguments of createValidator. */
export interface CreateValidatorArgs {
  description: Description;
  rate: bigint;
  maxRate: bigint;
  maxChangeRate: bigint;
  minSelfDelegation: bigint;
  maxTotalDelegation: bigint;
  blsKeys: Uint8Array[];
  blsKeySigs: Uint8Array[];
}

/** Arguments of editValidator (see {@link UNCHANGED}; empty strings and bytes leave a field as is). */
export interface EditValidatorArgs {
  description: Description;
  rate: bigint;
  minSelfDelegation: bigint;
  maxTotalDelegation: bigint;
  slotKeyToRemove: Uint8Array;
  slotKeyToAdd: Uint8Array;
  slotKeyToAddSig: Uint8Array;
  /** 0 unchanged, 1 active, 2 inactive. */
  status: bigint;
}

const hex = (b: Uint8Array) => `0x${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

function assertDescription(d: Description): void {
  for (const [field, limit] of Object.entries(DESCRIPTION_LIMITS) as [keyof Description, number][]) {
    const n = new TextEncoder().encode(d[field]).length;
    if (n > limit) refuse(StakingErrorCode.BAD_DESCRIPTION, `description ${field} is ${n} bytes, at most ${limit}`);
  }
}

function minCommission(ctx: StakingContext): bigint {
  return (BigInt(ctx.params.minCommissionBps) * DEC_ONE) / 10_000n;
}

function assertKey(state: StakingState, ctx: StakingContext, key: Uint8Array, sig: Uint8Array | undefined): void {
  if (key.length !== 48 || !ctx.bls.isValidPublicKey(key)) refuse(StakingErrorCode.BAD_KEY, `invalid BLS public key ${hex(key.subarray(0, 48))}`);
  if (sig === undefined || sig.length === 0) refuse(StakingErrorCode.BAD_PROOF, `missing proof of possession for BLS key ${hex(key)}`);
  if (sig.length !== 96 || !ctx.bls.popVerify(key, sig)) refuse(StakingErrorCode.BAD_PROOF, `wrong proof of possession for BLS key ${hex(key)}`);
  if (state.keyOwner(key) !== undefined) refuse(StakingErrorCode.DUPLICATE_KEY, `BLS key ${hex(key)} is already registered`);
}

/**
 * Create the caller's validator, self-staked with msg.value.
 * @throws {StakingError} with the revert reason on any invalid argument.
 */
export function processCreateValidator(state: StakingState, ctx: StakingContext, a: CreateValidatorArgs): ValidatorRecord {
  const p = ctx.params;
  if (state.getValidator(ctx.caller) !== undefined) refuse(StakingErrorCode.VALIDATOR_EXISTS, `validator ${hex(ctx.caller)} already exists`);
  assertDescription(a.description);
  if (a.maxRate > DEC_ONE) refuse(StakingErrorCode.BAD_RATES, "max rate above 100%");
  if (a.rate > a.maxRate) refuse(StakingErrorCode.BAD_RATES, "commission rate above max rate");
  if (a.maxChangeRate > a.maxRate) refuse(StakingErrorCode.BAD_RATES, "max change rate above max rate");
  if (a.rate < minCommission(ctx)) refuse(StakingErrorCode.BAD_RATES, `commission rate below the minimum of ${p.minCommissionBps / 100}%`);
  if (a.blsKeys.length === 0) refuse(StakingErrorCode.BAD_KEY, "no BLS keys");
  if (a.blsKeys.length > p.maxKeysPerValidator) refuse(StakingErrorCode.TOO_MANY_KEYS, `${a.blsKeys.length} BLS keys, at most ${p.maxKeysPerValidator}`);
  if (a.blsKeySigs.length < a.blsKeys.length) refuse(StakingErrorCode.BAD_PROOF, `missing proof of possession for BLS key ${hex(a.blsKeys[a.blsKeySigs.length] as Uint8Array)}`);
  if (a.blsKeySigs.length > a.blsKeys.length) refuse(StakingErrorCode.BAD_PROOF, `${a.blsKeySigs.length} proofs for ${a.blsKeys.length} keys`);
  a.blsKeys.forEach((k, i) => {
    if (a.blsKeys.findIndex((o) => sameBytes(o, k)) !== i) refuse(StakingErrorCode.DUPLICATE_KEY, `BLS key ${hex(k)} listed twice`);
    assertKey(state, ctx, k, a.blsKeySigs[i]);
  });
  if (a.minSelfDelegation < p.minSelfDelegation) refuse(StakingErrorCode.BELOW_MINIMUM, `min self delegation ${a.minSelfDelegation} below the network's ${p.minSelfDelegation}`);
  if (ctx.value < a.minSelfDelegation) refuse(StakingErrorCode.BELOW_MINIMUM, `self stake ${ctx.value} below min self delegation ${a.minSelfDelegation}`);
  if (a.maxTotalDelegation < ctx.value) refuse(StakingErrorCode.ABOVE_MAXIMUM, `self stake ${ctx.value} above max total delegation ${a.maxTotalDelegation}`);

  // The self-stake leaves circulating balances: the EVM credited it to the contract, which locks it.
  debit(state.world, STAKING_ADDRESS_BYTES, ctx.value);
  const v = newValidatorRecord({
    ...a,
    address: ctx.caller,
    epoch: ctx.epoch,
    blockNumber: ctx.blockNumber,
    stake: ctx.value,
  });
  state.putValidator(v);
  for (const k of v.blsKeys) state.setKeyOwner(k, v.address);
  state.putDelegation(v.address, newDelegationRecord(v.address, ctx.value));
  return v;
}

/**
 * Edit the caller's validator.
 * @throws {StakingError} with the revert reason on any invalid argument.
 */
export function processEditValidator(state: StakingState, ctx: StakingContext, a: EditValidatorArgs): ValidatorRecord {
  const p = ctx.params;
  const v = state.getValidator(ctx.caller);
  if (v === undefined) refuse(StakingErrorCode.UNKNOWN_VALIDATOR, `no validator at ${hex(ctx.caller)}`);
  if (v.status === ValidatorStatus.BANNED) refuse(StakingErrorCode.BANNED, "validator is banned");
  const d = a.description;
  const description: Description = {
    name: d.name || v.description.name,
    identity: d.identity || v.description.identity,
    website: d.website || v.description.website,
    securityContact: d.securityContact || v.description.securityContact,
    details: d.details || v.description.details,
  };
  assertDescription(description);
  let { rate, rateEpoch } = v;
  if (a.rate !== UNCHANGED && a.rate !== v.rate) {
    if (a.rate > v.maxRate) refuse(StakingErrorCode.BAD_RATES, "commission rate above max rate");
    if (a.rate < minCommission(ctx)) refuse(StakingErrorCode.BAD_RATES, `commission rate below the minimum of ${p.minCommissionBps / 100}%`);
    const change = a.rate > v.rate ? a.rate - v.rate : v.rate - a.rate;
    if (change > v.maxChangeRate) refuse(StakingErrorCode.BAD_RATES, "commission rate change above max change rate");
    if (v.rateEpoch === ctx.epoch) refuse(StakingErrorCode.BAD_RATES, "commission rate changes at most once per epoch");
    rate = a.rate;
    rateEpoch = ctx.epoch;
  }
  const self = state.getDelegation(v.address, v.address)?.amount ?? 0n;
  const minSelf = a.minSelfDelegation === UNCHANGED ? v.minSelfDelegation : a.minSelfDelegation;
  if (minSelf < p.minSelfDelegation) refuse(StakingErrorCode.BELOW_MINIMUM, `min self delegation ${minSelf} below the network's ${p.minSelfDelegation}`);
  const maxTotal = a.maxTotalDelegation === UNCHANGED ? v.maxTotalDelegation : a.maxTotalDelegation;
  if (maxTotal < v.totalDelegation) refuse(StakingErrorCode.ABOVE_MAXIMUM, `max total delegation ${maxTotal} below the ${v.totalDelegation} delegated`);
  let keys = v.blsKeys;
  if (a.slotKeyToRemove.length > 0) {
    if (!keys.some((k) => sameBytes(k, a.slotKeyToRemove))) refuse(StakingErrorCode.BAD_KEY, `BLS key ${hex(a.slotKeyToRemove)} is not this validator's`);
    keys = keys.filter((k) => !sameBytes(k, a.slotKeyToRemove));
  }
  if (a.slotKeyToAdd.length > 0) {
    assertKey(state, ctx, a.slotKeyToAdd, a.slotKeyToAddSig);
    keys = [...keys, a.slotKeyToAdd.slice()];
  }
  if (keys.length === 0) refuse(StakingErrorCode.BAD_KEY, "a validator keeps at least one BLS key");
  if (keys.length > p.maxKeysPerValidator) refuse(StakingErrorCode.TOO_MANY_KEYS, `${keys.length} BLS keys, at most ${p.maxKeysPerValidator}`);
  let status = v.status;
  if (a.status === 1n) {
    if (self < minSelf) refuse(StakingErrorCode.BELOW_MINIMUM, `self delegation ${self} below min self delegation ${minSelf}: cannot activate`);
    status = ValidatorStatus.ACTIVE;
  } else if (a.status === 2n) status = ValidatorStatus.INACTIVE;
  else if (a.status !== 0n) refuse(StakingErrorCode.BAD_STATUS, `status ${a.status} unknown (0 unchanged, 1 active, 2 inactive)`);

  if (a.slotKeyToRemove.length > 0) state.setKeyOwner(a.slotKeyToRemove, undefined);
  if (a.slotKeyToAdd.length > 0) state.setKeyOwner(a.slotKeyToAdd, v.address);
  const out: ValidatorRecord = { ...v, description, rate, rateEpoch, minSelfDelegation: minSelf, maxTotalDelegation: maxTotal, blsKeys: keys, status };
  state.putValidator(out);
  return out;
}
