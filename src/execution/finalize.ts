/**
 * The block pipeline's finalize step (DESIGN §Staking): after a beacon block's transactions and
 * before its state root — pay the parent block's reward by the commit bitmap this block carries, then
 * the reward of each shard block the block crosslinks (by the link's bitmap), count availability,
 * apply the double-sign slashes the header carries (the header's `slashes`), and in an epoch's last
 * block run the epoch end and elect the next epoch's committees (the header's `shardState`).
 * Identical for the leader building the block, a validator verifying it and a node syncing it: the
 * chain hands in the same data (STYLE §2) and this returns the same result.
 * @module
 */
import { BlockError, BlockErrorCode, type ShardState, type StakingParams, encodeShardState } from "../core/index.ts";
import type { BLS } from "../crypto/index.ts";
import type { WorldState } from "../state/index.ts";
import {
  type CommitteeSlot, type DoubleSignRecord, MAX_SLASHES_PER_HEADER, StakingError, StakingState, applySlash, checkDoubleSignRecord, encodeSlashes, processBlockRewards, processEpochEnd,
} from "../staking/index.ts";

/** The slashes of a block (DESIGN §Slashing). */
export interface SlashesInput {
  /** Building: the candidate records; verifying: the header's. */
  readonly records: readonly DoubleSignRecord[];
  /** Building: leave out a record that does not apply (as an invalid transaction is skipped); verifying: it makes the block invalid. */
  readonly skipInvalid: boolean;
  /** The block's coinbase: the reporter of the evidence it carries. */
  readonly reporter: Uint8Array;
  /** The block's epoch. */
  readonly epoch: bigint;
  readonly epochBlocks: number;
  readonly bls: Pick<BLS, "verify">;
  /** The staking state at the start of an epoch (its snapshot), undefined when not available. */
  readonly snapshotAt: (epoch: bigint) => StakingState | undefined;
}

/** One signed block's reward: the committee of the block's shard at its epoch and which slots signed it. */
export interface SignedBlockRewards {
  readonly committee: readonly CommitteeSlot[];
  readonly signed: readonly boolean[];
  /**
   * False when the block's epoch is not the paying block's: its availability counts for the
   * lifetime only (the epoch it belongs to has ended, or ends before this count could matter).
   */
  readonly sameEpoch?: boolean;
}

/** What the chain knows that the finalize step needs. */
export interface FinalizeInput {
  readonly params: StakingParams;
  /** The parent block's reward: its epoch's committee of this shard and which slots signed it. */
  readonly parentRewards?: SignedBlockRewards;
  /**
   * The rewards of the shard blocks this beacon block crosslinks, in the header's order: each the
   * fixed block reward, paid like a beacon block's (DESIGN §Staking "shard blocks when crosslinked").
   */
  readonly crossLinkRewards?: readonly SignedBlockRewards[];
  /** Set in an epoch's last beacon block: elect the committees of `current.epoch + 1`. */
  readonly epochEnd?: {
    readonly current: ShardState;
    readonly shardCount: number;
    readonly bandBps: number;
    /**
     * The resharding permutation (DESIGN §Sharding): the chain's `shuffleCommittee` with the seed of
     * the epoch's final randomness and the next epoch. Absent only on a chain without a random beacon
     * (epochs shorter than its schedule), where the slots are dealt in election order.
     */
    readonly shuffle?: <T>(slots: readonly T[]) => T[];
  };
  /** Double-sign records to apply (slashing active). */
  readonly slashes?: SlashesInput;
}

/** What the finalize step did. */
export interface FinalizeOutput {
  /** Wei issued as block reward (the parent's and the crosslinked shard blocks'). */
  readonly issued: bigint;
  /** The encoded next shard state (epoch end only). */
  readonly shardState?: Uint8Array;
  /** The encoded records applied (the header's `slashes`); empty for none. */
  readonly slashes: Uint8Array;
  /** Wei burnt by slashing. */
  readonly burntSlashes: bigint;
}

