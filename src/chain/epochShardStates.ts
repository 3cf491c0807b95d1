/**
 * The shard state in force at each epoch, and the finalize step's input derived from it (DESIGN
 * §Staking): the chain's one answer to "the committee of this shard at epoch E".
 * @module
 */
import { type ChainConfig, type Header, type ShardState, decodeShardState, shardSlots } from "../core/index.ts";
import type { FinalizeInput, SignedBlockRewards } from "../execution/index.ts";
import { shuffleCommittee, shuffleSeed } from "../randomness/index.ts";
import type { CrossLink } from "../shard/index.ts";
import type { ChainDB } from "./chainDB.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";
import { type SlashHeaderFields, type SlashingEnv, getSlashesInput } from "./slashesInput.ts";
import { isBeacon } from "../core/index.ts";

/** Header fields of a block the finalize step reads (known before the block is built). */
export interface FinalizeHeaderFields extends SlashHeaderFields {
  readonly number: bigint;
  readonly epoch: bigint;
  readonly lastCommitBitmap: Uint8Array;
  /**
   * The crosslinks the beacon block includes, decoded ([] when none): building, the ones the builder
   * selected; verifying, the header's (already checked against their committees).
   */
  readonly crossLinks: readonly CrossLink[];
}

/** Shard states by epoch, read from the beacon headers that carry them (cached, bounded). */
export class EpochShardStates {
  readonly #cache = new Map<bigint, ShardState>();

  /**
   * @param settled the latest epoch whose shard state can no longer change (the epoch of the block
   * after the head): answers for later epochs are provisional and never cached.
   */
  constructor(
    private readonly db: ChainDB,
    private readonly genesis: Header,
    private readonly settled: () => bigint = () => 0n,
  ) {}

  /** True when the shard state of `epoch` is settled: its election block (if any) is in the chain. */
  isSettled(epoch: bigint): boolean {
    return epoch <= this.settled();
  }

  /**
   * The shard state in force at `epoch`: the one elected for it at the previous epoch's end, else
   * (no election happened, e.g. before staking is active) the latest earlier one, down to genesis.
   * @throws {ChainError} CORRUPT when a stored shard state does not decode.
   */
  at(epoch: bigint): ShardState {
    const cached = this.#cache.get(epoch);
    if (cached !== undefined) return cached;
    let found: ShardState | undefined;
    for (let e = epoch; e > 0n && found === undefined; e--) {
      const n = this.db.getEpochShardStateBlock(e);
      const h = n === undefined ? undefined : this.db.getHeaderByNumber(n);
      if (h !== undefined) found = decodeStored(h.shardState);
    }
    const out = found ?? decodeStored(this.genesis.shardState);
    if (!this.isSettled(epoch)) return out;
    if (this.#cache.size > 64) this.#cache.clear();
    this.#cache.set(epoch, out);
    return out;
  }
}

function decodeStored(bytes: Uint8Array): ShardState {
  try {
    return decodeShardState(bytes);
  } catch (e) {
    throw new ChainError({ code: ChainErrorCode.CORRUPT, reason: `shard state: ${(e as Error).message}` }, "store is corrupt: a shard state does not decode");
  }
}

/**
 * The finalize step's input for a block after `parent` (beacon shard, staking active): the parent's
 * committee and who signed it (this block's commit bitmap), the same for each shard block the block
 * crosslinks ({@link getCrossLinkRewards}), at an epoch's last block the shard state
 * the epoch end starts from with the resharding shuffle seeded by the epoch's final randomness
 * (`randomnessOf`, absent on a chain without a random beacon), and with slashing active the block's
 * slash records (slashesInput.ts). Undefined when nothing is to be done.
 * @throws {Error} when a chain with a beacon has no final randomness at an epoch's last block (its
 * schedule makes it final one block earlier): a broken invariant.
 */
export function getFinalizeInput(
  config: ChainConfig, shardId: number, states: EpochShardStates, parent: Header, h: FinalizeHeaderFields, slashing?: SlashingEnv, randomnessOf?: (epoch: bigint) => Uint8Array | undefined,
): FinalizeInput | undefined {
  if (!isBeacon(shardId) || !config.isActive("staking", h.epoch)) return undefined;
  let parentRewards: SignedBlockRewards | undefined;
  if (parent.number > 0n && h.lastCommitBitmap.length > 0) {
    const committee = shardSlots(states.at(parent.epoch), shardId) ?? [];
    parentRewards = { committee, signed: bitmapSigners(h.lastCommitBitmap, committee.length), sameEpoch: parent.epoch === h.epoch };
  }
  const crossLinkRewards = h.crossLinks.map((l) => getCrossLinkRewards(states, l, h.epoch));
  const epochEnd =
    config.epochOf(h.number + 1n) > h.epoch
      ? {
          current: states.at(h.epoch),
          shardCount: config.shardCount,
          bandBps: config.isActive("eposV2", h.epoch) ? config.staking.effectiveStakeBandV2Bps : config.staking.effectiveStakeBandBps,
          ...(randomnessOf ? { shuffle: reshardingShuffle(h.epoch, randomnessOf) } : {}),
        }
      : undefined;
  const slashes = getSlashesInput(config, h, slashing);
  return {
    params: config.staking,
    ...(parentRewards ? { parentRewards } : {}),
    ...(crossLinkRewards.length > 0 ? { crossLinkRewards } : {}),
    ...(epochEnd ? { epochEnd } : {}),
    ...(slashes ? { slashes } : {}),
  };
}

const bitmapSigners = (bitmap: Uint8Array, slots: number) => Array.from({ length: slots }, (_, i) => ((bitmap[i >> 3] ?? 0) & (1 << (i & 7))) !== 0);

/**
 * The reward input of a crosslinked shard block in a beacon block of `epoch`: the link's bitmap over
 * its shard's committee at the link's epoch, from this beacon chain's shard state (DESIGN §Staking;
 * Harmony pays crosslinked blocks the same way, in `AccumulateRewardsAndCountSigs`). Its availability
 * counts in the epoch's counters only when the link is of the beacon block's epoch: a link of an
 * earlier epoch arrives after that epoch's availability was judged.
 * @throws {Error} when the link's shard has no committee at its epoch: the crosslink check that let the
 * link into the block found one, so this is a broken invariant.
 */
export function getCrossLinkRewards(states: EpochShardStates, link: CrossLink, epoch: bigint): SignedBlockRewards {
  const committee = shardSlots(states.at(link.epoch), link.shardId);
  if (committee === undefined || committee.length === 0) {
    throw new Error(`crosslink reward invariant: shard ${link.shardId} has no committee at epoch ${link.epoch} (a checked crosslink names one)`);
  }
  return { committee, signed: bitmapSigners(link.bitmap, committee.length), sameEpoch: link.epoch === epoch };
}

// The permutation of the committees of `epoch + 1`, seeded by `epoch`'s final randomness (DESIGN
// §Sharding). VDF output or fallback (src/randomness/fallback.ts): whichever the chain derived.
function reshardingShuffle(epoch: bigint, randomnessOf: (epoch: bigint) => Uint8Array | undefined): <T>(slots: readonly T[]) => T[] {
  const randomness = randomnessOf(epoch);
  if (randomness === undefined) throw new Error(`resharding invariant: the randomness of epoch ${epoch} is not final at its last block`);
  const seed = shuffleSeed(randomness, epoch + 1n);
  return (slots) => shuffleCommittee(slots, seed);
}
