/**
 * Block reward payout (DESIGN §Staking): a block's reward goes to the validators whose keys signed it
 * (the next header's commit bitmap, against the committee of the block's epoch), in proportion to the
 * effective stake of their signing slots; each validator takes its commission and the rest is shared
 * by its delegations (self-delegation included) pro rata. Every split goes through
 * {@link splitProportional}, so what is paid adds up to the reward to the wei.
 * @module
 */
import { DEC_ONE, mulDec } from "./decimal.ts";
import { splitProportional } from "./splitProportional.ts";

/** A committee slot whose key signed the block. */
export interface SigningSlot {
  /** Validator address, 0x lowercase hex. */
  readonly validator: string;
  readonly effectiveStake: bigint;
}

/**
 * The reward of each validator that signed, keyed by address (in first-seen slot order).
 * @throws {RangeError} on a negative reward or stake.
 */
export function computeValidatorRewards(reward: bigint, signers: readonly SigningSlot[]): Map<string, bigint> {
  const stake = new Map<string, bigint>();
  for (const s of signers) {
    if (s.effectiveStake < 0n) throw new RangeError("negative effective stake");
    stake.set(s.validator, (stake.get(s.validator) ?? 0n) + s.effectiveStake);
  }
  const addrs = [...stake.keys()];
  if (addrs.length === 0) return new Map();
  const shares = splitProportional(reward, addrs.map((a) => stake.get(a) as bigint));
  return new Map(addrs.map((a, i) => [a, shares[i] as bigint]));
}

/** One delegation to a validator (the operator's self-delegation is one of them). */
export interface DelegationShare {
  /** Delegator address, 0x lowercase hex. */
  readonly delegator: string;
  readonly amount: bigint;
}

/** How one validator's reward is shared. */
export interface ValidatorPayout {
  /** The operator's commission (its share as a delegator is in `delegators`). */
  readonly commission: bigint;
  /** Reward per delegation, in the order given. */
  readonly delegators: readonly bigint[];
}

/**
 * Split a validator's `reward`: commission = reward × rate (rounded down), the rest pro rata to the
 * delegations. With no stake delegated at all, the whole reward is commission.
 * @throws {RangeError} on a negative reward, a rate outside [0, 1e18] or a negative delegation.
 */
export function computeValidatorPayout(reward: bigint, commissionRate: bigint, delegations: readonly DelegationShare[]): ValidatorPayout {
  if (commissionRate < 0n || commissionRate > DEC_ONE) throw new RangeError(`commission rate ${commissionRate} outside [0, 1e18]`);
  let total = 0n;
  for (const d of delegations) {
    if (d.amount < 0n) throw new RangeError("negative delegation");
    total += d.amount;
  }
  if (total === 0n) return { commission: reward, delegators: delegations.map(() => 0n) };
  const commission = mulDec(reward, commissionRate);
  return { commission, delegators: splitProportional(reward - commission, delegations.map((d) => d.amount)) };
}
