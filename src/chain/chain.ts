/**
 * The chain of one shard (DESIGN §2 `src/chain/`): inserts blocks (validate body, execute, validate
 * state, then commit block + state + receipts + indexes + head in ONE atomic batch), answers queries,
 * and notifies subscribers. Blocks are final (§Consensus: no committed block is reverted), so the
 * chain only ever extends its head. Opening a store resumes from its stored head: a node killed at any
 * instant restarts with either the whole last block or none of it.
 */
import type { Common } from "@ethereumjs/common";
import {
  type Block,
  BlockError,
  BlockErrorCode,
  type ChainConfig,
  type DecodeBlockOptions,
  type Header,
  type Receipt,
  type ShardState,
  createShardCommon,
  decodeBlock,
  decodeShardState,
  transactionHash,
} from "../core/index.ts";
import {
  type BlockExecutionResult,
  type BuildBlockOptions,
  type BuiltBlock,
  type CallPacer,
  type CallParams,
  type CallResult,
  type CandidateTx,
  type EstimateResult,
  type FinalizeInput,
  SenderRecoveryPool,
  type SenderRecoveryStats,
  createSenderRecoveryStats,
  type ShardEVM,
  type SimulateOptions,
  type ValidateBodyOptions,
  blockContextOf,
  buildBlock,
  createCallPacer,
  createShardEVM,
  executeBlock,
  validateBody,
  validateState,
} from "../execution/index.ts";
import { StateReader, StateStore, WorldState } from "../state/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import { type Logger, createLogger } from "../util/logger.ts";
import { type BlockSupplyRecord, ChainDB, canonicalBlockOps } from "./chainDB.ts";
import { type CommitteeSpec, decodeCrossLinks, getCommitteeSpec } from "../shard/index.ts";
import { EpochShardStates, type FinalizeHeaderFields, getFinalizeInput } from "./epochShardStates.ts";
import { type SlashingEnv, openSlashingEnv } from "./slashesInput.ts";
import { type ChainBuildOptions, type CrossLinkEnv, openCrossLinkEnv, validateBlockCrossLinks, withCrossLinks } from "./crossLinks.ts";
import type { EpochRandomness, EpochRandomnessState, RandomnessParams } from "../randomness/index.ts";
import { type EpochRandomnesses, openEpochRandomnesses } from "./epochRandomnesses.ts";
import { type CallContext, compareOpKeys, getCallSetup, runChainCall, runChainEstimate } from "./calls.ts";
import { type CommitProof, commitProofOp, findCommitProof } from "./commitStore.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";
import { type ChainEvents, ChainEmitter, type ChainListener } from "./events.ts";
import { genesisSupply, initGenesis } from "./genesis.ts";
import { type LogEntry, type LogFilter, blockLogEntries, queryLogsUpTo } from "./logs.ts";
import { VerifiedBlockCache } from "./verifiedCache.ts";
import { type IncludedTransaction, type TransactionReceiptInfo, deriveReceiptInfo, findTransaction } from "./receiptInfo.ts";

export type { IncludedTransaction, TransactionReceiptInfo };
export type { ChainCallOptions, ChainOptions, InsertResult, InsertTimings } from "./chainTypes.ts";
import type { ChainCallOptions, ChainOptions, InsertResult } from "./chainTypes.ts";

/** The chain of one shard over a KV store. */
export class Chain {
  readonly config: ChainConfig;
  readonly shardId: number;
  readonly common: Common;
  readonly kv: KVStore;
  readonly db: ChainDB;
  readonly state: StateStore;
  readonly genesis: Header;
  /** Wei in the genesis alloc. */
  readonly genesisSupply: bigint;
  readonly maxLogBlockRange: number;
  readonly callGasCap: bigint;
  readonly #callPacer: CallPacer;
  readonly #shard: ShardEVM;
  readonly #pool: SenderRecoveryPool | null;
  readonly #knownSender: ((txHash: Uint8Array) => Uint8Array | undefined) | undefined;
  readonly #senderStats = createSenderRecoveryStats();
  readonly #decodeOptions: DecodeBlockOptions;
  readonly #ownsPool: boolean;
  readonly #events: ChainEmitter;
  readonly #log: Logger;
  readonly #verified = new VerifiedBlockCache();
  readonly #shardStates: EpochShardStates;
  #slashing: SlashingEnv | undefined;
  #crossLinks: CrossLinkEnv | undefined;
  #randomness: EpochRandomnesses | undefined;
  #head: Header;
  #lock: Promise<unknown> = Promise.resolve();
  #headState: StateReader | undefined;
  #closed = false;

