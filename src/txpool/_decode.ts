/**
 * Admission's view of core's transaction decoder: the pool decodes with core (one decoder for the
 * node) and reports its typed rejections under the pool's codes and go-ethereum's wording.
 */
import { type SignedTransaction, TransactionError, TransactionErrorCode, createChainCommon, decodeTransaction } from "../core/index.ts";
import { TxPoolError, TxPoolErrorCode, type TxPoolErrorType } from "./errors.ts";

/**
 * Decode `raw` (whose hash the caller already computed) with the pool's replay-protection rule.
 * @throws {TxPoolError} INVALID_RLP, TX_TYPE_NOT_SUPPORTED, UNPROTECTED, WRONG_CHAIN_ID, INVALID_SIGNATURE,
 *   TIP_ABOVE_FEE_CAP or MAX_INITCODE_SIZE_EXCEEDED.
 */
export function decodePoolTx(raw: Uint8Array, hash: Uint8Array, ctx: { chainId: bigint; allowUnprotected: boolean }): SignedTransaction {
  let tx: SignedTransaction;
  try {
    tx = decodeTransaction(raw, createChainCommon(ctx.chainId), { allowUnprotected: ctx.allowUnprotected });
  } catch (e) {
    if (e instanceof TransactionError) throw new TxPoolError(poolErrorType(e), { cause: e });
    throw e;
  }
  tx.cache.hash = hash; // saves re-encoding in tx.hash()
  return tx;
}

function poolErrorType(e: TransactionError): TxPoolErrorType {
  const t = e.type;
  switch (t.code) {
    case TransactionErrorCode.UNSUPPORTED_TYPE:
      return { code: TxPoolErrorCode.TX_TYPE_NOT_SUPPORTED, txType: t.txType };
    case TransactionErrorCode.UNPROTECTED:
      return { code: TxPoolErrorCode.UNPROTECTED };
    case TransactionErrorCode.WRONG_CHAIN_ID:
      return { code: TxPoolErrorCode.WRONG_CHAIN_ID, have: t.actual, want: t.expected };
    case TransactionErrorCode.INVALID_SIGNATURE:
      return { code: TxPoolErrorCode.INVALID_SIGNATURE, reason: t.reason };
    case TransactionErrorCode.TIP_ABOVE_FEE_CAP:
      return { code: TxPoolErrorCode.TIP_ABOVE_FEE_CAP, tipCap: t.tipCap, feeCap: t.feeCap };
    case TransactionErrorCode.INITCODE_TOO_LARGE:
      return { code: TxPoolErrorCode.MAX_INITCODE_SIZE_EXCEEDED, size: t.size, limit: t.limit };
    case TransactionErrorCode.MALFORMED:
      return { code: TxPoolErrorCode.INVALID_RLP, reason: t.reason };
    default:
      return { code: TxPoolErrorCode.INVALID_RLP, reason: e.message };
  }
}