/**
 * Deal the elected slots (election order: bid, then key), permuted by `shuffle` when given, over the
 * shards round-robin: slot i of the permuted order goes to shard i mod shardCount, keeping that order
 * within each shard. Every validator recomputes it, and the header's shardState must equal it.
 */
export function dealSlots(slots: readonly CommitteeSlot[], opts: { shardCount: number; epoch: bigint; shuffle?: <T>(slots: readonly T[]) => T[] }): ShardState {
  const { shardCount, epoch } = opts;
  const order = opts.shuffle === undefined ? slots : opts.shuffle(slots);
  if (order.length !== slots.length) throw new Error(`resharding invariant: the shuffle returned ${order.length} of ${slots.length} slots`);
  const shards = Array.from({ length: shardCount }, (_, shardId) => ({ shardId, slots: [] as { blsKey: Uint8Array; validator: Uint8Array; effectiveStake: bigint }[] }));
  order.forEach((s, i) => shards[i % shardCount]?.slots.push({ blsKey: s.blsKey, validator: s.validator, effectiveStake: s.effectiveStake }));
  return { epoch, shards };
}

/** Run the finalize step on `world` (the block's state after its transactions). */
export function finalizeBlock(world: WorldState, input: FinalizeInput): FinalizeOutput {
  const state = new StakingState(world);
  const pay = (r: SignedBlockRewards) => processBlockRewards(state, r.committee, r.signed, input.params.blockReward, { epochCounters: r.sameEpoch ?? true }).issued;
  let issued = input.parentRewards === undefined ? 0n : pay(input.parentRewards);
  for (const r of input.crossLinkRewards ?? []) issued += pay(r);
  const { applied, burntSlashes } = input.slashes === undefined ? { applied: [], burntSlashes: 0n } : processSlashes(state, input.slashes, input.params);
  const slashes = encodeSlashes(applied);
  if (input.epochEnd === undefined) return { issued, slashes, burntSlashes };
  const { current, shardCount, bandBps, shuffle } = input.epochEnd;
  const next = current.epoch + 1n;
  const elected = processEpochEnd(state, { epoch: current.epoch, params: input.params, slots: input.params.slotsPerShard * shardCount, bandBps });
  // Nobody eligible: the committees carry over rather than leave the chain without signers.
  const shardState = elected.committee.length === 0 ? { epoch: next, shards: current.shards } : dealSlots(elected.committee, { shardCount, epoch: next, ...(shuffle ? { shuffle } : {}) });
  return { issued, shardState: encodeShardState(shardState), slashes, burntSlashes };
}

/** Apply each record in order; a record that does not apply is skipped (building) or invalidates the block. */
function processSlashes(state: StakingState, s: SlashesInput, params: StakingParams): { applied: DoubleSignRecord[]; burntSlashes: bigint } {
  const applied: DoubleSignRecord[] = [];
  let burntSlashes = 0n;
  s.records.forEach((r, index) => {
    if (applied.length === MAX_SLASHES_PER_HEADER) return; // a builder's extra candidates wait for the next block
    const invalid = (reason: string) => {
      if (!s.skipInvalid) throw new BlockError({ code: BlockErrorCode.SLASHES_INVALID, index, reason }, `invalid slash record ${index}: ${reason}`);
    };
    const bad = checkDoubleSignRecord(r, s.bls);
    if (bad !== null) return invalid(bad);
    const snapshot = r.epoch > s.epoch ? undefined : s.snapshotAt(r.epoch);
    if (snapshot === undefined) return invalid(`no staking snapshot of epoch ${r.epoch}`);
    state.world.checkpoint();
    try {
      burntSlashes += applySlash(state, r, { reporter: s.reporter, params, epochBlocks: s.epochBlocks, epoch: s.epoch, snapshot }).burnt;
      state.world.commitCheckpoint();
      applied.push(r);
    } catch (e) {
      state.world.revert();
      if (!(e instanceof StakingError)) throw e;
      invalid(e.message);
    }
  });
  return { applied, burntSlashes };
}
