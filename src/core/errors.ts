/**
 * Typed domain errors of blocks and transactions (STYLE §9-10). Bad arguments throw built-ins;
 * an invalid block or transaction is one of these, with a stable code and the facts that explain it.
 */
import { NodeError } from "../util/errors.ts";

/** Codes of {@link BlockError}. */
export const BlockErrorCode = {
  /** The bytes are not a well-formed block or header encoding. */
  MALFORMED: "BLOCK_ERROR_MALFORMED",
  /** A header field is out of range or has the wrong length (validateBasic). */
  INVALID_HEADER: "BLOCK_ERROR_INVALID_HEADER",
  /** The parent block is not known. */
  PARENT_UNKNOWN: "BLOCK_ERROR_PARENT_UNKNOWN",
  /** The block does not extend the current head (number, shard, epoch or timestamp do not follow the parent). */
  PARENT_MISMATCH: "BLOCK_ERROR_PARENT_MISMATCH",
  /** The block is already stored. */
  ALREADY_KNOWN: "BLOCK_ERROR_ALREADY_KNOWN",
  /** txRoot does not commit to the transactions of the body. */
  TX_ROOT_MISMATCH: "BLOCK_ERROR_TX_ROOT_MISMATCH",
  /** The header gas limit is not the configured block gas limit. */
  GAS_LIMIT_INVALID: "BLOCK_ERROR_GAS_LIMIT_INVALID",
  /** A transaction of the body is invalid (signature, type, chain id, nonce, funds, gas …). */
  INVALID_TRANSACTION: "BLOCK_ERROR_INVALID_TRANSACTION",
  /** Re-execution produced a different state root. */
  STATE_ROOT_MISMATCH: "BLOCK_ERROR_STATE_ROOT_MISMATCH",
  /** Re-execution produced a different receipts root. */
  RECEIPTS_ROOT_MISMATCH: "BLOCK_ERROR_RECEIPTS_ROOT_MISMATCH",
  /** The header's baseFeePerGas is not what the chain config's rule gives for the block. */
  BASE_FEE_INVALID: "BLOCK_ERROR_BASE_FEE_INVALID",
  /** The header's shard state is not the one the epoch end computes (or is set outside an epoch end). */
  SHARD_STATE_MISMATCH: "BLOCK_ERROR_SHARD_STATE_MISMATCH",
  /** Re-execution used a different amount of gas. */
  GAS_USED_MISMATCH: "BLOCK_ERROR_GAS_USED_MISMATCH",
  /** Re-execution produced a different logs bloom. */
  BLOOM_MISMATCH: "BLOCK_ERROR_BLOOM_MISMATCH",
  /** The header's slashes are malformed, do not prove double signing, repeat or are not the ones applied. */
  SLASHES_INVALID: "BLOCK_ERROR_SLASHES_INVALID",
  /** A crosslink of the header is malformed, unproven (signature, bitmap, quorum, committee), out of order or a repeat. */
  CROSSLINKS_INVALID: "BLOCK_ERROR_CROSSLINKS_INVALID",
  /** The header's outgoingCxReceiptsRoot is not the root of the cross-shard receipts execution emitted. */
  OUTGOING_CX_ROOT_MISMATCH: "BLOCK_ERROR_OUTGOING_CX_ROOT_MISMATCH",
  /** The header's incomingCxReceiptsRoot is not the root of the cross-shard receipts the block credits. */
  INCOMING_CX_ROOT_MISMATCH: "BLOCK_ERROR_INCOMING_CX_ROOT_MISMATCH",
  /** An incoming cross-shard receipt cannot be credited (already spent, or bound for another shard). */
  CX_RECEIPT_INVALID: "BLOCK_ERROR_CX_RECEIPT_INVALID",
  /**
   * A shard header's epoch is past the latest one the beacon chain has settled: this node's beacon
   * follower is behind (retry later), not proof that the block is invalid.
   */
  EPOCH_AHEAD_OF_BEACON: "BLOCK_ERROR_EPOCH_AHEAD_OF_BEACON",
} as const;

/** Metadata of a {@link BlockError}. */
export type BlockErrorType =
  | { code: typeof BlockErrorCode.MALFORMED; reason: string }
  | { code: typeof BlockErrorCode.INVALID_HEADER; field: string; reason: string }
  | { code: typeof BlockErrorCode.PARENT_UNKNOWN; parentHash: Uint8Array; number: bigint }
  | { code: typeof BlockErrorCode.PARENT_MISMATCH; field: string; expected: string; actual: string }
  | { code: typeof BlockErrorCode.ALREADY_KNOWN; hash: Uint8Array; number: bigint }
  | { code: typeof BlockErrorCode.TX_ROOT_MISMATCH; expected: Uint8Array; actual: Uint8Array }
  | { code: typeof BlockErrorCode.GAS_LIMIT_INVALID; expected: bigint; actual: bigint }
  | { code: typeof BlockErrorCode.BASE_FEE_INVALID; expected: bigint; actual: bigint }
  | { code: typeof BlockErrorCode.INVALID_TRANSACTION; index: number; txCode: string; reason: string }
  | { code: typeof BlockErrorCode.STATE_ROOT_MISMATCH; expected: Uint8Array; actual: Uint8Array }
  | { code: typeof BlockErrorCode.SHARD_STATE_MISMATCH; expected: Uint8Array; actual: Uint8Array }
  | { code: typeof BlockErrorCode.RECEIPTS_ROOT_MISMATCH; expected: Uint8Array; actual: Uint8Array }
  | { code: typeof BlockErrorCode.GAS_USED_MISMATCH; expected: bigint; actual: bigint }
  | { code: typeof BlockErrorCode.BLOOM_MISMATCH }
  | { code: typeof BlockErrorCode.SLASHES_INVALID; index: number; reason: string }
  /** `failure` is the crosslink check's code (CROSSLINK_ERROR_…); index -1 for the field as a whole. */
  | { code: typeof BlockErrorCode.CROSSLINKS_INVALID; index: number; failure: string; reason: string }
  | { code: typeof BlockErrorCode.OUTGOING_CX_ROOT_MISMATCH; expected: Uint8Array; actual: Uint8Array }
  | { code: typeof BlockErrorCode.INCOMING_CX_ROOT_MISMATCH; expected: Uint8Array; actual: Uint8Array }
  /**
   * `index` is the receipt's position in its source block's outgoing list (-1 when the failure is not
   * one receipt's); `proof` the position of its proof in the block body, when the block carries proofs.
   */
  | { code: typeof BlockErrorCode.CX_RECEIPT_INVALID; index: number; cxCode: string; reason: string; proof?: number }
  | { code: typeof BlockErrorCode.EPOCH_AHEAD_OF_BEACON; epoch: bigint; settled: bigint };

