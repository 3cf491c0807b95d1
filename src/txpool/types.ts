/** Public types of the transaction pool: options, injected modules and the pooled-tx record. */
import type { SignedTransaction } from "../core/index.ts";
import type { Logger } from "../util/logger.ts";

/** The transaction kinds the pool admits (core's decoded transaction): legacy, EIP-2930 and EIP-1559. */
export type PoolTransaction = SignedTransaction;

/**
 * What the pool needs to know about accounts at the current head. The node wiring implements it over
 * the state layer; either sync or async results are accepted.
 */
export interface PoolStateReader {
  /** Next nonce of `address` (20 bytes) at the head state. */
  getNonce(address: Uint8Array): bigint | Promise<bigint>;
  /** Balance in wei of `address` (20 bytes) at the head state. */
  getBalance(address: Uint8Array): bigint | Promise<bigint>;
  /** `baseFeePerGas` of the next block (the config rule over the head header): sets effective tips. */
  nextBaseFee(): bigint;
}

/** Source of wall-clock time in milliseconds; injected so tests can move time (STYLE §13). */
export interface IClock {
  now(): number;
}

/** Limits and chain parameters of a pool. Everything after `blockGasLimit` has a default. */
export interface TxPoolOpts {
  /** EIP-155 chain id of this shard (network id + shard id). */
  chainId: bigint;
  /** Lowest gas price / max fee per gas admitted, in wei. */
  minGasPrice: bigint;
  /** A transaction may not ask for more gas than a block holds. */
  blockGasLimit: bigint;
  /** Largest encoded transaction admitted, in bytes. Default 131072 (128 KiB, as geth). */
  maxTxBytes?: number;
  /** Most executable (pending) transactions over all senders. Default 5120. */
  globalSlots?: number;
  /** Most non-executable (queued) transactions over all senders. Default 1024. */
  globalQueue?: number;
  /** Pending transactions a sender keeps when the pending set must shrink. Default 16. */
  accountSlots?: number;
  /** Most queued transactions per sender; also the largest nonce gap admitted. Default 64. */
  accountQueue?: number;
  /** A replacement must raise both fee caps by at least this percentage. Default 10. */
  priceBumpPercent?: number;
  /** Admit legacy transactions without EIP-155 replay protection. Default false. */
  allowUnprotected?: boolean;
  /** Queued transactions of a sender that sent nothing new for this long are dropped. Default 3 h. */
  queueLifetimeMs?: number;
  /** Recovered senders remembered by tx hash, including txs that already left the pool. Default 16384. */
  senderCacheSize?: number;
}

/** Services the pool uses (STYLE §13). */
export interface TxPoolModules {
  state: PoolStateReader;
  clock?: IClock;
  logger?: Logger;
}

/** A transaction held by the pool, with what admission computed about it. Frozen. */
export interface PoolTx {
  readonly tx: PoolTransaction;
  /** Canonical encoding (what `eth_sendRawTransaction` received). */
  readonly raw: Uint8Array;
  /** `0x` hex of the transaction hash. */
  readonly hash: string;
  /** `0x` lowercase hex of the recovered sender address. */
  readonly sender: string;
  readonly nonce: bigint;
  readonly gasLimit: bigint;
  /** `gasPrice` for legacy and EIP-2930 transactions, `maxFeePerGas` for EIP-1559. */
  readonly feeCap: bigint;
  /** `gasPrice` for legacy and EIP-2930 transactions, `maxPriorityFeePerGas` for EIP-1559. */
  readonly tipCap: bigint;
  /** `value + gasLimit * feeCap`: the most the transaction can take from the sender. */
  readonly cost: bigint;
  /** Clock time of admission, in ms. */
  readonly addedAt: number;
  /** Admission order; earlier transactions win ties. */
  readonly seq: number;
}

/** Result of a successful admission. */
export interface TxPoolAddResult {
  /** `0x` hex of the transaction hash. */
  hash: string;
  /** `0x` lowercase hex of the sender. */
  sender: string;
  /** True when the transaction is executable now, false when it waits for a nonce gap to fill. */
  pending: boolean;
}

/** Counts as `txpool_status` reports them. */
export interface TxPoolStatus {
  pending: number;
  queued: number;
}

/** Transactions by sender address, each list in nonce order (`txpool_content`). */
export interface TxPoolContent {
  pending: Record<string, PoolTx[]>;
  queued: Record<string, PoolTx[]>;
}
