/**
 * Delegate, Undelegate, CollectRewards and setAutoCompound (DESIGN §Staking). The delegator named in
 * the call must be msg.sender (Harmony's precompile rule), so a contract can only move its own stake.
 * A validator's reward pool is settled before any of its delegations changes, so stake added now never
 * shares rewards earned before.
 * @module
 */
import { credit, debit } from "./_balances.ts";
import type { StakingContext } from "./context.ts";
import { StakingErrorCode, refuse } from "./errors.ts";
import { type DelegationRecord, type ValidatorRecord, ValidatorStatus, newDelegationRecord } from "./records.ts";
import { processSettleRewards } from "./settle.ts";
import type { StakingState } from "./stakingState.ts";

const hex = (b: Uint8Array) => `0x${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

function assertCaller(ctx: StakingContext, delegator: Uint8Array): void {
  if (!sameBytes(ctx.caller, delegator)) refuse(StakingErrorCode.CALLER_MISMATCH, "delegatorAddress must be msg.sender", { caller: ctx.caller, delegator });
}

function validatorOrRefuse(state: StakingState, address: Uint8Array): ValidatorRecord {
  const v = state.getValidator(address);
  if (v === undefined) refuse(StakingErrorCode.UNKNOWN_VALIDATOR, `no validator at ${hex(address)}`);
  return v;
}

/**
 * Delegate `amount` from the delegator's balance to a validator.
 * @throws {StakingError} with the revert reason.
 */
export function processDelegate(state: StakingState, ctx: StakingContext, delegator: Uint8Array, validator: Uint8Array, amount: bigint): DelegationRecord {
  assertCaller(ctx, delegator);
  const v = validatorOrRefuse(state, validator);
  if (v.status === ValidatorStatus.BANNED) refuse(StakingErrorCode.BANNED, "validator is banned");
  if (amount < ctx.params.minDelegation) refuse(StakingErrorCode.BELOW_MINIMUM, `delegation ${amount} below the minimum of ${ctx.params.minDelegation}`);
  if (v.totalDelegation + amount > v.maxTotalDelegation) {
    refuse(StakingErrorCode.ABOVE_MAXIMUM, `total delegation would exceed the validator's maximum of ${v.maxTotalDelegation}`);
  }
  debit(state.world, delegator, amount);
  processSettleRewards(state, v);
  const d = state.getDelegation(validator, delegator) ?? newDelegationRecord(delegator, 0n);
  d.amount += amount;
  v.totalDelegation += amount;
  state.putDelegation(validator, d);
  state.putValidator(v);
  return d;
}

/**
 * Undelegate `amount`: it stops earning at once and returns after the lock period (epoch end).
 * An operator whose self-delegation falls below its minimum becomes inactive.
 * @throws {StakingError} with the revert reason.
 */
export function processUndelegate(state: StakingState, ctx: StakingContext, delegator: Uint8Array, validator: Uint8Array, amount: bigint): DelegationRecord {
  assertCaller(ctx, delegator);
  const v = validatorOrRefuse(state, validator);
  const d = state.getDelegation(validator, delegator);
  if (d === undefined) refuse(StakingErrorCode.NO_DELEGATION, `no delegation from ${hex(delegator)} to ${hex(validator)}`);
  if (amount === 0n) refuse(StakingErrorCode.BELOW_MINIMUM, "undelegation of zero");
  if (amount > d.amount) refuse(StakingErrorCode.MORE_THAN_DELEGATED, `undelegation of ${amount} is more than the ${d.amount} delegated`);
  processSettleRewards(state, v);
  const fresh = state.getDelegation(validator, delegator) as DelegationRecord; // settling may have changed it
  fresh.amount -= amount;
  const last = fresh.undelegations[fresh.undelegations.length - 1];
  if (last !== undefined && last.epoch === ctx.epoch) last.amount += amount;
  else fresh.undelegations.push({ amount, epoch: ctx.epoch });
  v.totalDelegation -= amount;
  if (sameBytes(delegator, validator) && fresh.amount < v.minSelfDelegation && v.status === ValidatorStatus.ACTIVE) v.status = ValidatorStatus.INACTIVE;
  state.putDelegation(validator, fresh);
  state.putValidator(v);
  return fresh;
}

/**
 * Pay the delegator every reward it has with every validator; returns the amount.
 * @throws {StakingError} with the revert reason (nothing to collect included).
 */
export function processCollectRewards(state: StakingState, ctx: StakingContext, delegator: Uint8Array): bigint {
  assertCaller(ctx, delegator);
  let total = 0n;
  for (const validator of state.validatorsOf(delegator)) {
    const v = validatorOrRefuse(state, validator);
    if (v.rewardPool > 0n) {
      processSettleRewards(state, v);
      state.putValidator(v);
    }
    const d = state.getDelegation(validator, delegator);
    if (d === undefined || d.reward === 0n) continue;
    total += d.reward;
    d.reward = 0n;
    state.putDelegation(validator, d);
  }
  if (total === 0n) refuse(StakingErrorCode.NO_REWARDS, "no rewards to collect");
  credit(state.world, delegator, total);
  return total;
}

/**
 * Set whether the caller's rewards from `validator` compound into its delegation.
 * @throws {StakingError} with the revert reason.
 */
export function processSetAutoCompound(state: StakingState, ctx: StakingContext, validator: Uint8Array, enabled: boolean): void {
  const v = validatorOrRefuse(state, validator);
  const d = state.getDelegation(validator, ctx.caller);
  if (d === undefined) refuse(StakingErrorCode.NO_DELEGATION, `no delegation from ${hex(ctx.caller)} to ${hex(validator)}`);
  if (d.autoCompound === enabled) return;
  // Rewards earned under the old setting are settled under it.
  if (v.rewardPool > 0n) {
    processSettleRewards(state, v);
    state.putValidator(v);
  }
  const fresh = state.getDelegation(validator, ctx.caller) as DelegationRecord;
  fresh.autoCompound = enabled;
  state.putDelegation(validator, fresh);
}
