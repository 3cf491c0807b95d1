/**
 * Transaction pool (DESIGN §2 `txpool`): admission checks with go-ethereum's error wording, senders
 * recovered once and cached by hash, per-sender nonce lists split into pending and queued,
 * replacement by fee bump, global and per-sender limits with eviction of the cheapest, and
 * block-building order by price and nonce.
 * @module
 */
export { createTxPool } from "./txPool.ts";
export type { TxPool } from "./txPool.ts";
export { TxPoolError, TxPoolErrorCode } from "./errors.ts";
export type { TxPoolErrorType } from "./errors.ts";
export { TxsByPriceAndNonce, getEffectiveTip } from "./priceAndNonce.ts";
export { recoverSender } from "./recoverSender.ts";
export type { RecoveredSender } from "./recoverSender.ts";
export type {
  IClock,
  PoolStateReader,
  PoolTransaction,
  PoolTx,
  TxPoolAddResult,
  TxPoolContent,
  TxPoolModules,
  TxPoolOpts,
  TxPoolStatus,
} from "./types.ts";
