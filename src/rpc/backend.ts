/**
 * The one interface between the RPC layer and the node (chain, state, txpool, execution).
 * The node wiring implements it; the RPC layer only formats, validates and limits.
 *
 * Conventions: hashes are 32 bytes, addresses 20 bytes, quantities `bigint`. A block is named by its
 * number once the RPC layer has resolved tags (`latest`, `earliest`, …) and EIP-1898 hashes.
 * Lookups of something that does not exist resolve to `undefined`; a failure that a user should see
 * (state pruned, tx rejected, call precondition failed) is thrown as a `NodeError` whose message is
 * geth-like ("nonce too low", "missing trie node …"); the RPC layer returns it as JSON-RPC error
 * -32000 with that message. Anything else thrown becomes -32603 "internal error" and is logged.
 * @module
 */
import type { SignedTransaction } from "../core/index.ts";
import type { StateOverride, TraceConfig, TraceResult, TxTrace } from "../execution/index.ts";

/** Sync progress; `syncing: false` means the node follows the head (then `/ready` answers 200). */
export interface RpcSyncStatus {
  syncing: boolean;
  startingBlock: bigint;
  currentBlock: bigint;
  highestBlock: bigint;
  /** While syncing: import rate over the last few seconds (eth_syncing adds it as a number). */
  blocksPerSecond?: number;
  /** While syncing and the rate is known: estimated seconds to `highestBlock`. */
  etaSeconds?: number;
}

/** A block header with the Ethereum fields the JSON-RPC shows, plus optional Harmony extras. */
export interface RpcHeader {
  hash: Uint8Array;
  parentHash: Uint8Array;
  number: bigint;
  timestamp: bigint;
  /** Coinbase / block proposer, 20 bytes. */
  miner: Uint8Array;
  stateRoot: Uint8Array;
  transactionsRoot: Uint8Array;
  receiptsRoot: Uint8Array;
  /** 256 bytes. */
  logsBloom: Uint8Array;
  extraData: Uint8Array;
  /** 32 bytes (zero when the chain has no use for it). */
  mixHash: Uint8Array;
  /** 8 bytes. */
  nonce: Uint8Array;
  difficulty: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  /** The header's base fee; absent = the chain has no base fee, shown as 0x0. */
  baseFeePerGas?: bigint;
  withdrawalsRoot?: Uint8Array;
  blobGasUsed?: bigint;
  excessBlobGas?: bigint;
  parentBeaconBlockRoot?: Uint8Array;
  /** Harmony extras, added to block JSON when present. */
  shardId?: number;
  epoch?: bigint;
  viewId?: bigint;
  /** Aggregate commit signature of the parent (96 bytes) and its committee bitmap (DESIGN §Consensus). */
  lastCommitSig?: Uint8Array;
  lastCommitBitmap?: Uint8Array;
  /** VRF output(32) ‖ proof(96) of a beacon header, or empty (Harmony's `vrf`/`vrfProof`). */
  vrf?: Uint8Array;
  /** The header's RLP list of crosslinks (beacon headers; empty when none). */
  crossLinks?: Uint8Array;
  /** The header's own RLP encoding (debug_getRawHeader); absent when the backend does not give it. */
  encoded?: Uint8Array;
}

/** A signed transaction with its sender recovered once and its hash. */
export interface RpcTransaction {
  tx: SignedTransaction;
  hash: Uint8Array;
  /** 20 bytes. */
  sender: Uint8Array;
}

/** A block: header, transactions in order, and its encoded size in bytes. */
export interface RpcBlock {
  header: RpcHeader;
  transactions: RpcTransaction[];
  size: bigint;
  /**
   * Wei burnt as fees by this block (Σ gasUsed × effectiveGasPrice of its transactions: every fee,
   * tip included, is burnt) and by the chain from genesis up to it; absent when unknown.
   */
  fees?: { burnt: bigint; cumulativeBurnt: bigint };
  /** The block's RLP encoding (debug_getRawBlock); absent when the backend does not give it. */
  encoded?: Uint8Array;
}

