/**
 * Validators staked at genesis (DESIGN §Staking: "a fresh devnet's validators are staked from block 0
 * and elected at every epoch like anyone else"): their records, self-delegations and key registrations
 * written into the genesis state, and the stake each genesis committee slot carries.
 * @module
 */
import type { GenesisSpec, ShardState } from "../core/index.ts";
import { computeEffectiveStake, computeMedianStake } from "./effectiveStake.ts";
import { newDelegationRecord, newValidatorRecord } from "./records.ts";
import type { StakingState } from "./stakingState.ts";

const hex = (b: Uint8Array) => b.join(",");

/**
 * Write the genesis validators of `spec` into `state`.
 * @throws {RangeError} on a validator without keys, a key used twice, or rates outside [0, 100%].
 */
export function processGenesisValidators(state: StakingState, spec: GenesisSpec): void {
  for (const v of spec.validators ?? []) {
    if (v.blsKeys.length === 0) throw new RangeError("genesis validator without BLS keys");
    if (v.commissionRate > v.maxCommissionRate || v.maxCommissionRate > 10n ** 18n || v.maxChangeRate > v.maxCommissionRate) {
      throw new RangeError("genesis validator rates out of bounds (rate ≤ max rate ≤ 100%, max change ≤ max rate)");
    }
    for (const k of v.blsKeys) {
      if (state.keyOwner(k) !== undefined) throw new RangeError("genesis: a BLS key belongs to two validators");
      state.setKeyOwner(k, v.address);
    }
    state.putValidator(
      newValidatorRecord({
        address: v.address,
        blsKeys: v.blsKeys,
        description: { name: v.name, identity: "", website: "", securityContact: "", details: "" },
        rate: v.commissionRate,
        maxRate: v.maxCommissionRate,
        maxChangeRate: v.maxChangeRate,
        epoch: 0n,
        minSelfDelegation: v.minSelfDelegation,
        maxTotalDelegation: v.maxTotalDelegation,
        blockNumber: 0n,
        stake: v.stake,
      }),
    );
    state.putDelegation(v.address, newDelegationRecord(v.address, v.stake));
  }
}

/**
 * Epoch 0's shard state: the genesis committees, each slot owned by the genesis validator holding its
 * key, with its bid (stake / keys) clamped around the median of the committees' bids. Keys no genesis
 * validator holds keep no owner and no stake.
 */
export function computeGenesisShardState(spec: GenesisSpec, bandBps: number): ShardState {
  const owner = new Map<string, { address: Uint8Array; bid: bigint }>();
  for (const v of spec.validators ?? []) for (const k of v.blsKeys) owner.set(hex(k), { address: v.address, bid: v.stake / BigInt(v.blsKeys.length) });
  const bids = spec.committees.flat().flatMap((k) => {
    const o = owner.get(hex(k));
    return o === undefined ? [] : [o.bid];
  });
  const median = bids.length === 0 ? 0n : computeMedianStake(bids);
  return {
    epoch: 0n,
    shards: spec.committees.map((keys, shardId) => ({
      shardId,
      slots: keys.map((blsKey) => {
        const o = owner.get(hex(blsKey));
        return o === undefined
          ? { blsKey, validator: new Uint8Array(20), effectiveStake: 0n }
          : { blsKey, validator: o.address, effectiveStake: computeEffectiveStake(median, o.bid, bandBps) };
      }),
    })),
  };
}
