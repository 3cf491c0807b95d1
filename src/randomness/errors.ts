/**
 * Typed errors of the random beacon (STYLE §9, §10). Header checks return a {@link RandomnessError}
 * inside a result (`validateVRFField`, `validateVDFField`); the accumulator throws one when fed a
 * header that breaks the rules; bad arguments throw `TypeError`/`RangeError`.
 * @module
 */
import { NodeError } from "../util/errors.ts";

/** Stable codes of {@link RandomnessError}. */
export const RandomnessErrorCode = {
  /** A beacon block after genesis carries no VRF although the VRF is active. */
  VRF_MISSING: "RANDOMNESS_ERROR_VRF_MISSING",
  /** A VRF is present although the VRF is not active at the block's epoch. */
  VRF_UNEXPECTED: "RANDOMNESS_ERROR_VRF_UNEXPECTED",
  /** The VRF does not verify against the leader's key and the parent hash. */
  VRF_INVALID: "RANDOMNESS_ERROR_VRF_INVALID",
  /** A VDF field is present although the VDF is not active at the block's epoch. */
  VDF_NOT_ACTIVE: "RANDOMNESS_ERROR_VDF_NOT_ACTIVE",
  /** The VDF field is included outside the epoch's inclusion window. */
  VDF_OUTSIDE_WINDOW: "RANDOMNESS_ERROR_VDF_OUTSIDE_WINDOW",
  /** A VDF output was already included earlier in this epoch. */
  VDF_DUPLICATE: "RANDOMNESS_ERROR_VDF_DUPLICATE",
  /** The VDF field does not have the length of rnd ‖ y ‖ proof. */
  VDF_MALFORMED: "RANDOMNESS_ERROR_VDF_MALFORMED",
  /** rnd ≠ keccak256(y). */
  VDF_RND_MISMATCH: "RANDOMNESS_ERROR_VDF_RND_MISMATCH",
  /** The Wesolowski proof of y for seed pRnd and difficulty T does not verify. */
  VDF_INVALID_PROOF: "RANDOMNESS_ERROR_VDF_INVALID_PROOF",
  /** The header is not a beacon (shard 0) header. */
  NOT_BEACON: "RANDOMNESS_ERROR_NOT_BEACON",
  /** The header is not the next block the accumulator expects. */
  OUT_OF_ORDER: "RANDOMNESS_ERROR_OUT_OF_ORDER",
  /** The header's epoch field disagrees with its number (epoch = number / E). */
  EPOCH_MISMATCH: "RANDOMNESS_ERROR_EPOCH_MISMATCH",
  /** The header's parent hash is not the hash of the previous processed header. */
  PARENT_MISMATCH: "RANDOMNESS_ERROR_PARENT_MISMATCH",
  /** The epoch's randomness is asked for before its VDF inclusion window has closed. */
  NOT_FINAL: "RANDOMNESS_ERROR_NOT_FINAL",
} as const;

/** Union of the values of {@link RandomnessErrorCode}. */
export type RandomnessErrorCode = (typeof RandomnessErrorCode)[keyof typeof RandomnessErrorCode];

type C = typeof RandomnessErrorCode;

/** Metadata of each {@link RandomnessError}, by code. */
export type RandomnessErrorType =
  | { code: C["VRF_MISSING"] | C["VRF_UNEXPECTED"] | C["VRF_INVALID"]; number: bigint }
  | { code: C["VDF_NOT_ACTIVE"] | C["VDF_DUPLICATE"] | C["VDF_RND_MISMATCH"] | C["VDF_INVALID_PROOF"]; number: bigint; epoch: bigint }
  | { code: C["VDF_OUTSIDE_WINDOW"]; number: bigint; offset: number; windowStart: number; windowEnd: number }
  | { code: C["VDF_MALFORMED"]; number: bigint; length: number; expected: number }
  | { code: C["NOT_BEACON"]; number: bigint; shardId: number }
  | { code: C["OUT_OF_ORDER"]; number: bigint; expected: bigint }
  | { code: C["EPOCH_MISMATCH"]; number: bigint; epoch: bigint; expected: bigint }
  | { code: C["PARENT_MISMATCH"]; number: bigint }
  | { code: C["NOT_FINAL"]; epoch: bigint; processedThrough: bigint | null; finalAt: bigint };

/** Error of the random beacon (an invalid header, or randomness asked for too early). */
export class RandomnessError extends NodeError<RandomnessErrorType> {}

/** The outcome of a header check: ok, or the typed reason it fails. */
export type CheckResult = { ok: true } | { ok: false; error: RandomnessError };

/** A failed {@link CheckResult} with a new {@link RandomnessError}. */
export function fail(type: RandomnessErrorType, message: string): CheckResult {
  return { ok: false, error: new RandomnessError(type, message) };
}

/** The passing {@link CheckResult}. */
export const OK: CheckResult = Object.freeze({ ok: true }) as CheckResult;