/** A log as emitted by execution. */
export interface RpcLog {
  address: Uint8Array;
  topics: Uint8Array[];
  data: Uint8Array;
}

/**
 * A consensus receipt. The RPC derives the rest (gasUsed, effectiveGasPrice, contractAddress,
 * log positions) from the block, as geth does.
 */
export interface RpcReceipt {
  status: 0 | 1;
  cumulativeGasUsed: bigint;
  logsBloom: Uint8Array;
  logs: RpcLog[];
}

/** A log with its position in the chain; `logIndex` counts logs within the block. */
export interface RpcLogEntry extends RpcLog {
  blockNumber: bigint;
  blockHash: Uint8Array;
  transactionHash: Uint8Array;
  transactionIndex: number;
  logIndex: number;
}

/** Where an included transaction is. */
export interface RpcTxLocation {
  blockHash: Uint8Array;
  blockNumber: bigint;
  index: number;
}

/**
 * A log query over an inclusive block range. `addresses` empty = any address. `topics[i]` null =
 * any value at position i, otherwise one of the listed values. Return at most `limit` entries,
 * ordered by block then logIndex (the RPC asks for one more than its result limit to detect overflow).
 */
export interface RpcLogQuery {
  fromBlock: bigint;
  toBlock: bigint;
  addresses: Uint8Array[];
  topics: (Uint8Array[] | null)[];
  limit: number;
}

/** EIP-1186 account proof. */
export interface RpcAccountProof {
  balance: bigint;
  nonce: bigint;
  codeHash: Uint8Array;
  storageHash: Uint8Array;
  accountProof: Uint8Array[];
  storageProof: { key: Uint8Array; value: bigint; proof: Uint8Array[] }[];
}

/** The message of an eth_call / eth_estimateGas; absent fields take the executor's defaults. */
export interface RpcCallRequest {
  from?: Uint8Array;
  /** Absent or null = contract creation. */
  to?: Uint8Array | null;
  value?: bigint;
  data?: Uint8Array;
  nonce?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  accessList?: { address: Uint8Array; storageKeys: Uint8Array[] }[];
}

/**
 * A temporary change of one account for a single call (geth's state override set): the executor's own
 * type, so the node passes overrides through unchanged. `state` and `stateDiff` are never both set.
 */
export type RpcAccountOverride = StateOverride;

/** How to run a call. */
export interface RpcCallOptions {
  /** Run on the state after this block. */
  blockNumber: bigint;
  gasLimit: bigint;
  overrides: RpcAccountOverride[];
  /** Aborted when the RPC's call timeout passes; the executor should stop soon after. */
  signal: AbortSignal;
  /** Clock time (`Date.now()` ms) at which the executor must give up; the same moment `signal` fires. */
  deadline?: number;
}

/**
 * Outcome of a call. On revert, `success` is false and `revertData` holds the revert bytes (maybe
 * empty). On any other failure (out of gas, invalid opcode…) `success` is false, `revertData` is
 * absent and `error` says what happened.
 */
export interface RpcCallResult {
  success: boolean;
  returnData: Uint8Array;
  gasUsed: bigint;
  revertData?: Uint8Array;
  error?: string;
}

/** Stops a subscription. */
export type Unsubscribe = () => void;

/** Everything the JSON-RPC server needs from the node. */
export interface RpcBackend {
  /** EIP-155 chain id of this shard. */
  chainId(): bigint;
  /** Network id (net_version). */
  networkId(): bigint;
  /** Number of the current head block. */
  headNumber(): bigint;
  syncStatus(): RpcSyncStatus;
  peerCount(): number;
  /** The minimum gas price the txpool admits. */
  minGasPrice(): bigint;
  /** Base fee of the next block (0 when the chain has none). */
  nextBaseFee(): bigint;

