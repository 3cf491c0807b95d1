/**
 * The block pipeline's finalize step (DESIGN §Staking): after a beacon block's transactions and
 * before its state root — pay the parent block's reward by the commit bitmap this block carries, count
 * availability, and in an epoch's last block run the epoch end and elect the next epoch's committees
 * (the header's `shardState`). Identical for the leader building the block, a validator verifying it and
 * a node syncing it: the chain hands in the same data (STYLE §2) and this returns the same result.
 * @module
 */
import { type ShardState, type StakingParams, encodeShardState } from "../core/index.ts";
import type { WorldState } from "../state/index.ts";
import { type CommitteeSlot, StakingState, processBlockRewards, processEpochEnd } from "../staking/index.ts";

/** What the chain knows that the finalize step needs. */
export interface FinalizeInput {
  readonly params: StakingParams;
  /** The parent block's reward: its epoch's committee of this shard and which slots signed it. */
  readonly parentRewards?: { readonly committee: readonly CommitteeSlot[]; readonly signed: readonly boolean[] };
  /** Set in an epoch's last beacon block: elect the committees of `current.epoch + 1`. */
  readonly epochEnd?: { readonly current: ShardState; readonly shardCount: number; readonly bandBps: number };
}

/** What the finalize step did. */
export interface FinalizeOutput {
  /** Wei issued as block reward. */
  readonly issued: bigint;
  /** The encoded next shard state (epoch end only). */
  readonly shardState?: Uint8Array;
}

/** Deal elected slots over the shards round-robin, in election order (bid, then key). */
function dealSlots(slots: readonly CommitteeSlot[], shardCount: number, epoch: bigint): ShardState {
  const shards = Array.from({ length: shardCount }, (_, shardId) => ({ shardId, slots: [] as { blsKey: Uint8Array; validator: Uint8Array; effectiveStake: bigint }[] }));
  slots.forEach((s, i) => shards[i % shardCount]?.slots.push({ blsKey: s.blsKey, validator: s.validator, effectiveStake: s.effectiveStake }));
  return { epoch, shards };
}

/** Run the finalize step on `world` (the block's state after its transactions). */
export function finalizeBlock(world: WorldState, input: FinalizeInput): FinalizeOutput {
  const state = new StakingState(world);
  let issued = 0n;
  if (input.parentRewards !== undefined) {
    issued = processBlockRewards(state, input.parentRewards.committee, input.parentRewards.signed, input.params.blockReward).issued;
  }
  if (input.epochEnd === undefined) return { issued };
  const { current, shardCount, bandBps } = input.epochEnd;
  const next = current.epoch + 1n;
  const elected = processEpochEnd(state, { epoch: current.epoch, params: input.params, slots: input.params.slotsPerShard * shardCount, bandBps });
  // Nobody eligible: the committees carry over rather than leave the chain without signers.
  const shardState = elected.committee.length === 0 ? { epoch: next, shards: current.shards } : dealSlots(elected.committee, shardCount, next);
  return { issued, shardState: encodeShardState(shardState) };
}
