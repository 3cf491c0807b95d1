/**
 * Typed errors of the VDF (STYLE §9). `vdfVerify` never throws: it returns `false`. Bad arguments
 * throw `TypeError`/`RangeError` (STYLE §10); the rest throws `VDFError`.
 * @module
 */
import { NodeError } from "../../util/errors.ts";

/** Stable codes of {@link VDFError}. */
export const VDFErrorCode = {
  /** The evaluation was cancelled through its AbortSignal. */
  ABORTED: "VDF_ERROR_ABORTED",
  /** The WASM kernel could not be instantiated or rejected the modulus. */
  KERNEL_UNAVAILABLE: "VDF_ERROR_KERNEL_UNAVAILABLE",
  /** The kernel's linear memory could not grow to hold the proof buckets. */
  OUT_OF_MEMORY: "VDF_ERROR_OUT_OF_MEMORY",
  /** The evaluation worker failed or exited before answering. */
  WORKER_FAILED: "VDF_ERROR_WORKER_FAILED",
} as const;

/** Union of the values of {@link VDFErrorCode}. */
export type VDFErrorCode = (typeof VDFErrorCode)[keyof typeof VDFErrorCode];

/** Metadata of each {@link VDFError}, by code. */
export type VDFErrorType =
  | { code: typeof VDFErrorCode.ABORTED; squarings: number; T: number }
  | { code: typeof VDFErrorCode.KERNEL_UNAVAILABLE; reason: string }
  | { code: typeof VDFErrorCode.OUT_OF_MEMORY; slots: number }
  | { code: typeof VDFErrorCode.WORKER_FAILED; reason: string };

/** Error thrown by the VDF layer. */
export class VDFError extends NodeError<VDFErrorType> {}
