/**
 * The incremental state of one epoch's beacon (DESIGN §Randomness), advanced by
 * `processBeaconHeader` one beacon header at a time. Plain immutable data: every step returns a new
 * object (STYLE §1), so the chain can keep one per head and persist it with the epoch data.
 */
import { epochFirstBlock } from "./params.ts";
import type { RandomnessParams } from "./params.ts";

/** A VDF output included by a beacon block of the epoch. */
export interface IncludedVDF {
  /** keccak256(y): the epoch's randomness. */
  readonly rnd: Uint8Array;
  /** y = x^(2^T), x = hashToGroup(pRnd), 256 bytes. */
  readonly y: Uint8Array;
  /** Wesolowski proof π, 256 bytes. */
  readonly proof: Uint8Array;
  /** The beacon block that included it. */
  readonly blockNumber: bigint;
}

/** The beacon's view of one epoch so far. */
export interface EpochRandomnessState {
  readonly epoch: bigint;
  /** The beacon block number the state expects next. */
  readonly nextNumber: bigint;
  /** Hash of the last processed header (the next header's parent), `null` when not known. */
  readonly parentHash: Uint8Array | null;
  /** VRF outputs of the processed blocks before the cut-off, in block order. */
  readonly vrfOutputs: readonly Uint8Array[];
  /** Set once the block at offset cutoff − 1 is processed. */
  readonly pRnd: Uint8Array | null;
  /** The included VDF output, if any. */
  readonly vdf: IncludedVDF | null;
}

/**
 * The state before the first block of `epoch`. `parentHash` (the hash of the previous epoch's last
 * block, or absent for genesis) lets the accumulator check that headers chain.
 * @throws {RangeError} when epoch < 0 or parentHash is not 32 bytes.
 */
export function createEpochRandomnessState(params: RandomnessParams, epoch: bigint, parentHash?: Uint8Array): EpochRandomnessState {
  if (epoch < 0n) throw new RangeError(`epoch must be ≥ 0, got ${epoch}`);
  if (parentHash !== undefined && parentHash.length !== 32) throw new RangeError("parentHash must be 32 bytes");
  return Object.freeze({
    epoch,
    nextNumber: epochFirstBlock(params, epoch),
    parentHash: parentHash?.slice() ?? null,
    vrfOutputs: Object.freeze([]),
    pRnd: null,
    vdf: null,
  });
}
