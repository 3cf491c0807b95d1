/**
 * The read side of a shard's chain (chain.ts): committed blocks, receipts, transactions, logs, commit
 * proofs, state at a height and the cross-shard receipts a block sent. Only stored, final data: the
 * write side (insert, build, commit) is {@link Chain}'s.
 * @module
 */
import type { Common } from "@ethereumjs/common";
import type { Block, ChainConfig, CxProof, CxReceipt, Header, Receipt } from "../core/index.ts";
import { CX_ADDRESS_BYTES, createCxProof, cxSpentSlot } from "../execution/index.ts";
import { StateReader, type StateStore } from "../state/index.ts";
import type { KVStore } from "../store/index.ts";
import type { BlockSupplyRecord, ChainDB } from "./chainDB.ts";
import { type CommitProof, commitProofOp, findCommitProof } from "./commitStore.ts";
import { loadCxLocation, loadOutgoingCx } from "./cxStore.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";
import { type LogEntry, type LogFilter, queryLogsUpTo } from "./logs.ts";
import { type IncludedTransaction, type TransactionReceiptInfo, deriveReceiptInfo, findTransaction } from "./receiptInfo.ts";

const hex = (b: Uint8Array) => `0x${[...b].map((x) => x.toString(16).padStart(2, "0")).join("")}`;

/** A stored outgoing cross-shard receipt and where it is. */
export interface StoredCxReceipt {
  readonly receipt: CxReceipt;
  readonly blockHash: Uint8Array;
  readonly blockNumber: bigint;
  /** Its position in the block's outgoing list (the proof's key, the spent-set's index). */
  readonly index: number;
}

/** What a {@link ChainReader} reads from. */
export type ChainReaderParts = Pick<ChainReader, "config" | "shardId" | "common" | "kv" | "db" | "state" | "genesis" | "maxLogBlockRange">;

/** Queries over a chain's committed data; `head` is the subclass's. */
export abstract class ChainReader {
  readonly config: ChainConfig;
  readonly shardId: number;
  readonly common: Common;
  readonly kv: KVStore;
  readonly db: ChainDB;
  readonly state: StateStore;
  readonly genesis: Header;
  readonly maxLogBlockRange: number;
  #headState: StateReader | undefined;

  protected constructor(p: ChainReaderParts) {
    this.config = p.config;
    this.shardId = p.shardId;
    this.common = p.common;
    this.kv = p.kv;
    this.db = p.db;
    this.state = p.state;
    this.genesis = p.genesis;
    this.maxLogBlockRange = p.maxLogBlockRange;
  }

  /** The current head header. */
  abstract get head(): Header;

  /**
   * Store the commit proof of an already committed block (e.g. the head imported by sync, whose
   * proof no header carries yet).
   * @throws {ChainError} UNKNOWN_BLOCK when the block is not stored.
   */
  saveCommitProof(hash: Uint8Array, proof: CommitProof): void {
    if (this.db.getNumber(hash) === undefined) throw new ChainError({ code: ChainErrorCode.UNKNOWN_BLOCK, block: hex(hash) }, "block not found");
    this.kv.batch([commitProofOp(hash, proof)]);
  }

  /**
   * The commit proof of a committed block: the stored one (the head's), else the one the next
   * header carries; undefined for genesis or an unknown block.
   */
  getCommitProof(hash: Uint8Array): CommitProof | undefined {
    return findCommitProof(this.kv, hash, { getNumber: (h) => this.db.getNumber(h), getHeaderByNumber: (n) => this.getHeaderByNumber(n) });
  }

  /** Canonical header at a height. */
  getHeaderByNumber(n: bigint): Header | undefined {
    return n > this.head.number ? undefined : this.db.getHeaderByNumber(n);
  }

  /** Header by hash (only stored blocks, all canonical). */
  getHeaderByHash(hash: Uint8Array): Header | undefined {
    return this.db.getHeader(hash);
  }

  /** Canonical block at a height. */
  getBlockByNumber(n: bigint): Block | undefined {
    const hash = n > this.head.number ? undefined : this.db.getCanonicalHash(n);
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
    return queryLogsUpTo(this.db, filter, { head: this.head.number, maxBlockRange: this.maxLogBlockRange });
  }

  /**
   * State at a canonical height (default: head).
   * @throws {ChainError} UNKNOWN_BLOCK; {StateError} UNKNOWN_ROOT when pruned.
   */
  stateAt(n: bigint = this.head.number): StateReader {
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
    const head = this.head;
    if (cur !== undefined && cur.root === head.stateRoot) return cur;
    const reader = new StateReader(this.state, head.stateRoot);
    this.#headState = reader;
    return reader;
  }

  /** State at a header (e.g. one found by hash). */
  stateAtHeader(h: Header): StateReader {
    return new StateReader(this.state, h.stateRoot);
  }

  /**
   * The cross-shard receipts a stored block sent, in order ([] for none); undefined for an unknown block.
   * @throws {ChainError} CORRUPT.
   */
  getOutgoingCxReceipts(blockHash: Uint8Array): CxReceipt[] | undefined {
    return this.db.getNumber(blockHash) === undefined ? undefined : loadOutgoingCx(this.kv, blockHash);
  }

  /**
   * The proof of the receipts canonical block `blockNumber` sent to shard `toShard`, for the
   * destination's leader; undefined when it sent none there (or the block is unknown).
   * @throws {ChainError} CORRUPT when the stored receipts are not the ones the header commits to.
   */
  getCxProof(blockNumber: bigint, toShard: number): CxProof | undefined {
    const h = this.getHeaderByNumber(blockNumber);
    if (h === undefined) return undefined;
    try {
      return createCxProof(h, loadOutgoingCx(this.kv, h.hash), toShard);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new ChainError({ code: ChainErrorCode.CORRUPT, reason: e.message }, "store is corrupt: a block's outgoing receipts do not match its header");
    }
  }

  /**
   * The (first) cross-shard receipt transaction `txHash` sent from this shard, with its block and index.
   * @throws {ChainError} CORRUPT.
   */
  getCxReceipt(txHash: Uint8Array): StoredCxReceipt | undefined {
    const loc = loadCxLocation(this.kv, txHash);
    const hash = loc === undefined ? undefined : this.db.getCanonicalHash(loc.blockNumber);
    if (loc === undefined || hash === undefined) return undefined;
    const receipt = loadOutgoingCx(this.kv, hash)[loc.index];
    return receipt === undefined ? undefined : { receipt, blockHash: hash, blockNumber: loc.blockNumber, index: loc.index };
  }

  /**
   * Destination side: whether this shard has credited the receipt at position `index` of its source
   * block (`getCxReceipt(…).index` on the source shard), at the head state.
   */
  isCxReceiptSpent(r: CxReceipt, index: number): boolean {
    return this.headState().getStorage(CX_ADDRESS_BYTES, cxSpentSlot(r.txHash, index)).some((b) => b !== 0);
  }
}
