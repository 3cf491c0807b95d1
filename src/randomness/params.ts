/**
 * The epoch schedule of the random beacon (DESIGN §Randomness). For an epoch of E beacon blocks,
 * block offsets are `number mod E`:
 *
 * ```
 * offset  0 … cutoff−1 | cutoff … cutoff+k−1 | cutoff+k … E−2 | E−1
 *         VRFs → pRnd  | VDF being evaluated | VDF inclusion  | last block: randomness final,
 *                      | (nothing included)  | window         | next committees built from it
 * ```
 * The window closes one block before the epoch's last block so that block (which carries the next
 * epoch's shard state) already knows the final randomness, VDF or fallback.
 */
import type { ChainConfig } from "../core/chainConfig.ts";
import { MAX_T } from "../crypto/vdf/index.ts";

/** The rules of the beacon for one network; build with {@link createRandomnessParams}. */
export interface RandomnessParams {
  /** E: beacon blocks per epoch (≥ 4: at least one VRF block, one delay block, one window block, the last block). */
  readonly epochBlocks: number;
  /** Blocks at offsets [0, vrfCutoff) contribute their VRF output to pRnd. Default min(⌊E/2⌋, E − 3). */
  readonly vrfCutoff: number;
  /** k ≥ 1: the VDF output may be included from offset vrfCutoff + k. Default max(1, ⌊E/8⌋). */
  readonly vdfDelayBlocks: number;
  /** T: squarings of the VDF. Default sized from the block time (see {@link defaultVDFT}). */
  readonly vdfT: number;
  /** Epoch the VRF activates at (`null`: never): from then every non-genesis beacon block carries one. */
  readonly vrfFromEpoch: bigint | null;
  /** Epoch the VDF activates at (`null`: never): before it, randomness is always the fallback. */
  readonly vdfFromEpoch: bigint | null;
}

/** Parameters that may be set instead of derived from the chain config. */
export type RandomnessOverrides = Partial<Pick<RandomnessParams, "vrfCutoff" | "vdfDelayBlocks" | "vdfT">>;

// Planning figure for an honest evaluator: µs per 2048-bit modular squaring (issue 5 sets ≤ 1.2 µs
// for the kernel and measures GMP at 0.72 µs). Used only to size the default T.
const ASSUMED_SQUARING_US = 1;
const MIN_DEFAULT_T = 1 << 10;

/**
 * Default T: the largest power of two of squarings that an evaluator at ~1 µs/squaring finishes in
 * half of the k-block delay. So the evaluation spans several blocks (the last VRF contributor cannot
 * learn the outcome before it must publish its block) and honest nodes are done before the window opens.
 */
export function defaultVDFT(vdfDelayBlocks: number, blockTimeMs: number): number {
  const budget = (vdfDelayBlocks * blockTimeMs * 1000) / 2 / ASSUMED_SQUARING_US;
  const t = 2 ** Math.floor(Math.log2(Math.max(budget, MIN_DEFAULT_T)));
  return Math.min(t, MAX_T);
}

function int(v: number, name: string, min: number, max: number): number {
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`randomness params: ${name} must be an integer in [${min}, ${max}], got ${v}`);
  return v;
}

/**
 * The beacon's parameters for a chain config (E, block time and the `vrf`/`vdf` activation epochs),
 * with optional overrides.
 * @throws {RangeError} when E < 4, the cut-off is outside [1, E−3], k < 1, the window
 * [cutoff + k, E − 2] is empty, or T ∉ [1, 2^40].
 */
export function createRandomnessParams(
  config: Pick<ChainConfig, "epochBlocks" | "blockTimeMs" | "activationEpochs">,
  overrides: RandomnessOverrides = {},
): RandomnessParams {
  const E = int(config.epochBlocks, "epochBlocks", 4, Number.MAX_SAFE_INTEGER);
  const vrfCutoff = int(overrides.vrfCutoff ?? Math.min(Math.floor(E / 2), E - 3), "vrfCutoff", 1, E - 3);
  const vdfDelayBlocks = int(overrides.vdfDelayBlocks ?? Math.max(1, Math.floor(E / 8)), "vdfDelayBlocks", 1, E - 2 - vrfCutoff);
  const vdfT = int(overrides.vdfT ?? defaultVDFT(vdfDelayBlocks, config.blockTimeMs), "vdfT", 1, MAX_T);
  return Object.freeze({
    epochBlocks: E,
    vrfCutoff,
    vdfDelayBlocks,
    vdfT,
    vrfFromEpoch: config.activationEpochs.vrf,
    vdfFromEpoch: config.activationEpochs.vdf,
  });
}

/** True when beacon blocks of `epoch` must carry a VRF. */
export function isVRFActive(params: RandomnessParams, epoch: bigint): boolean {
  return params.vrfFromEpoch !== null && epoch >= params.vrfFromEpoch;
}

/** True when a VDF output may be included in `epoch`. */
export function isVDFActive(params: RandomnessParams, epoch: bigint): boolean {
  return params.vdfFromEpoch !== null && epoch >= params.vdfFromEpoch;
}

/** The epoch of a beacon block number (epoch = number / E, genesis in epoch 0). */
export function epochOfBlock(params: RandomnessParams, number: bigint): bigint {
  return number / BigInt(params.epochBlocks);
}

/** Offset of a beacon block number inside its epoch, in [0, E). */
export function epochOffset(params: RandomnessParams, number: bigint): number {
  return Number(number % BigInt(params.epochBlocks));
}

/** The first block number of `epoch`. */
export function epochFirstBlock(params: RandomnessParams, epoch: bigint): bigint {
  return epoch * BigInt(params.epochBlocks);
}

/** Inclusive offsets [start, end] in which a beacon leader may include the VDF output. */
export function vdfWindow(params: RandomnessParams): { start: number; end: number } {
  return { start: params.vrfCutoff + params.vdfDelayBlocks, end: params.epochBlocks - 2 };
}

/**
 * Block number of `epoch` after which its randomness is final (the window's last block, offset E−2):
 * once it is processed, `getEpochRandomness` yields the included VDF output or the fallback.
 */
export function randomnessFinalBlock(params: RandomnessParams, epoch: bigint): bigint {
  return epochFirstBlock(params, epoch) + BigInt(vdfWindow(params).end);
}
