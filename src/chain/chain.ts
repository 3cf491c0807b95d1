/**
 * The chain of one shard (DESIGN §2 `src/chain/`): inserts blocks (validate body, execute, validate
 * state, then commit block + state + receipts + indexes + head in ONE atomic batch), answers queries,
 * and notifies subscribers. Blocks are final (§Consensus: no committed block is reverted), so the
 * chain only ever extends its head. Opening a store resumes from its stored head: a node killed at any
 * instant restarts with either the whole last block or none of it.
 */
import {
  type Block,
  BlockError,
  BlockErrorCode,
  type DecodeBlockOptions,
  type Header,
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
import { StateStore, WorldState } from "../state/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import { type Logger, createLogger } from "../util/logger.ts";
import { ChainDB, blockSupplyRecord, canonicalBlockOps } from "./chainDB.ts";
import { type CommitteeSpec, getCommitteeSpec } from "../shard/index.ts";
import { EpochShardStates, type FinalizeHeaderFields, getFinalizeInput } from "./epochShardStates.ts";
import { type SlashingEnv, openSlashingEnv } from "./slashesInput.ts";
import { type ChainBuildOptions, type CrossLinkEnv, openCrossLinkEnv, validateBlockCrossLinks } from "./crossLinks.ts";
import type { EpochRandomness, EpochRandomnessState, RandomnessParams } from "../randomness/index.ts";
import { type EpochRandomnesses, openEpochRandomnesses } from "./epochRandomnesses.ts";
import { type CallContext, compareOpKeys, getCallSetup, runChainCall, runChainEstimate } from "./calls.ts";
import { type CommitProof, commitProofOp } from "./commitStore.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";
import { type ChainEvents, ChainEmitter, type ChainListener } from "./events.ts";
import { genesisSupply, initGenesis } from "./genesis.ts";
import { blockLogEntries } from "./logs.ts";
import { VerifiedBlockCache } from "./verifiedCache.ts";
import type { IncludedTransaction, TransactionReceiptInfo } from "./receiptInfo.ts";
import { type BeaconView, assertEpochSettled, checkShardEpochMarker, createBeaconView, nextShardEpoch } from "./beaconView.ts";
import { ChainReader } from "./chainReader.ts";
import { buildInputs } from "./_buildInputs.ts";
import { getValidationStages } from "./blockStages.ts";
import { type IncomingEnv, verifyIncomingProofs, withProofIndex } from "./incomingProofs.ts";
import { AddressHistory } from "./addressHistory.ts";

export type { IncludedTransaction, TransactionReceiptInfo };
export type { ChainCallOptions, ChainOptions, InsertResult, InsertTimings } from "./chainTypes.ts";
import type { ChainCallOptions, ChainOptions, InsertResult } from "./chainTypes.ts";
import { isBeacon } from "../core/index.ts";

/** The chain of one shard over a KV store; its queries are {@link ChainReader}'s. */
export class Chain extends ChainReader {
  /** Wei in the genesis alloc. */
  readonly genesisSupply: bigint;
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
  readonly #epochCloseDelay: number;
  readonly #beacon: BeaconView;
  #slashing: SlashingEnv | undefined;
  #crossLinks: CrossLinkEnv | undefined;
  #randomness: EpochRandomnesses | undefined;
  #history: AddressHistory | undefined;
  #head: Header;
  #lock: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(kv: KVStore, opts: ChainOptions, shard: ShardEVM, db: ChainDB, state: StateStore, genesis: Header, head: Header) {
    super({ config: opts.genesis.config, shardId: opts.shardId ?? 0, common: shard.common, kv, db, state, genesis, maxLogBlockRange: opts.maxLogBlockRange ?? 10_000 });
    const beacon = isBeacon(this.shardId) ? undefined : opts.beacon;
    this.#shardStates = new EpochShardStates(db, genesis, beacon ? () => beacon.settledEpoch() : () => this.config.nextEpoch(this.#head));
    // The beacon chain is its own beacon; a shard chain's committees and epochs are the beacon's.
    this.#beacon = beacon ?? createBeaconView({
      shardStateAt: (e) => this.#shardStates.at(e),
      nextEpochAfterHead: () => this.config.nextEpoch(this.#head),
      headNumber: () => this.#head.number,
      crossLink: (s, n) => db.getCrossLink(s, n),
      canonicalHash: (n) => (n > this.#head.number ? undefined : db.getCanonicalHash(n)),
    });
    this.genesisSupply = genesisSupply(opts.genesis, this.shardId);
    this.#epochCloseDelay = opts.epochCloseDelayBlocks ?? 0;
    this.callGasCap = opts.callGasCap ?? 50_000_000n;
    this.#callPacer = opts.callPacer ?? createCallPacer();
    this.#shard = shard;
    this.#ownsPool = opts.senderPool === undefined;
    this.#pool = opts.senderPool === undefined ? new SenderRecoveryPool() : opts.senderPool;
    this.#knownSender = opts.knownSender;
    this.#decodeOptions = { maxIncomingReceipts: this.config.maxIncomingReceiptsPerBlock, ...(opts.knownTransaction ? { knownTransaction: opts.knownTransaction } : {}) };
    this.#log = opts.logger ?? createLogger("chain");
    this.#events = new ChainEmitter((e) => this.#log.error("chain listener failed", { error: String(e) }));
    this.#head = head;
  }

  /**
   * Open the chain in `kv`: write genesis to an empty store, else resume from the stored head.
   * @throws {ChainError} GENESIS_MISMATCH or CORRUPT; {TypeError} when a shard chain of a multi-shard
   * network has no `opts.beacon`.
   */
  static async open(kv: KVStore, opts: ChainOptions): Promise<Chain> {
    const shardId = opts.shardId ?? 0;
    if (!isBeacon(shardId) && opts.genesis.config.shardCount > 1 && opts.beacon === undefined) {
      throw new TypeError(`the chain of shard ${shardId} needs a beacon view (opts.beacon): its epochs and committees are the beacon chain's`);
    }
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
    if (opts.txHistory === true) chain.#history = AddressHistory.open(kv, db, head.number);
    chain.#randomness = openEpochRandomnesses(kv, { config: chain.config, shardId, head, headers: db, ...(opts.randomness ? { params: opts.randomness } : {}) });
    return chain;
  }

  /** The current head header. */
  get head(): Header {
    return this.#head;
  }

  /** The transaction history of addresses, when opened with `txHistory` (addressHistory.ts). */
  get addressHistory(): AddressHistory | undefined {
    return this.#history;
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
      if (opts.skipEmpty && built.block.transactions.length === 0 && built.block.incoming.length === 0) return undefined;
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
      const cached = this.#verified.get(block.hash, parent.hash, block);
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
      const t0 = performance.now();
      const parent = this.#head;
      const built = await buildBlock(this.config, this.#shard, new WorldState(this.state, parent.stateRoot), parent, candidates, this.#buildOptions(parent, opts));
      this.#events.emit("stages", { number: built.block.number, ms: { build: performance.now() - t0 } });
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
      const cached = this.#verified.get(block.hash, parent.hash, block);
      if (cached) return this.#commit(block, cached.senders, cached.result, t0, t0, extra);
      const { senders, result, t1 } = await this.#validateAndExecute(block, parent);
      return this.#commit(block, senders, result, t0, t1, extra);
    });
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

  // The one validation path of insert, verify and commit: the epoch against the beacon chain, body,
  // crosslinks, incoming proofs, execution with the finalize step and the incoming credits, state.
  async #validateAndExecute(block: Block, parent: Header, given?: readonly (Uint8Array | undefined)[]): Promise<{ senders: Uint8Array[]; result: BlockExecutionResult; t1: number }> {
    if (!isBeacon(this.shardId)) {
      assertEpochSettled(this.#beacon, block.header);
      checkShardEpochMarker(this.#beacon, block.header);
    }
    const t0 = performance.now();
    const senders = await validateBody(this.config, block, parent, this.#bodyOptions(block, given));
    const sendersMs = this.#senderStats.lastMs;
    const crossLinks = validateBlockCrossLinks(this.#crossLinks, block.header);
    const incoming = verifyIncomingProofs(block.incoming, this.#incomingEnv());
    const t1 = performance.now();
    const world = new WorldState(this.state, parent.stateRoot);
    const finalize = this.#finalizeInput(parent, { ...block.header, crossLinks });
    const result = await executeBlock(this.#shard, world, block, senders, blockContextOf(block.header), finalize, incoming).catch((e) => {
      throw withProofIndex(e, block.incoming);
    });
    const t2 = performance.now();
    // A shard header's shard state is its epoch marker, checked against the beacon above, not an election result.
    validateState(block, isBeacon(this.shardId) ? result : { ...result, shardState: block.header.shardState });
    this.#events.emit("stages", getValidationStages(block.number, { checksMs: t1 - t0 + performance.now() - t2, sendersMs, executeMs: t2 - t1, timings: result.timings }));
    return { senders, result, t1 };
  }

  #incomingEnv(): IncomingEnv {
    return { shardId: this.shardId, maxReceipts: this.config.maxIncomingReceiptsPerBlock, isCrosslinked: (s) => this.#beacon.isCrosslinked(s) };
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
    const supply = blockSupplyRecord(this.db.getFees(block.header.parentHash), result);
    const shardStateEpoch = result.shardState.length > 0 ? decodeShardState(result.shardState).epoch : undefined;
    const beacon = this.#randomness?.step(block.header);
    const t2 = performance.now();
    const ops = result.stateCommit.ops.concat(
      beacon?.ops ?? [],
      canonicalBlockOps(block, {
        receipts: result.receipts, encodedReceipts: result.encodedReceipts, senders, ...supply, shardStateEpoch, outgoingCxReceipts: result.outgoingCxReceipts,
      }),
      extra,
      this.#history?.commitOps(block, senders, result.receipts) ?? [],
    );
    // Key order makes sqlite's B-tree inserts local (≈20% faster for a block's ~10k hashed keys);
    // the sort is stable, so ops on the same key keep their order.
    ops.sort(compareOpKeys);
    this.kv.batch(ops);
    this.state.cacheCommitted(result.stateCommit);
    this.db.remember(block, result.receipts);
    this.#history?.committed(block.number);
    if (beacon) this.#randomness?.advance(beacon);
    this.#head = block.header;
    this.#verified.retainChildrenOf(block.hash);
    const t3 = performance.now();
    this.#events.emit("stages", { number: block.number, ms: { commit: t3 - t2, import: t3 - t0 } });
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

  // The builder's options for the block after `parent` (_buildInputs.ts).
  #buildOptions(parent: Header, opts: ChainBuildOptions): BuildBlockOptions {
    return buildInputs({
      config: this.config, shardId: this.shardId, beacon: this.#beacon, epochCloseDelay: this.#epochCloseDelay, crossLinks: this.#crossLinks, state: this.state,
      incoming: this.#incomingEnv(), nextEpoch: (p) => this.nextEpoch(p), finalizeInput: (p, h) => this.#finalizeInput(p, h),
    }, parent, opts);
  }

  /** The beacon chain as this chain sees it: itself on shard 0, else the view it was opened with. */
  beaconView(): BeaconView {
    return this.#beacon;
  }

  /**
   * The epoch of the block after `parent`: on the beacon chain by block number (config), on a shard
   * chain one step past the parent's once the beacon chain has settled a later epoch.
   */
  nextEpoch(parent: Header): bigint {
    return isBeacon(this.shardId) ? this.config.nextEpoch(parent) : nextShardEpoch(parent);
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

  /**
   * The shard state in force at `epoch` (see {@link EpochShardStates.at}); a shard chain's is the
   * beacon chain's. @throws {ChainError} CORRUPT.
   */
  shardStateAt(epoch: bigint): ShardState {
    return isBeacon(this.shardId) ? this.#shardStates.at(epoch) : this.#beacon.shardStateAt(epoch);
  }

  /** True when the committee of `epoch` is settled (its election block, if any, is in the beacon chain). */
  isEpochSettled(epoch: bigint): boolean {
    return this.#shardStates.isSettled(epoch);
  }

  /** The committee of this chain's shard at `epoch` (DESIGN §2: the one answer every user asks). */
  committeeSpecAt(epoch: bigint): CommitteeSpec | undefined {
    return getCommitteeSpec(this.shardStateAt(epoch), this.shardId);
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
