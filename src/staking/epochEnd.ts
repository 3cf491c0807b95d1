/**
 * The beacon chain's epoch end (DESIGN §Staking), run in the epoch's last block before its state root:
 * settle every reward pool, return undelegations whose lock has passed, drop stale delegations,
 * deactivate validators that signed less than 2/3 of what they were due, then elect the next
 * epoch's committee from the validators still eligible. Deterministic over the state alone.
 * @module
 */
import type { StakingParams } from "../core/index.ts";
import { credit } from "./_balances.ts";
import type { CommitteeSlot } from "./blockRewards.ts";
import { computeElection } from "./election.ts";
import { ValidatorStatus } from "./records.ts";
import { processSettleRewards } from "./settle.ts";
import type { StakingState } from "./stakingState.ts";

/** Options of {@link processEpochEnd}. */
export interface EpochEndOptions {
  /** The epoch that is ending. */
  readonly epoch: bigint;
  readonly params: StakingParams;
  /** Slots to elect (K per shard × shards). */
  readonly slots: number;
  /** Effective-stake band in basis points (c, or c after the EPoS v2 fork). */
  readonly bandBps: number;
}

/** What the epoch end did. */
export interface EpochEndResult {
  /** The next epoch's slots, by descending bid. */
  readonly committee: readonly CommitteeSlot[];
  readonly medianRawStake: bigint;
  /** Wei returned to delegators from undelegations past their lock. */
  readonly released: bigint;
  readonly removedDelegations: number;
  /** Validators made inactive for low availability. */
  readonly deactivated: readonly Uint8Array[];
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Run the epoch end on `state`. */
export function processEpochEnd(state: StakingState, opts: EpochEndOptions): EpochEndResult {
  const lock = BigInt(opts.params.undelegationLockEpochs);
  let released = 0n;
  let removedDelegations = 0;
  const deactivated: Uint8Array[] = [];
  const candidates: { address: Uint8Array; blsKeys: Uint8Array[]; totalDelegation: bigint }[] = [];
  for (const address of state.validatorAddresses()) {
    const v = state.getValidator(address);
    if (v === undefined) throw new Error("staking state: a listed validator has no record"); // broken invariant
    // One read of the delegations serves the settlement and the walk below (the epoch end's main cost).
    const delegations = state.delegationsOf(address);
    processSettleRewards(state, v, delegations);
    for (const d of delegations) {
      const due = d.undelegations.filter((u) => opts.epoch - u.epoch >= lock);
      if (due.length > 0) {
        const amount = due.reduce((s, u) => s + u.amount, 0n);
        credit(state.world, d.delegator, amount);
        released += amount;
        d.undelegations = d.undelegations.filter((u) => opts.epoch - u.epoch < lock);
      }
      const stale = d.amount === 0n && d.reward === 0n && d.undelegations.length === 0 && !sameBytes(d.delegator, address);
      if (stale) {
        // The record is re-read: an earlier removal in this loop may have moved its index entries.
        const current = state.getDelegation(address, d.delegator);
        if (current !== undefined) state.removeDelegation(address, current);
        removedDelegations++;
      } else if (due.length > 0) {
        const current = state.getDelegation(address, d.delegator);
        if (current !== undefined) state.putDelegation(address, { ...current, undelegations: d.undelegations });
      }
    }
    if (v.epochToSign > 0n && v.epochSigned * 3n < v.epochToSign * 2n && v.status === ValidatorStatus.ACTIVE) {
      v.status = ValidatorStatus.INACTIVE;
      deactivated.push(address);
    }
    v.epochToSign = 0n;
    v.epochSigned = 0n;
    state.putValidator(v);
    const self = delegations.find((d) => sameBytes(d.delegator, address))?.amount ?? 0n; // never stale, so never removed
    if (v.status === ValidatorStatus.ACTIVE && self >= v.minSelfDelegation && v.totalDelegation > 0n) {
      candidates.push({ address, blsKeys: v.blsKeys, totalDelegation: v.totalDelegation });
    }
  }
  const election = candidates.length === 0 ? { slots: [], medianRawStake: 0n } : computeElection(candidates, { slots: opts.slots, bandBps: opts.bandBps });
  return {
    committee: election.slots.map((s) => ({ blsKey: s.blsKey, validator: s.validator, effectiveStake: s.effectiveStake })),
    medianRawStake: election.medianRawStake,
    released,
    removedDelegations,
    deactivated,
  };
}
