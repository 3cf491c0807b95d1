/**
 * Why a staking call is refused (STYLE §9). The message is the revert reason a wallet shows; the call
 * then changes nothing (the EVM's journal undoes its writes).
 * @module
 */
import { NodeError } from "../util/errors.ts";

/** Codes of {@link StakingError}. */
export const StakingErrorCode = {
  BAD_CALLDATA: "STAKING_ERROR_BAD_CALLDATA",
  WRONG_SHARD: "STAKING_ERROR_WRONG_SHARD",
  NOT_PAYABLE: "STAKING_ERROR_NOT_PAYABLE",
  CALLER_MISMATCH: "STAKING_ERROR_CALLER_MISMATCH",
  VALIDATOR_EXISTS: "STAKING_ERROR_VALIDATOR_EXISTS",
  UNKNOWN_VALIDATOR: "STAKING_ERROR_UNKNOWN_VALIDATOR",
  BANNED: "STAKING_ERROR_BANNED",
  BAD_DESCRIPTION: "STAKING_ERROR_BAD_DESCRIPTION",
  BAD_RATES: "STAKING_ERROR_BAD_RATES",
  BAD_KEY: "STAKING_ERROR_BAD_KEY",
  BAD_PROOF: "STAKING_ERROR_BAD_PROOF",
  DUPLICATE_KEY: "STAKING_ERROR_DUPLICATE_KEY",
  TOO_MANY_KEYS: "STAKING_ERROR_TOO_MANY_KEYS",
  BELOW_MINIMUM: "STAKING_ERROR_BELOW_MINIMUM",
  ABOVE_MAXIMUM: "STAKING_ERROR_ABOVE_MAXIMUM",
  INSUFFICIENT_BALANCE: "STAKING_ERROR_INSUFFICIENT_BALANCE",
  NO_DELEGATION: "STAKING_ERROR_NO_DELEGATION",
  MORE_THAN_DELEGATED: "STAKING_ERROR_MORE_THAN_DELEGATED",
  NO_REWARDS: "STAKING_ERROR_NO_REWARDS",
  BAD_STATUS: "STAKING_ERROR_BAD_STATUS",
  /** Double-sign evidence that does not prove double signing (malformed, same block, bad signature). */
  BAD_EVIDENCE: "STAKING_ERROR_BAD_EVIDENCE",
  /** The offender is already slashed and banned. */
  ALREADY_SLASHED: "STAKING_ERROR_ALREADY_SLASHED",
} as const;

/** A staking error code. */
export type StakingErrorCode = (typeof StakingErrorCode)[keyof typeof StakingErrorCode];

/** Metadata of a {@link StakingError}. */
export type StakingErrorType = { code: StakingErrorCode } & Record<string, unknown>;

/** A refused staking call; `message` is the revert reason. */
export class StakingError extends NodeError<StakingErrorType> {}

/** Throw a {@link StakingError} with `reason` (prefixed "staking: ") as its message. */
export function refuse(code: StakingErrorCode, reason: string, meta: Record<string, unknown> = {}): never {
  throw new StakingError({ code, ...meta }, `staking: ${reason}`);
}
