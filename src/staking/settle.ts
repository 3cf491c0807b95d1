/**
 * Settling a validator's reward pool: the delegators' rewards credited to a validator block by block
 * are split over its delegations pro rata (exactly, see `splitProportional`) — before any delegation
 * changes, when rewards are collected, and at each epoch's end. Paying blocks into one pool keeps the
 * per-block payout O(validators), not O(delegations). Auto-compounding delegations add their share to
 * their stake as long as the validator's maximum total delegation allows.
 * @module
 */
import { splitProportional } from "./splitProportional.ts";
import type { StakingState } from "./stakingState.ts";
import type { DelegationRecord, ValidatorRecord } from "./records.ts";

/**
 * Split `v.rewardPool` over its delegations and save them; `v` is updated (the caller saves it).
 * `read` is the validator's delegations when the caller already read them (the epoch end walks them
 * anyway): they are updated in place, and nothing is read again.
 */
export function processSettleRewards(state: StakingState, v: ValidatorRecord, read?: DelegationRecord[]): void {
  if (v.rewardPool === 0n) return;
  const delegations = read ?? state.delegationsOf(v.address);
  if (delegations.length === 0) return; // nobody to pay yet: the pool waits (and still counts as supply)
  const shares = splitProportional(v.rewardPool, delegations.map((d) => d.amount));
  delegations.forEach((d, i) => {
    const share = shares[i] as bigint;
    if (share === 0n) return;
    if (d.autoCompound && v.totalDelegation + share <= v.maxTotalDelegation) {
      d.amount += share;
      v.totalDelegation += share;
    } else d.reward += share;
    state.putDelegation(v.address, d);
  });
  v.rewardPool = 0n;
}
