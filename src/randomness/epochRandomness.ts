/**
 * The final randomness of an epoch: the included VDF's rnd, or the fallback (DESIGN §Randomness),
 * in the shape RPC `hmy_getEpochRandomness` answers.
 */
import { bytesToHex, concatBytes } from "../util/bytes.ts";
import type { EpochRandomnessState } from "./epochState.ts";
import { RandomnessError, RandomnessErrorCode } from "./errors.ts";
import { computeFallbackRandomness } from "./fallback.ts";
import { randomnessFinalBlock } from "./params.ts";
import type { RandomnessParams } from "./params.ts";

/** An epoch's randomness and where it came from. */
export interface EpochRandomness {
  epoch: bigint;
  /** 32 bytes: rnd of the included VDF, or the fallback. */
  randomness: Uint8Array;
  /** The combined VRF outputs at the cut-off (the VDF seed). */
  pRnd: Uint8Array;
  /** y ‖ π (512 bytes) of the included VDF, `null` for the fallback. */
  vdfProof: Uint8Array | null;
  /** Beacon block that included the VDF output, `null` for the fallback. */
  vdfBlock: bigint | null;
  source: "vdf" | "fallback";
}

/** JSON form of {@link EpochRandomness} (hex bytes, decimal numbers), as RPC returns it. */
export interface EpochRandomnessJSON {
  epoch: number;
  randomness: string;
  pRnd: string;
  vdfProof: string | null;
  vdfBlock: number | null;
  source: "vdf" | "fallback";
}

/** True once the state has processed its epoch's window end (offset E − 2), so the randomness is final. */
export function isEpochRandomnessFinal(state: EpochRandomnessState, params: RandomnessParams): boolean {
  return state.nextNumber > randomnessFinalBlock(params, state.epoch);
}

/**
 * The epoch's randomness from a state that has processed at least through the window's end.
 * @throws {RandomnessError} NOT_FINAL when the window is still open.
 */
export function getEpochRandomness(state: EpochRandomnessState, params: RandomnessParams): EpochRandomness {
  const finalAt = randomnessFinalBlock(params, state.epoch);
  if (!isEpochRandomnessFinal(state, params) || state.pRnd === null) {
    const processedThrough = state.nextNumber === 0n ? null : state.nextNumber - 1n;
    throw new RandomnessError({ code: RandomnessErrorCode.NOT_FINAL, epoch: state.epoch, processedThrough, finalAt }, `epoch ${state.epoch}: randomness final after block ${finalAt}`);
  }
  const base = { epoch: state.epoch, pRnd: state.pRnd.slice() };
  if (state.vdf !== null) {
    return { ...base, randomness: state.vdf.rnd.slice(), vdfProof: concatBytes(state.vdf.y, state.vdf.proof), vdfBlock: state.vdf.blockNumber, source: "vdf" };
  }
  return { ...base, randomness: computeFallbackRandomness(state.pRnd, state.epoch), vdfProof: null, vdfBlock: null, source: "fallback" };
}

/** The JSON form of an epoch's randomness. */
export function epochRandomnessToJSON(r: EpochRandomness): EpochRandomnessJSON {
  return {
    epoch: Number(r.epoch),
    randomness: bytesToHex(r.randomness),
    pRnd: bytesToHex(r.pRnd),
    vdfProof: r.vdfProof === null ? null : bytesToHex(r.vdfProof),
    vdfBlock: r.vdfBlock === null ? null : Number(r.vdfBlock),
    source: r.source,
  };
}
