/**
 * What a beacon leader's node does with the beacon (DESIGN §Randomness): start the VDF as soon as
 * pRnd is fixed, and put the output into the first block it leads inside the window.
 */
import type { EpochRandomnessState } from "./epochState.ts";
import { epochOfBlock, epochOffset, isVDFActive, vdfWindow } from "./params.ts";
import type { RandomnessParams } from "./params.ts";

/** The VDF to evaluate for an epoch (e.g. with `evaluateInWorker(seed, T)`). */
export interface VDFTask {
  epoch: bigint;
  /** pRnd of the epoch. */
  seed: Uint8Array;
  T: number;
}

/**
 * The VDF evaluation this state calls for: once pRnd is fixed, while the VDF is active and no output
 * has been included yet; otherwise `null`.
 */
export function getVDFTask(state: EpochRandomnessState, params: RandomnessParams): VDFTask | null {
  if (state.pRnd === null || state.vdf !== null || !isVDFActive(params, state.epoch)) return null;
  return { epoch: state.epoch, seed: state.pRnd.slice(), T: params.vdfT };
}

/**
 * True when the block `number` built on `state` (its next block) may carry the VDF output: the VDF
 * is active, pRnd is fixed, none is included yet, and the block is inside the window.
 */
export function canIncludeVDF(state: EpochRandomnessState, params: RandomnessParams, number: bigint): boolean {
  if (number !== state.nextNumber || epochOfBlock(params, number) !== state.epoch) return false;
  if (getVDFTask(state, params) === null) return false;
  const offset = epochOffset(params, number);
  const w = vdfWindow(params);
  return offset >= w.start && offset <= w.end;
}