  getHeaderByNumber(number: bigint): Promise<RpcHeader | undefined>;
  getHeaderByHash(hash: Uint8Array): Promise<RpcHeader | undefined>;
  getBlockByNumber(number: bigint): Promise<RpcBlock | undefined>;
  getBlockByHash(hash: Uint8Array): Promise<RpcBlock | undefined>;
  /** Receipts of a block, in transaction order. */
  getBlockReceipts(blockHash: Uint8Array): Promise<RpcReceipt[] | undefined>;
  /** Location of an included transaction (from the tx lookup index). */
  getTransactionLocation(txHash: Uint8Array): Promise<RpcTxLocation | undefined>;
  /** A transaction waiting in the pool. */
  getPendingTransaction(txHash: Uint8Array): RpcTransaction | undefined;
  /** Logs matching a query, from the log index. */
  getLogs(query: RpcLogQuery): Promise<RpcLogEntry[]>;

  getBalance(address: Uint8Array, blockNumber: bigint): Promise<bigint>;
  getNonce(address: Uint8Array, blockNumber: bigint): Promise<bigint>;
  /** Next nonce counting the sender's transactions in the pool. */
  getPendingNonce(address: Uint8Array): Promise<bigint>;
  getCode(address: Uint8Array, blockNumber: bigint): Promise<Uint8Array>;
  /** 32-byte value of a 32-byte slot. */
  getStorageAt(address: Uint8Array, slot: Uint8Array, blockNumber: bigint): Promise<Uint8Array>;
  getProof(address: Uint8Array, slots: Uint8Array[], blockNumber: bigint): Promise<RpcAccountProof>;

  /**
   * Execute a message on a block's state without committing anything.
   * @throws {NodeError} when the message cannot run at all (e.g. "insufficient funds for gas * price + value").
   */
  call(request: RpcCallRequest, opts: RpcCallOptions): Promise<RpcCallResult>;
  /**
   * Validate and add a raw signed transaction to the pool, then gossip it; resolves to its hash.
   * @throws {NodeError} on rejection, with a geth-like message ("nonce too low", "insufficient funds
   * for gas * price + value", "transaction underpriced", "invalid sender", …).
   */
  sendRawTransaction(raw: Uint8Array): Promise<Uint8Array>;

  /** The node-to-node protocol version (`hmy_protocolVersion`); absent = that method does not exist. */
  protocolVersion?(): number;
  /** The coinbase of the blocks this node proposes (eth_coinbase); absent = it names none (geth's "etherbase must be explicitly specified"). */
  coinbase?(): Uint8Array;
  /** Called once per new canonical head, in order. */
  onNewHead(cb: (header: RpcHeader) => void): Unsubscribe;
  /** Called once per new canonical block with all its logs (possibly none). */
  onLogs(cb: (logs: RpcLogEntry[]) => void): Unsubscribe;
  /** Called for each transaction newly admitted to the pool. */
  onPendingTx(cb: (tx: RpcTransaction) => void): Unsubscribe;
  /** The node's peer controls for the `admin_` namespace; absent on a node without p2p. */
  admin?: RpcAdminBackend;
  /** The transaction pool for the `txpool_` namespace; absent = those methods do not exist (-32601). */
  txpool?: RpcTxPoolBackend;
  /** Re-execution with tracers for the `debug_` namespace; absent = those methods do not exist (-32601). */
  debug?: RpcDebugBackend;
  /**
   * eth_createAccessList (geth's AccessList) on the state after `opts.blockNumber`; absent = the method does not exist.
   * @throws {NodeError} as `call`, and a timeout after `opts.timeoutMs` for all its runs together.
   */
  createAccessList?(request: RpcCallRequest, opts: { blockNumber: bigint; gasLimit: bigint; timeoutMs: number }): Promise<RpcAccessListResult>;
  /** Transactions by address (`--rpc-tx-history`, Harmony's explorer index); absent = the node keeps no history. */
  txHistory?: RpcTxHistoryBackend;
  /**
   * The validator address of each committee slot whose key signed block `number` (its commit bitmap
   * over the committee of its epoch), in slot order; [] when no commit proof or committee is known
   * (genesis, a chain without one); undefined for an unknown block. Absent = signers are not served.
   */
  blockSigners?(number: bigint): Promise<Uint8Array[] | undefined>;
}