  private constructor(kv: KVStore, opts: ChainOptions, shard: ShardEVM, db: ChainDB, state: StateStore, genesis: Header, head: Header) {
    this.config = opts.genesis.config;
    this.shardId = opts.shardId ?? 0;
    this.common = shard.common;
    this.kv = kv;
    this.db = db;
    this.state = state;
    this.genesis = genesis;
    this.#shardStates = new EpochShardStates(db, genesis, () => this.config.nextEpoch(this.#head));
    this.genesisSupply = genesisSupply(opts.genesis);
    this.maxLogBlockRange = opts.maxLogBlockRange ?? 10_000;
    this.callGasCap = opts.callGasCap ?? 50_000_000n;
    this.#callPacer = opts.callPacer ?? createCallPacer();
    this.#shard = shard;
    this.#ownsPool = opts.senderPool === undefined;
    this.#pool = opts.senderPool === undefined ? new SenderRecoveryPool() : opts.senderPool;
    this.#knownSender = opts.knownSender;
    this.#decodeOptions = opts.knownTransaction ? { knownTransaction: opts.knownTransaction } : {};
    this.#log = opts.logger ?? createLogger("chain");
    this.#events = new ChainEmitter((e) => this.#log.error("chain listener failed", { error: String(e) }));
    this.#head = head;
  }

  /**
   * Open the chain in `kv`: write genesis to an empty store, else resume from the stored head.
   * @throws {ChainError} GENESIS_MISMATCH or CORRUPT.
   */
  static async open(kv: KVStore, opts: ChainOptions): Promise<Chain> {
    const shardId = opts.shardId ?? 0;
    const common = createShardCommon(opts.genesis.config, shardId);
    const db = new ChainDB(kv, common);
    const state = new StateStore(kv, opts.stateCache);
    const genesis = initGenesis(kv, db, state, opts.genesis, shardId);
    const headHash = db.getHeadHash();
    const head = headHash === undefined ? undefined : db.getHeader(headHash);
    if (head === undefined || !state.hasNode(head.stateRoot) && head.number !== 0n) {
      throw new ChainError({ code: ChainErrorCode.CORRUPT, reason: "head block or its state missing" }, "store is corrupt: head block or its state is missing");
    }
    const shard = await createShardEVM(opts.genesis.config, shardId, state, (n) => db.getCanonicalHash(n), { stateRootAt: (n) => db.getHeaderByNumber(n)?.stateRoot });
    const chain = new Chain(kv, opts, shard, db, state, genesis, head);
    chain.#slashing = await openSlashingEnv(opts.genesis.config, shardId, db, state);
    chain.#crossLinks = await openCrossLinkEnv(opts.genesis.config, shardId, db, (e) => chain.shardStateAt(e));
    chain.#randomness = openEpochRandomnesses(kv, { config: chain.config, shardId, head, headers: db, ...(opts.randomness ? { params: opts.randomness } : {}) });
    return chain;
  }

  /** The current head header. */
  get head(): Header {
    return this.#head;
  }

  /** Subscribe to `block`, `head` or `logs`; returns the unsubscribe function. */
  on<K extends keyof ChainEvents>(event: K, listener: ChainListener<K>): () => void {
    return this.#events.on(event, listener);
  }

  // Inserts and builds run one at a time, in call order.
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(() => {
      if (this.#closed) throw new ChainError({ code: ChainErrorCode.CLOSED }, "chain closed");
      return fn();
    });
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Validate, execute and commit a block that extends the head. `senders` (aligned with the
   * transactions, from the txpool's cache) skip signature recovery.
   * @throws {BlockError} when the block is invalid (nothing is written then); {ChainError} CLOSED.
   */
  insertBlock(block: Block, opts: { senders?: readonly (Uint8Array | undefined)[] } = {}): Promise<InsertResult> {
    return this.#exclusive(async () => {
      const t0 = performance.now();
      const { senders, result, t1 } = await this.#validateAndExecute(block, this.#checkParent(block), opts.senders);
      return this.#commit(block, senders, result, t0, t1);
    });
  }

