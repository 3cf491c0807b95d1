/** Typed errors of execution outside block validation (STYLE §9). */
import { NodeError } from "../util/errors.ts";

/** Codes of {@link CallError}. */
export const CallErrorCode = {
  /** A simulated call ran past its time budget. */
  TIMEOUT: "CALL_ERROR_TIMEOUT",
  /** eth_estimateGas: the call fails even with the most gas allowed. */
  GAS_REQUIRED_EXCEEDS_ALLOWANCE: "CALL_ERROR_GAS_REQUIRED_EXCEEDS_ALLOWANCE",
} as const;

/** Metadata of a {@link CallError}. */
export type CallErrorType =
  | { code: typeof CallErrorCode.TIMEOUT; timeoutMs: number }
  | { code: typeof CallErrorCode.GAS_REQUIRED_EXCEEDS_ALLOWANCE; allowance: bigint; error: string };

/** A simulated call (eth_call, eth_estimateGas) that could not produce a result. */
export class CallError extends NodeError<CallErrorType> {}
