/**
 * The slashing part of the finalize step's input (DESIGN §Slashing): which records a block applies
 * (the header's, strictly decoded, or a builder's candidates), who is rewarded (the block's coinbase),
 * and the staking snapshot of an offence epoch, read from the state after that epoch's election block.
 * @module
 */
import { BlockError, BlockErrorCode, type ChainConfig } from "../core/index.ts";
import type { BLS } from "../crypto/index.ts";
import { type SlashesInput, getProcessBLS } from "../execution/index.ts";
import { type StateStore, WorldState } from "../state/index.ts";
import { type DoubleSignRecord, StakingState, decodeSlashes, offenceSnapshotBlock } from "../staking/index.ts";
import type { ChainDB } from "./chainDB.ts";
import { isBeacon } from "../core/index.ts";

/** What the chain holds for slashing: a BLS verifier and the epoch snapshots. */
export interface SlashingEnv {
  readonly bls: Pick<BLS, "verify">;
  readonly snapshotAt: (epoch: bigint) => StakingState | undefined;
}

/** Header fields of a block that decide its slashes. */
export interface SlashHeaderFields {
  readonly epoch: bigint;
  readonly coinbase?: Uint8Array;
  /** The header's encoded `slashes` (verifying: every record must apply), or a builder's candidate records (the ones that apply are kept). */
  readonly slashes?: Uint8Array | readonly DoubleSignRecord[];
}

/** Snapshots from canonical headers: the staking state after block {@link offenceSnapshotBlock}. */
export function createSlashingEnv(config: ChainConfig, db: ChainDB, store: StateStore, bls: Pick<BLS, "verify">): SlashingEnv {
  return {
    bls,
    snapshotAt: (epoch) => {
      const h = db.getHeaderByNumber(offenceSnapshotBlock(config.epochBlocks, epoch));
      return h === undefined ? undefined : new StakingState(new WorldState(store, h.stateRoot));
    },
  };
}

/** The slashing environment of a shard's chain: on the beacon shard when staking and slashing can activate, else none. */
export async function openSlashingEnv(config: ChainConfig, shardId: number, db: ChainDB, store: StateStore): Promise<SlashingEnv | undefined> {
  const ae = config.activationEpochs;
  return isBeacon(shardId) && ae.staking !== null && ae.slashing !== null ? createSlashingEnv(config, db, store, await getProcessBLS()) : undefined;
}

/**
 * The slashes input of a beacon block with staking active, or undefined when there is nothing to
 * apply (then the header must carry no slashes: the state check compares them).
 * @throws {BlockError} SLASHES_INVALID when the header's field does not decode.
 */
export function getSlashesInput(config: ChainConfig, h: SlashHeaderFields, env: SlashingEnv | undefined): SlashesInput | undefined {
  if (env === undefined || !config.isActive("slashing", h.epoch) || h.slashes === undefined) return undefined;
  let records: readonly DoubleSignRecord[];
  const building = !(h.slashes instanceof Uint8Array);
  if (h.slashes instanceof Uint8Array) {
    try {
      records = decodeSlashes(h.slashes);
    } catch (e) {
      throw new BlockError({ code: BlockErrorCode.SLASHES_INVALID, index: -1, reason: (e as Error).message }, `malformed slashes: ${(e as Error).message}`);
    }
  } else records = h.slashes;
  if (records.length === 0) return undefined;
  return { records, skipInvalid: building, reporter: h.coinbase ?? new Uint8Array(20), epoch: h.epoch, epochBlocks: config.epochBlocks, bls: env.bls, snapshotAt: env.snapshotAt };
}
