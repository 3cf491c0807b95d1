/**
 * The random beacon (DESIGN §Randomness) as pure functions over beacon headers: the leader's VRF in
 * each header, pRnd at the epoch's cut-off, the VDF output a later leader includes (or the
 * deterministic fallback when none is), the epoch randomness as `hmy_getEpochRandomness` returns
 * it, and the committee shuffle it seeds. No I/O, no clock; imports only core, crypto and util.
 *
 * ```ts
 * const params = createRandomnessParams(config);
 * let s = createEpochRandomnessState(params, 0n);
 * for (const h of beaconHeaders) { validateVRFField(bls, h, { leaderPublicKey, params }); s = processBeaconHeader(s, h, params); }
 * const r = getEpochRandomness(s, params);              // after offset E − 2
 * const order = shuffleCommittee(slots, shuffleSeed(r.randomness, r.epoch + 1n));
 * ```
 * @module
 */
export { RandomnessError, RandomnessErrorCode } from "./errors.ts";
export type { CheckResult, RandomnessErrorType } from "./errors.ts";
export {
  createRandomnessParams,
  defaultVDFT,
  epochFirstBlock,
  epochOfBlock,
  epochOffset,
  isVDFActive,
  isVRFActive,
  randomnessFinalBlock,
  vdfWindow,
} from "./params.ts";
export type { RandomnessOverrides, RandomnessParams } from "./params.ts";
export { VRF_FIELD_BYTES, VRF_OUTPUT_BYTES, VRF_PROOF_BYTES, computeVRF, verifyVRF, vrfMessage, vrfOutput } from "./vrf.ts";
export { validateVRFField } from "./vrfField.ts";
export type { VRFFieldContext } from "./vrfField.ts";
export { computePRnd } from "./pRnd.ts";
export { VDF_FIELD_BYTES, VDF_RND_BYTES, computeVDFRnd, decodeVDFField, encodeVDFField, validateVDFField } from "./vdfField.ts";
export type { VDFField } from "./vdfField.ts";
export { computeFallbackRandomness } from "./fallback.ts";
export { createEpochRandomnessState } from "./epochState.ts";
export type { EpochRandomnessState, IncludedVDF } from "./epochState.ts";
export { createEpochRandomnessStateFromHeaders, processBeaconHeader } from "./processBeaconHeader.ts";
export type { ProcessBeaconHeaderOptions } from "./processBeaconHeader.ts";
export { epochRandomnessToJSON, getEpochRandomness, isEpochRandomnessFinal } from "./epochRandomness.ts";
export type { EpochRandomness, EpochRandomnessJSON } from "./epochRandomness.ts";
export { shuffleCommittee, shuffleSeed } from "./shuffle.ts";
export { canIncludeVDF, getVDFTask } from "./leaderDuties.ts";
export type { VDFTask } from "./leaderDuties.ts";
