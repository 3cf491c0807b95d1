/** Stateless admission rules that need the decoded transaction but not its sender. */
import { TxPoolError, TxPoolErrorCode } from "./errors.ts";
import { transactionIntrinsicGas, txFeeCap, txTipCap } from "../core/index.ts";
import type { PoolTransaction } from "./types.ts";

/** The two prices of a transaction, whatever its type. */
export interface TxFees {
  /** `gasPrice`, or `maxFeePerGas` for EIP-1559. */
  feeCap: bigint;
  /** `gasPrice`, or `maxPriorityFeePerGas` for EIP-1559. */
  tipCap: bigint;
}

/** Fee cap and tip cap of `tx` (legacy and EIP-2930 use the gas price for both). */
export function getTxFees(tx: PoolTransaction): TxFees {
  return { feeCap: txFeeCap(tx), tipCap: txTipCap(tx) };
}

/**
 * Check the gas limit against the block and intrinsic gas, and the fee cap against the minimum.
 * Runs before sender recovery so that cheap rejections never pay for it.
 * @throws {TxPoolError} GAS_LIMIT_EXCEEDED, UNDERPRICED or INTRINSIC_GAS_TOO_LOW.
 */
export function assertValidTxGas(tx: PoolTransaction, opts: { blockGasLimit: bigint; minGasPrice: bigint }): TxFees {
  if (tx.gasLimit > opts.blockGasLimit) {
    throw new TxPoolError({ code: TxPoolErrorCode.GAS_LIMIT_EXCEEDED, gasLimit: tx.gasLimit, blockGasLimit: opts.blockGasLimit });
  }
  const fees = getTxFees(tx);
  if (fees.feeCap < opts.minGasPrice) {
    throw new TxPoolError({ code: TxPoolErrorCode.UNDERPRICED, feeCap: fees.feeCap, minGasPrice: opts.minGasPrice });
  }
  const intrinsicGas = transactionIntrinsicGas(tx);
  if (tx.gasLimit < intrinsicGas) {
    throw new TxPoolError({ code: TxPoolErrorCode.INTRINSIC_GAS_TOO_LOW, gasLimit: tx.gasLimit, intrinsicGas });
  }
  return fees;
}

/**
 * True when `next` may replace `old` (same sender and nonce): both caps must rise by at least
 * `bumpPercent`, and strictly (go-ethereum `legacypool` list.Add).
 */
export function isValidReplacement(old: TxFees, next: TxFees, bumpPercent: number): boolean {
  if (next.feeCap <= old.feeCap || next.tipCap <= old.tipCap) return false;
  const factor = BigInt(100 + bumpPercent);
  return next.feeCap * 100n >= old.feeCap * factor && next.tipCap * 100n >= old.tipCap * factor;
}
