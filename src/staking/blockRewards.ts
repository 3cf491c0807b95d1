/**
 * Per-block staking bookkeeping on the beacon chain (DESIGN §Staking): the reward of block N is paid
 * from block N+1's commit bitmap against the committee of N's epoch — split among the signers'
 * validators by effective stake, each validator's commission credited to its operator and the rest to
 * its reward pool (settled over delegations later, see settle.ts) — and each validator's availability
 * counters move: every slot due to sign counts one block to sign, every slot in the bitmap one signed.
 * @module
 */
import { computeValidatorRewards } from "./rewards.ts";
import { mulDec } from "./decimal.ts";
import type { StakingState } from "./stakingState.ts";

/** A committee slot as the shard state lists it. */
export interface CommitteeSlot {
  readonly blsKey: Uint8Array;
  /** Validator address (20 bytes). */
  readonly validator: Uint8Array;
  readonly effectiveStake: bigint;
}

/** What {@link processBlockRewards} paid. */
export interface BlockRewardsResult {
  /** Newly issued wei (the block reward, or 0 when nobody eligible signed). */
  readonly issued: bigint;
  /** Reward per validator (0x hex address → wei). */
  readonly byValidator: ReadonlyMap<string, bigint>;
}

const hex = (b: Uint8Array) => `0x${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;

/**
 * Pay `reward` to the validators whose slots signed (`signed[i]` for `committee[i]`) and count
 * availability. Only validators with a staking record earn; when none of them signed, nothing is issued.
 */
export function processBlockRewards(state: StakingState, committee: readonly CommitteeSlot[], signed: readonly boolean[], reward: bigint, o: { epochCounters?: boolean } = {}): BlockRewardsResult {
  // An epoch's last block is signed after its epoch end ran (its bitmap is in the next block): it
  // counts for the lifetime, not for the next epoch's availability (whose committee may not hold it).
  const epochCounters = o.epochCounters ?? true;
  const records = new Map<string, ReturnType<StakingState["getValidator"]>>();
  const recordOf = (addr: Uint8Array) => {
    const k = hex(addr);
    if (!records.has(k)) records.set(k, state.getValidator(addr));
    return records.get(k);
  };
  const signers: { validator: string; effectiveStake: bigint }[] = [];
  committee.forEach((slot, i) => {
    const v = recordOf(slot.validator);
    if (v === undefined) return;
    if (epochCounters) v.epochToSign += 1n;
    v.lifetimeToSign += 1n;
    if (signed[i] === true) {
      if (epochCounters) v.epochSigned += 1n;
      v.lifetimeSigned += 1n;
      signers.push({ validator: hex(slot.validator), effectiveStake: slot.effectiveStake });
    }
  });
  const byValidator = computeValidatorRewards(reward, signers);
  let issued = 0n;
  for (const [addr, amount] of byValidator) {
    const v = records.get(addr);
    if (v === undefined || amount === 0n) continue;
    issued += amount;
    const commission = mulDec(amount, v.rate);
    v.rewardPool += amount - commission;
    v.lifetimeReward += amount;
    if (commission > 0n) {
      const own = state.getDelegation(v.address, v.address);
      if (own !== undefined) {
        own.reward += commission;
        state.putDelegation(v.address, own);
      } else v.rewardPool += commission; // no self-delegation left: the delegators share it
    }
  }
  for (const v of records.values()) if (v !== undefined) state.putValidator(v);
  return { issued, byValidator };
}
