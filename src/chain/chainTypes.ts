/** The option and result types of {@link Chain} (chain.ts). */
import type { Block, GenesisSpec, Header, Receipt, SignedTransaction } from "../core/index.ts";
import type { CallPacer, SenderRecoveryPool, StateOverride } from "../execution/index.ts";
import type { RandomnessParams } from "../randomness/index.ts";
import type { StateStoreOptions } from "../state/index.ts";
import type { Logger } from "../util/logger.ts";
import type { BeaconView } from "./beaconView.ts";

/** Options of `Chain.open`. */
export interface ChainOptions {
  /** The genesis; written to an empty store, checked against a non-empty one. */
  genesis: GenesisSpec;
  shardId?: number;
  /** Workers for sender recovery; `null` recovers on this thread. Default: a pool of one worker per core. */
  senderPool?: SenderRecoveryPool | null;
  /**
   * Senders already recovered elsewhere, by transaction hash (the txpool's cache): a block whose
   * transactions went through the pool is validated without recovering any signature.
   */
  knownSender?: (txHash: Uint8Array) => Uint8Array | undefined;
  /** Transactions already decoded (the txpool's), by hash: {@link Chain.decodeBlock} reuses them. */
  knownTransaction?: (txHash: Uint8Array) => SignedTransaction | undefined;
  stateCache?: StateStoreOptions;
  /** eth_getLogs: most blocks per query. Default 10,000. */
  maxLogBlockRange?: number;
  /** eth_call / eth_estimateGas: default gas cap. Default 50,000,000. */
  callGasCap?: bigint;
  /** Slices long calls so that they share the thread with block processing. Default: 5 ms slices. */
  callPacer?: CallPacer;
  logger?: Logger;
  /** The random beacon's rules (beacon shard); all nodes of a network must agree. Default: from the chain config. */
  randomness?: RandomnessParams;
  /**
   * The beacon chain (shard 0) as this chain sees it: required for a shard chain of a network with
   * several shards, whose epochs, committees and crosslinks are the beacon's (a node's beacon follower:
   * `beaconChain.beaconView()`); ignored on shard 0, which is its own beacon.
   */
  beacon?: BeaconView;
  /**
   * A shard chain's blocks close their epoch only once the beacon head is this many blocks past the
   * block that elected the next epoch (a leader's policy; validators accept any close the beacon has
   * settled): nodes whose keys the election dealt to this shard sync it meanwhile. Default 0.
   */
  epochCloseDelayBlocks?: number;
  /**
   * Keep the transaction history of addresses (`--rpc-tx-history`, addressHistory.ts): each block's
   * batch indexes its transactions by sender and recipient; blocks committed before are indexed by
   * `AddressHistory.backfill` steps. Default off.
   */
  txHistory?: boolean;
}

/** Timings of one insert, in ms. */
export interface InsertTimings {
  validateBody: number;
  execute: number;
  evm: number;
  stateRoot: number;
  receiptsRoot: number;
  commit: number;
  total: number;
}

/** Result of inserting a block. */
export interface InsertResult {
  readonly block: Block;
  readonly receipts: readonly Receipt[];
  readonly timings: InsertTimings;
  /** Writes in the block's batch (state nodes, code, block data, indexes). */
  readonly ops: number;
}

/** Options of `Chain.call` and `Chain.estimateGas`. */
export interface ChainCallOptions {
  /** Block whose state and context the call runs on (default: head). */
  block?: Header;
  stateOverrides?: readonly StateOverride[];
  gasCap?: bigint;
  timeoutMs?: number;
}