/** An invalid block: the peer or leader that sent it is at fault, the node keeps running. */
export class BlockError extends NodeError<BlockErrorType> {}

/** Codes of {@link TransactionError}. */
export const TransactionErrorCode = {
  /** Not a decodable transaction (bad RLP, bad field, trailing bytes). */
  MALFORMED: "TX_ERROR_MALFORMED",
  /** A transaction type this chain does not accept (blob and set-code transactions). */
  UNSUPPORTED_TYPE: "TX_ERROR_UNSUPPORTED_TYPE",
  /** Signed for another chain id. */
  WRONG_CHAIN_ID: "TX_ERROR_WRONG_CHAIN_ID",
  /** A legacy transaction without EIP-155 replay protection where those are not accepted. */
  UNPROTECTED: "TX_ERROR_UNPROTECTED",
  /** maxPriorityFeePerGas above maxFeePerGas. */
  TIP_ABOVE_FEE_CAP: "TX_ERROR_TIP_ABOVE_FEE_CAP",
  /** A creation whose initcode exceeds the EIP-3860 limit. */
  INITCODE_TOO_LARGE: "TX_ERROR_INITCODE_TOO_LARGE",
  /** Unsigned, high-s, or no sender recovers from the signature. */
  INVALID_SIGNATURE: "TX_ERROR_INVALID_SIGNATURE",
  /** Nonce below the sender's account nonce. */
  NONCE_TOO_LOW: "TX_ERROR_NONCE_TOO_LOW",
  /** Nonce above the sender's account nonce. */
  NONCE_TOO_HIGH: "TX_ERROR_NONCE_TOO_HIGH",
  /** The sender cannot pay value + gas limit × fee cap. */
  INSUFFICIENT_FUNDS: "TX_ERROR_INSUFFICIENT_FUNDS",
  /** The gas limit is below the intrinsic gas of the transaction. */
  INTRINSIC_GAS_TOO_LOW: "TX_ERROR_INTRINSIC_GAS_TOO_LOW",
  /** Gas price (or max fee) below the chain's minimum gas price. */
  GAS_PRICE_TOO_LOW: "TX_ERROR_GAS_PRICE_TOO_LOW",
  /** The gas limit does not fit in what is left of the block gas limit. */
  GAS_LIMIT_EXCEEDS_BLOCK: "TX_ERROR_GAS_LIMIT_EXCEEDS_BLOCK",
  /** The sender has code (EIP-3607). */
  SENDER_NOT_EOA: "TX_ERROR_SENDER_NOT_EOA",
} as const;

/** Metadata of a {@link TransactionError}. */
export type TransactionErrorType =
  | { code: typeof TransactionErrorCode.MALFORMED; reason: string }
  | { code: typeof TransactionErrorCode.UNSUPPORTED_TYPE; txType: number }
  | { code: typeof TransactionErrorCode.WRONG_CHAIN_ID; expected: bigint; actual: bigint }
  | { code: typeof TransactionErrorCode.UNPROTECTED }
  | { code: typeof TransactionErrorCode.TIP_ABOVE_FEE_CAP; tipCap: bigint; feeCap: bigint }
  | { code: typeof TransactionErrorCode.INITCODE_TOO_LARGE; size: number; limit: number }
  | { code: typeof TransactionErrorCode.INVALID_SIGNATURE; reason: string }
  | { code: typeof TransactionErrorCode.NONCE_TOO_LOW; expected: bigint; actual: bigint }
  | { code: typeof TransactionErrorCode.NONCE_TOO_HIGH; expected: bigint; actual: bigint }
  | { code: typeof TransactionErrorCode.INSUFFICIENT_FUNDS; balance: bigint; cost: bigint }
  | { code: typeof TransactionErrorCode.INTRINSIC_GAS_TOO_LOW; intrinsic: bigint; gasLimit: bigint }
  | { code: typeof TransactionErrorCode.GAS_PRICE_TOO_LOW; minimum: bigint; actual: bigint }
  | { code: typeof TransactionErrorCode.GAS_LIMIT_EXCEEDS_BLOCK; available: bigint; gasLimit: bigint }
  | { code: typeof TransactionErrorCode.SENDER_NOT_EOA; sender: Uint8Array };

/** An invalid transaction; messages follow geth's wording ("nonce too low", …) so RPC can pass them on. */
export class TransactionError extends NodeError<TransactionErrorType> {}
