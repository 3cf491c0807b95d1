/**
 * Typed rejections of the transaction pool (STYLE §9, §10). Messages match go-ethereum's txpool
 * errors where one exists (`core/txpool/errors.go`, `core/error.go`), because wallets and dapp tools
 * match on those strings.
 */
import { NodeError } from "../util/errors.ts";

/** Why the pool refused a transaction. Values are stable and machine-readable. */
export const TxPoolErrorCode = {
  INVALID_RLP: "TXPOOL_ERROR_INVALID_RLP",
  TX_TYPE_NOT_SUPPORTED: "TXPOOL_ERROR_TX_TYPE_NOT_SUPPORTED",
  OVERSIZED: "TXPOOL_ERROR_OVERSIZED",
  UNPROTECTED: "TXPOOL_ERROR_UNPROTECTED",
  WRONG_CHAIN_ID: "TXPOOL_ERROR_WRONG_CHAIN_ID",
  INVALID_SIGNATURE: "TXPOOL_ERROR_INVALID_SIGNATURE",
  MAX_INITCODE_SIZE_EXCEEDED: "TXPOOL_ERROR_MAX_INITCODE_SIZE_EXCEEDED",
  GAS_LIMIT_EXCEEDED: "TXPOOL_ERROR_GAS_LIMIT_EXCEEDED",
  TIP_ABOVE_FEE_CAP: "TXPOOL_ERROR_TIP_ABOVE_FEE_CAP",
  UNDERPRICED: "TXPOOL_ERROR_UNDERPRICED",
  INTRINSIC_GAS_TOO_LOW: "TXPOOL_ERROR_INTRINSIC_GAS_TOO_LOW",
  ALREADY_KNOWN: "TXPOOL_ERROR_ALREADY_KNOWN",
  NONCE_TOO_LOW: "TXPOOL_ERROR_NONCE_TOO_LOW",
  NONCE_TOO_HIGH_GAP: "TXPOOL_ERROR_NONCE_TOO_HIGH_GAP",
  INSUFFICIENT_FUNDS: "TXPOOL_ERROR_INSUFFICIENT_FUNDS",
  REPLACEMENT_UNDERPRICED: "TXPOOL_ERROR_REPLACEMENT_UNDERPRICED",
  POOL_FULL: "TXPOOL_ERROR_POOL_FULL",
} as const;

/** Union of the {@link TxPoolErrorCode} values. */
export type TxPoolErrorCode = (typeof TxPoolErrorCode)[keyof typeof TxPoolErrorCode];

type C = typeof TxPoolErrorCode;

/** Metadata of a {@link TxPoolError}, one shape per code. Hashes and addresses are `0x` hex. */
export type TxPoolErrorType =
  | { code: C["INVALID_RLP"]; reason: string }
  | { code: C["TX_TYPE_NOT_SUPPORTED"]; txType: number }
  | { code: C["OVERSIZED"]; size: number; limit: number }
  | { code: C["UNPROTECTED"] }
  | { code: C["WRONG_CHAIN_ID"]; have: bigint; want: bigint }
  | { code: C["INVALID_SIGNATURE"]; reason: string }
  | { code: C["MAX_INITCODE_SIZE_EXCEEDED"]; size: number; limit: number }
  | { code: C["GAS_LIMIT_EXCEEDED"]; gasLimit: bigint; blockGasLimit: bigint }
  | { code: C["TIP_ABOVE_FEE_CAP"]; tipCap: bigint; feeCap: bigint }
  | { code: C["UNDERPRICED"]; feeCap: bigint; minGasPrice: bigint }
  | { code: C["INTRINSIC_GAS_TOO_LOW"]; gasLimit: bigint; intrinsicGas: bigint }
  | { code: C["ALREADY_KNOWN"]; hash: string }
  | { code: C["NONCE_TOO_LOW"]; sender: string; nonce: bigint; stateNonce: bigint }
  | { code: C["NONCE_TOO_HIGH_GAP"]; sender: string; nonce: bigint; nextNonce: bigint; maxGap: bigint }
  | { code: C["INSUFFICIENT_FUNDS"]; sender: string; balance: bigint; cost: bigint }
  | { code: C["REPLACEMENT_UNDERPRICED"]; hash: string; replaced: string }
  | { code: C["POOL_FULL"]; hash: string };

function messageOf(t: TxPoolErrorType): string {
  switch (t.code) {
    case TxPoolErrorCode.INVALID_RLP:
      return `rlp: ${t.reason}`;
    case TxPoolErrorCode.TX_TYPE_NOT_SUPPORTED:
      return "transaction type not supported";
    case TxPoolErrorCode.OVERSIZED:
      return `oversized data: transaction size ${t.size}, limit ${t.limit}`;
    case TxPoolErrorCode.UNPROTECTED:
      return "only replay-protected (EIP-155) transactions allowed over RPC";
    case TxPoolErrorCode.WRONG_CHAIN_ID:
      return `invalid sender: invalid chain id for signer: have ${t.have} want ${t.want}`;
    case TxPoolErrorCode.INVALID_SIGNATURE:
      return `invalid sender: ${t.reason}`;
    case TxPoolErrorCode.MAX_INITCODE_SIZE_EXCEEDED:
      return `max initcode size exceeded: code size ${t.size}, limit ${t.limit}`;
    case TxPoolErrorCode.GAS_LIMIT_EXCEEDED:
      return "exceeds block gas limit";
    case TxPoolErrorCode.TIP_ABOVE_FEE_CAP:
      return `max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas: ${t.tipCap}, maxFeePerGas: ${t.feeCap}`;
    case TxPoolErrorCode.UNDERPRICED:
      return `transaction underpriced: gas fee cap ${t.feeCap}, minimum needed ${t.minGasPrice}`;
    case TxPoolErrorCode.INTRINSIC_GAS_TOO_LOW:
      return `intrinsic gas too low: gas ${t.gasLimit}, minimum needed ${t.intrinsicGas}`;
    case TxPoolErrorCode.ALREADY_KNOWN:
      return "already known";
    case TxPoolErrorCode.NONCE_TOO_LOW:
      return `nonce too low: address ${t.sender}, tx: ${t.nonce} state: ${t.stateNonce}`;
    case TxPoolErrorCode.NONCE_TOO_HIGH_GAP:
      return `nonce too high: address ${t.sender}, tx: ${t.nonce} next: ${t.nextNonce}, max gap ${t.maxGap}`;
    case TxPoolErrorCode.INSUFFICIENT_FUNDS:
      return `insufficient funds for gas * price + value: balance ${t.balance}, tx cost ${t.cost}, overshot ${t.cost - t.balance}`;
    case TxPoolErrorCode.REPLACEMENT_UNDERPRICED:
      return "replacement transaction underpriced";
    case TxPoolErrorCode.POOL_FULL:
      return "txpool is full";
  }
}

/**
 * A transaction the pool refused. `code` says why; the message is go-ethereum's wording, so RPC can
 * pass it through unchanged.
 */
export class TxPoolError extends NodeError<TxPoolErrorType> {
  constructor(type: TxPoolErrorType, options?: { cause?: unknown }) {
    super(type, messageOf(type), options);
  }
}
