/**
 * Typed errors of the BLS layer (STYLE §9). Verification functions never throw them: they return
 * `false`. Everything else (key derivation, signing, aggregation, backend loading) throws `BLSError`.
 * @module
 */
import { NodeError } from "../../util/errors.ts";
import type { BLSBackendName } from "./types.ts";

/** Stable codes of {@link BLSError}. */
export const BLSErrorCode = {
  /** Not 32 bytes, zero, or not below the group order r. */
  INVALID_SECRET_KEY: "BLS_ERROR_INVALID_SECRET_KEY",
  /** Bad encoding, not on the curve, not in the r-order subgroup, or the point at infinity. */
  INVALID_PUBLIC_KEY: "BLS_ERROR_INVALID_PUBLIC_KEY",
  /** Bad encoding, not on the curve or not in the r-order subgroup. */
  INVALID_SIGNATURE: "BLS_ERROR_INVALID_SIGNATURE",
  /** EIP-2333 needs at least 32 bytes of input keying material. */
  INVALID_IKM: "BLS_ERROR_INVALID_IKM",
  /** Aggregation of an empty list has no result (consensus-specs `Aggregate`, `eth_aggregate_pubkeys`). */
  EMPTY_AGGREGATE: "BLS_ERROR_EMPTY_AGGREGATE",
  /** The requested backend could not be loaded in this runtime. */
  BACKEND_UNAVAILABLE: "BLS_ERROR_BACKEND_UNAVAILABLE",
  /** A backend primitive reported failure on inputs that had already been validated. */
  BACKEND_FAILURE: "BLS_ERROR_BACKEND_FAILURE",
} as const;

/** Union of the values of {@link BLSErrorCode}. */
export type BLSErrorCode = (typeof BLSErrorCode)[keyof typeof BLSErrorCode];

/** Metadata of each {@link BLSError}, by code. */
export type BLSErrorType =
  | { code: typeof BLSErrorCode.INVALID_SECRET_KEY; length: number }
  | { code: typeof BLSErrorCode.INVALID_PUBLIC_KEY; index: number }
  | { code: typeof BLSErrorCode.INVALID_SIGNATURE; index: number }
  | { code: typeof BLSErrorCode.INVALID_IKM; length: number }
  | { code: typeof BLSErrorCode.EMPTY_AGGREGATE; what: "publicKeys" | "signatures" | "secretKeys" }
  | { code: typeof BLSErrorCode.BACKEND_UNAVAILABLE; backend: BLSBackendName; reason: string }
  | { code: typeof BLSErrorCode.BACKEND_FAILURE; backend: BLSBackendName; operation: string };

/**
 * Error thrown by the BLS layer. `index` fields point at the offending element of an input list
 * (0 for single inputs); secret key bytes are never included.
 */
export class BLSError extends NodeError<BLSErrorType> {}