  /**
   * Build the next block on the head from candidate transactions (skipping invalid ones) and commit
   * it; the producer's path (`--dev`). Returns the built block, or undefined when `skipEmpty` and no
   * transaction fit.
   */
  produceBlock(candidates: Iterable<CandidateTx>, opts: ChainBuildOptions & { skipEmpty?: boolean }): Promise<(BuiltBlock & InsertResult) | undefined> {
    return this.#exclusive(async () => {
      const t0 = performance.now();
      const parent = this.#head;
      const built = await buildBlock(this.config, this.#shard, new WorldState(this.state, parent.stateRoot), parent, candidates, this.#buildOptions(parent, opts));
      if (opts.skipEmpty && built.block.transactions.length === 0) return undefined;
      const inserted = this.#commit(built.block, built.senders, built.result, t0, t0);
      return { ...built, ...inserted };
    });
  }

  /**
   * Validate and execute a block on the head WITHOUT committing it (a proposal under consensus); the
   * execution is kept by hash so that {@link commitBlock} does not run it again.
   * @throws {BlockError} when the block is invalid; {ChainError} CLOSED.
   */
  verifyBlock(block: Block): Promise<{ block: Block; timings: { validateBody: number; execute: number } }> {
    return this.#exclusive(async () => {
      const t0 = performance.now();
      const parent = this.#checkParent(block);
      const cached = this.#verified.get(block.hash, parent.hash);
      if (cached) return { block: cached.block, timings: { validateBody: 0, execute: 0 } };
      this.#randomness?.step(block.header);
      const { senders, result, t1 } = await this.#validateAndExecute(block, parent);
      this.#verified.put({ block, senders, result });
      return { block, timings: { validateBody: t1 - t0, execute: performance.now() - t1 } };
    });
  }

  /**
   * Build the next block on the head from candidate transactions WITHOUT committing it (a leader's
   * proposal); kept like {@link verifyBlock}'s results.
   * @throws {ChainError} CLOSED.
   */
  proposeBlock(candidates: Iterable<CandidateTx>, opts: ChainBuildOptions): Promise<BuiltBlock> {
    return this.#exclusive(async () => {
      const parent = this.#head;
      const built = await buildBlock(this.config, this.#shard, new WorldState(this.state, parent.stateRoot), parent, candidates, this.#buildOptions(parent, opts));
      this.#verified.put({ block: built.block, senders: built.senders, result: built.result });
      return built;
    });
  }

  /**
   * Commit a final block with its commit proof, both in one batch (the head's proof survives a
   * restart). A block verified or built before is committed without executing it again; any other
   * is validated and executed first.
   * @throws {BlockError} when the block is invalid or does not extend the head; {ChainError} CLOSED.
   */
  commitBlock(block: Block, proof: CommitProof): Promise<InsertResult> {
    return this.#exclusive(async () => {
      const t0 = performance.now();
      const parent = this.#checkParent(block);
      const extra = [commitProofOp(block.hash, proof)];
      const cached = this.#verified.get(block.hash, parent.hash);
      if (cached) return this.#commit(block, cached.senders, cached.result, t0, t0, extra);
      const { senders, result, t1 } = await this.#validateAndExecute(block, parent);
      return this.#commit(block, senders, result, t0, t1, extra);
    });
  }

  /**
   * Store the commit proof of an already committed block (e.g. the head imported by sync, whose
   * proof no header carries yet).
   * @throws {ChainError} UNKNOWN_BLOCK when the block is not stored.
   */
  saveCommitProof(hash: Uint8Array, proof: CommitProof): void {
    if (this.db.getNumber(hash) === undefined) throw new ChainError({ code: ChainErrorCode.UNKNOWN_BLOCK, block: `0x${[...hash].map((b) => b.toString(16).padStart(2, "0")).join("")}` }, "block not found");
    this.kv.batch([commitProofOp(hash, proof)]);
  }

  /**
   * The commit proof of a committed block: the stored one (the head's), else the one the next
   * header carries; undefined for genesis or an unknown block.
   */
  getCommitProof(hash: Uint8Array): CommitProof | undefined {
    return findCommitProof(this.kv, hash, { getNumber: (h) => this.db.getNumber(h), getHeaderByNumber: (n) => this.getHeaderByNumber(n) });
  }

  /**
   * Decode a block of this chain from its encoding, reusing the transaction objects the txpool holds
   * (their senders come from the pool too, through `knownSender`), so a transaction that arrived by
   * gossip is decoded once.
   * @throws {BlockError} MALFORMED or INVALID_TRANSACTION.
   */
  decodeBlock(bytes: Uint8Array): Block {
    return decodeBlock(bytes, this.common, this.#decodeOptions);
  }

  /** Sender recovery of the blocks validated so far (time per block, recovered vs reused senders), for /metrics. */
  get senderRecoveryStats(): Readonly<SenderRecoveryStats> {
    return this.#senderStats;
  }

  // The one validation path of insert, verify and commit: body, crosslinks, execution with the finalize step, state.
  async #validateAndExecute(block: Block, parent: Header, given?: readonly (Uint8Array | undefined)[]): Promise<{ senders: Uint8Array[]; result: BlockExecutionResult; t1: number }> {
    const senders = await validateBody(this.config, block, parent, this.#bodyOptions(block, given));
    const crossLinks = validateBlockCrossLinks(this.#crossLinks, block.header);
    const t1 = performance.now();
    const result = await executeBlock(this.#shard, new WorldState(this.state, parent.stateRoot), block, senders, blockContextOf(block.header), this.#finalizeInput(parent, { ...block.header, crossLinks }));
    validateState(block, result);
    return { senders, result, t1 };
  }

  // Senders given by the caller, else from the known-sender lookup; the rest are recovered on the pool.
  #bodyOptions(block: Block, given?: readonly (Uint8Array | undefined)[]): ValidateBodyOptions {
    const known = this.#knownSender;
    const senders = known === undefined ? given : block.transactions.map((tx, i) => given?.[i] ?? known(transactionHash(tx)));
    return { ...(senders ? { senders } : {}), ...(this.#pool ? { pool: this.#pool } : {}), stats: this.#senderStats };
  }

  #checkParent(block: Block): Header {
    const h = block.header;
    if (this.db.getNumber(h.hash) !== undefined) {
      throw new BlockError({ code: BlockErrorCode.ALREADY_KNOWN, hash: h.hash, number: h.number }, `block ${h.number} already known`);
    }
    const head = this.#head;
    if (!h.parentHash.every((b, i) => b === head.hash[i])) {
      if (this.db.getHeader(h.parentHash) === undefined) {
        throw new BlockError({ code: BlockErrorCode.PARENT_UNKNOWN, parentHash: h.parentHash, number: h.number }, `unknown parent of block ${h.number}`);
      }
      throw new BlockError({ code: BlockErrorCode.PARENT_MISMATCH, field: "parentHash", expected: `head ${head.number}`, actual: `block ${h.number - 1n}` }, "block does not extend the head (final blocks are never replaced)");
    }
    return head;
  }

  #commit(block: Block, senders: Uint8Array[], result: BlockExecutionResult, t0: number, t1: number, extra: readonly BatchOp[] = []): InsertResult {
    const parentFees = this.db.getFees(block.header.parentHash);
    const cumulativeBurnt = (parentFees?.cumulativeBurnt ?? 0n) + result.burnt;
    const cumulativeIssued = (parentFees?.cumulativeIssued ?? 0n) + result.issued;
    const cumulativeBurntSlashes = (parentFees?.cumulativeBurntSlashes ?? 0n) + result.burntSlashes;
    const cx = { cxOut: result.cxOut, cumulativeCxOut: (parentFees?.cumulativeCxOut ?? 0n) + result.cxOut, cxIn: result.cxIn, cumulativeCxIn: (parentFees?.cumulativeCxIn ?? 0n) + result.cxIn };
    const shardStateEpoch = result.shardState.length > 0 ? decodeShardState(result.shardState).epoch : undefined;
    const beacon = this.#randomness?.step(block.header);
    const t2 = performance.now();
    const ops = result.stateCommit.ops.concat(
      beacon?.ops ?? [],
      canonicalBlockOps(block, { receipts: result.receipts, encodedReceipts: result.encodedReceipts, senders, burnt: result.burnt, cumulativeBurnt, issued: result.issued, cumulativeIssued, burntSlashes: result.burntSlashes, cumulativeBurntSlashes, ...cx, shardStateEpoch }),
      extra,
    );
    // Key order makes sqlite's B-tree inserts local (≈20% faster for a block's ~10k hashed keys);
    // the sort is stable, so ops on the same key keep their order.
    ops.sort(compareOpKeys);
    this.kv.batch(ops);
    this.state.cacheCommitted(result.stateCommit);
    this.db.remember(block, result.receipts);
    if (beacon) this.#randomness?.advance(beacon);
    this.#head = block.header;
    this.#verified.retainChildrenOf(block.hash);
    const t3 = performance.now();
    const logs = blockLogEntries(block.hash, block.number, block.transactions, result.receipts);
    this.#events.emit("block", { block, receipts: result.receipts, senders, logs });
    this.#events.emit("head", block.header);
    if (logs.length > 0) this.#events.emit("logs", logs);
    const tm = result.timings;
    return {
      block,
      receipts: result.receipts,
      ops: ops.length,
      timings: { validateBody: t1 - t0, execute: tm.execution, evm: tm.evm, stateRoot: tm.stateRoot, receiptsRoot: tm.receiptsRoot, commit: t3 - t2, total: t3 - t0 },
    };
  }

  /** The builder's options for the block after `parent`: crosslinks chosen from the pending ones, the finalize input. */
  #buildOptions(parent: Header, opts: ChainBuildOptions): BuildBlockOptions {
    const built = withCrossLinks(this.#crossLinks, opts, this.config.nextEpoch(parent));
    return { ...built, finalize: this.#finalizeInput(parent, this.#nextHeaderFields(parent, built)) };
  }

  /** Header fields of the block after `parent` that the finalize step reads, before it is built. */
  #nextHeaderFields(parent: Header, opts: BuildBlockOptions): FinalizeHeaderFields {
    const fields = { number: parent.number + 1n, epoch: this.config.nextEpoch(parent), lastCommitBitmap: opts.lastCommitBitmap ?? new Uint8Array(0) };
    const crossLinks = opts.crossLinks === undefined ? [] : decodeCrossLinks(opts.crossLinks); // the links withCrossLinks selected
    return { ...fields, coinbase: opts.coinbase ?? new Uint8Array(20), slashes: opts.slashes ?? [], crossLinks };
  }

  #finalizeInput(parent: Header, h: FinalizeHeaderFields): FinalizeInput | undefined {
    const r = this.#randomness;
    return getFinalizeInput(this.config, this.shardId, this.#shardStates, parent, h, this.#slashing, r ? (e) => r.get(e)?.randomness : undefined);
  }

  /** The beacon's rules and its accumulator after the head; undefined off the beacon shard (epochRandomnesses.ts). */
  get randomness(): { readonly params: RandomnessParams; readonly state: EpochRandomnessState } | undefined {
    return this.#randomness;
  }

  /** The final randomness of `epoch` derived by this beacon chain; undefined while not final or unknown. @throws {ChainError} CORRUPT. */
  epochRandomness(epoch: bigint): EpochRandomness | undefined {
    return this.#randomness?.get(epoch);
  }

  /** The shard state in force at `epoch` (see {@link EpochShardStates.at}). @throws {ChainError} CORRUPT. */
  shardStateAt(epoch: bigint): ShardState {
    return this.#shardStates.at(epoch);
  }

  /** True when the committee of `epoch` is settled (its election block, if any, is in this chain). */
  isEpochSettled(epoch: bigint): boolean {
    return this.#shardStates.isSettled(epoch);
  }

  /** The committee of this chain's shard at `epoch` (DESIGN §2: the one answer every user asks). */
  committeeSpecAt(epoch: bigint): CommitteeSpec | undefined {
    return getCommitteeSpec(this.shardStateAt(epoch), this.shardId);
  }

  /** Canonical header at a height. */
  getHeaderByNumber(n: bigint): Header | undefined {
    return n > this.#head.number ? undefined : this.db.getHeaderByNumber(n);
  }

  /** Header by hash (only stored blocks, all canonical). */
  getHeaderByHash(hash: Uint8Array): Header | undefined {
    return this.db.getHeader(hash);
  }

  /** Canonical block at a height. */
  getBlockByNumber(n: bigint): Block | undefined {
    const hash = n > this.#head.number ? undefined : this.db.getCanonicalHash(n);
    return hash === undefined ? undefined : this.db.getBlock(hash);
  }

  /** Block by hash. */
  getBlockByHash(hash: Uint8Array): Block | undefined {
    return this.db.getBlock(hash);
  }

  /** Receipts of a block, in transaction order. */
  getReceipts(blockHash: Uint8Array): Receipt[] | undefined {
    return this.db.getReceipts(blockHash);
  }

  /** Senders of a block's transactions, in order. */
  getSenders(blockHash: Uint8Array): Uint8Array[] | undefined {
    return this.db.getSenders(blockHash);
  }

  /** An included transaction by hash. */
  getTransaction(txHash: Uint8Array): IncludedTransaction | undefined {
    return findTransaction(this.db, txHash);
  }

  /** The receipt of an included transaction with its derived fields. */
  getTransactionReceipt(txHash: Uint8Array): TransactionReceiptInfo | undefined {
    const inc = findTransaction(this.db, txHash);
    return inc === undefined ? undefined : deriveReceiptInfo(this.db, inc, txHash);
  }

  /** Fees burnt by a block and since genesis. */
  getBurntFees(blockHash: Uint8Array): BlockSupplyRecord | undefined {
    return this.db.getFees(blockHash);
  }

  /**
   * Logs matching `filter`, from the index, in chain order, at most `filter.limit`.
   * @throws {ChainError} LOG_RANGE_TOO_LARGE when the range spans more than `maxLogBlockRange` blocks.
   */
  getLogs(filter: LogFilter): LogEntry[] {
    return queryLogsUpTo(this.db, filter, { head: this.#head.number, maxBlockRange: this.maxLogBlockRange });
  }

  /**
   * State at a canonical height (default: head).
   * @throws {ChainError} UNKNOWN_BLOCK; {StateError} UNKNOWN_ROOT when pruned.
   */
  stateAt(n: bigint = this.#head.number): StateReader {
    const h = this.getHeaderByNumber(n);
    if (h === undefined) throw new ChainError({ code: ChainErrorCode.UNKNOWN_BLOCK, block: String(n) }, `block ${n} not found`);
    return new StateReader(this.state, h.stateRoot);
  }

  /**
   * State at the head, one reader per head (it caches what it read): for the txpool's nonce and
   * balance checks and other frequent head reads.
   */
  headState(): StateReader {
    const cur = this.#headState;
    if (cur !== undefined && cur.root === this.#head.stateRoot) return cur;
    const reader = new StateReader(this.state, this.#head.stateRoot);
    this.#headState = reader;
    return reader;
  }

  /** State at a header (e.g. one found by hash). */
  stateAtHeader(h: Header): StateReader {
    return new StateReader(this.state, h.stateRoot);
  }

  #calls(): CallContext {
    return { config: this.config, shardId: this.shardId, store: this.state, db: this.db, head: this.#head, gasCap: this.callGasCap, pacer: this.#callPacer };
  }

  /**
   * Where a call on `o.block` (default: head) runs — its state root and the options `simulateCall`
   * takes — for running it off this thread (the node's call workers); the pacer is left out.
   */
  callSetup(o: ChainCallOptions = {}): { stateRoot: Uint8Array; opts: Omit<SimulateOptions, "pacer"> } {
    return getCallSetup(this.#calls(), o);
  }

  /** `eth_call`: run a message on a block's state without committing. @throws as `simulateCall`. */
  call(params: CallParams, o: ChainCallOptions = {}): Promise<CallResult> {
    return runChainCall(this.#calls(), params, o);
  }

  /** `eth_estimateGas` by binary search. @throws as `estimateGas`. */
  estimateGas(params: CallParams, o: ChainCallOptions = {}): Promise<EstimateResult> {
    return runChainEstimate(this.#calls(), params, o);
  }

  /** Stop accepting inserts, wait for the one running, stop the recovery workers. The store stays open. */
  async close(): Promise<void> {
    await this.#lock;
    this.#closed = true;
    if (this.#ownsPool) this.#pool?.close();
  }
}

/** Open the chain of `opts.genesis` in `kv` (factory form of {@link Chain.open}). */
export function openChain(kv: KVStore, opts: ChainOptions): Promise<Chain> {
  return Chain.open(kv, opts);
}
