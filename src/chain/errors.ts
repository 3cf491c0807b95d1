/** Typed errors of the chain layer (STYLE §9). Invalid blocks are core's `BlockError`. */
import { NodeError } from "../util/errors.ts";

/** Codes of {@link ChainError}. */
export const ChainErrorCode = {
  /** The store holds another chain (its genesis differs from the configured one). */
  GENESIS_MISMATCH: "CHAIN_ERROR_GENESIS_MISMATCH",
  /** The store was written by an older version whose stored encodings this one cannot read. */
  INCOMPATIBLE_STORE: "CHAIN_ERROR_INCOMPATIBLE_STORE",
  /** The store has chain data but no readable head (corruption). */
  CORRUPT: "CHAIN_ERROR_CORRUPT",
  /** eth_getLogs over more blocks than allowed. */
  LOG_RANGE_TOO_LARGE: "CHAIN_ERROR_LOG_RANGE_TOO_LARGE",
  /** A block number or hash that the chain does not have. */
  UNKNOWN_BLOCK: "CHAIN_ERROR_UNKNOWN_BLOCK",
  /** The chain was closed. */
  CLOSED: "CHAIN_ERROR_CLOSED",
} as const;

/** Metadata of a {@link ChainError}. */
export type ChainErrorType =
  | { code: typeof ChainErrorCode.GENESIS_MISMATCH; stored: Uint8Array; expected: Uint8Array }
  | { code: typeof ChainErrorCode.INCOMPATIBLE_STORE; reason: string }
  | { code: typeof ChainErrorCode.CORRUPT; reason: string }
  | { code: typeof ChainErrorCode.LOG_RANGE_TOO_LARGE; maxBlockRange: number; requested: bigint }
  | { code: typeof ChainErrorCode.UNKNOWN_BLOCK; block: string }
  | { code: typeof ChainErrorCode.CLOSED };

/** A chain-level failure. */
export class ChainError extends NodeError<ChainErrorType> {}