/** Which transactions of an address: all, those it sent, those it received (or that created it). */
export type RpcTxHistoryType = "ALL" | "SENT" | "RECEIVED";

/**
 * The node's index of transactions by address. A node that switched it on with older blocks in its
 * store indexes those in the background: until `progress().complete`, queries would miss them.
 */
export interface RpcTxHistoryBackend {
  progress(): { complete: boolean; indexedBlocks: bigint; headBlock: bigint };
  /** Hashes of one page, ASC = oldest first (block, then position in it), after `offset` matches. */
  transactions(address: Uint8Array, q: { type: RpcTxHistoryType; order: "ASC" | "DESC"; offset: number; limit: number }): Uint8Array[];
  count(address: Uint8Array, type: RpcTxHistoryType): number;
}

/** What eth_createAccessList answers, before JSON. */
export interface RpcAccessListResult {
  accessList: { address: Uint8Array; storageKeys: Uint8Array[] }[];
  gasUsed: bigint;
  /** geth's text of the EVM halt when the call failed with the list. */
  error?: string;
}

/**
 * geth's tracing over the node's archive state, implemented by the node (on its call workers when it
 * has them). Failures a user should see are `NodeError`s with geth's messages ("execution timeout",
 * "genesis is not traceable", "block 0x… not found").
 */
export interface RpcDebugBackend {
  /** Trace the transactions of a stored block: all of them, or only the one at index `only`. */
  traceBlock(blockHash: Uint8Array, config: TraceConfig, only?: number): Promise<TxTrace[]>;
  /** Trace a call on the state after `opts.blockNumber`, as eth_call would run it. */
  traceCall(request: RpcCallRequest, opts: { blockNumber: bigint; gasLimit: bigint; overrides: RpcAccountOverride[] }, config: TraceConfig): Promise<TraceResult>;
}

/**
 * The pool's waiting transactions: `pending` can run in the next block (their sender's nonces follow
 * the state's without a gap), `queued` wait for a gap to fill. Each list in any order.
 */
export interface RpcTxPoolContent {
  pending: RpcTransaction[];
  queued: RpcTransaction[];
}

/** The transaction pool's side of geth's `txpool_` namespace, implemented by the node over its pool. */
export interface RpcTxPoolBackend {
  /** Counts of pending and queued transactions (cheap: no transaction is copied). */
  status(): { pending: number; queued: number };
  content(): RpcTxPoolContent;
}

/** A connected peer as `admin_peers` shows it. */
export interface RpcAdminPeer {
  /** `0x` + 40 hex node id. */
  id: string;
  /** The URL the peer advertises ("" when it advertises none). */
  url: string;
  direction: "inbound" | "outbound";
  score: number;
}

/**
 * The p2p side of the `admin_` namespace, implemented by the node over its p2p service (the RPC layer
 * may not import p2p, DESIGN §2).
 */
export interface RpcAdminBackend {
  nodeInfo(): { id: string; url: string; shardId: number };
  peers(): RpcAdminPeer[];
  /**
   * Operator block of a node id or ws:// URL, persisted; disconnects a matching peer at once.
   * @throws {TypeError} when the entry is neither; {RangeError} when the blocklist is full of operator blocks.
   */
  blockPeer(entry: string): void;
  /**
   * Lift a block; true when an operator block was removed.
   * @throws {TypeError} when the entry is neither a node id nor a ws:// URL.
   */
  unblockPeer(entry: string): boolean;
  blockedPeers(): { entry: string; kind: "operator" | "ban" }[];
}
