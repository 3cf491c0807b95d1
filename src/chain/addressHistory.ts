/**
 * The transaction history of addresses (`--rpc-tx-history`) over the index of addressIndex.ts: the
 * ops a committed block adds to its own batch, the background indexing of the blocks committed before
 * the index was on (a bounded step at a time, each step one atomic batch with the marker, so a kill
 * loses at most the step and the next start resumes at the marker), progress, and the queries.
 * Every write is synchronous (one batch), so a step never interleaves with a block's commit.
 * @module
 */
import type { Block, Receipt } from "../core/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import {
  type AddressIndexMarker,
  HISTORY_RECEIVED,
  HISTORY_SENT,
  addressIndexMarkerOp,
  addressIndexOps,
  addressIndexPrefix,
  decodeAddressIndexEntry,
  indexedBlockCount,
  isAddressIndexComplete,
  loadAddressIndexMarker,
  resumeAddressIndexMarker,
} from "./addressIndex.ts";
import type { ChainDB } from "./chainDB.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";

/** Which transactions of an address: all, those it sent, those it received (or that created it). */
export type HistoryTxType = "ALL" | "SENT" | "RECEIVED";

/** One page of an address's history. */
export interface HistoryQuery {
  readonly type: HistoryTxType;
  /** ASC: oldest first (block, then position in the block); DESC: newest first. */
  readonly order: "ASC" | "DESC";
  /** Matching transactions skipped before the page. */
  readonly offset: number;
  readonly limit: number;
}

/** How far the index is: complete when every block up to the head is indexed. */
export interface HistoryProgress {
  readonly complete: boolean;
  readonly indexedBlocks: bigint;
  readonly headBlock: bigint;
  /** The lowest block still to index, while incomplete. */
  readonly nextBlock?: bigint;
}

/** Work of one background step. */
export interface BackfillLimits {
  readonly maxBlocks: number;
  /** Stop after the block that reaches this many index entries. */
  readonly maxEntries: number;
}

const mask = (t: HistoryTxType): number => (t === "SENT" ? HISTORY_SENT : t === "RECEIVED" ? HISTORY_RECEIVED : HISTORY_SENT | HISTORY_RECEIVED);

/** The address history of one chain's store. */
export class AddressHistory {
  readonly #kv: KVStore;
  readonly #db: ChainDB;
  #marker: AddressIndexMarker;

  private constructor(kv: KVStore, db: ChainDB, marker: AddressIndexMarker) {
    this.#kv = kv;
    this.#db = db;
    this.#marker = marker;
  }

  /**
   * The history of the store whose head is `head`, resuming its stored marker (addressIndex.ts
   * {@link resumeAddressIndexMarker}); nothing is written until the next block or step.
   * @throws {ChainError} CORRUPT when the marker does not decode or does not fit the head.
   */
  static open(kv: KVStore, db: ChainDB, head: bigint): AddressHistory {
    return new AddressHistory(kv, db, resumeAddressIndexMarker(loadAddressIndexMarker(kv), head));
  }

  /** The marker as it stands (stored with the next block or step). */
  get marker(): AddressIndexMarker {
    return this.#marker;
  }

  /** The ops that index `block` in its own batch, marker included; call {@link committed} once written. */
  commitOps(block: Block, senders: readonly Uint8Array[], receipts: readonly Receipt[]): BatchOp[] {
    const ops = addressIndexOps(block.number, { transactions: block.transactions, senders, receipts: () => receipts });
    ops.push(addressIndexMarkerOp({ ...this.#marker, liveTo: block.number }));
    return ops;
  }

  /** The batch of block `n` (from {@link commitOps}) is written. */
  committed(n: bigint): void {
    this.#marker = { ...this.#marker, liveTo: n };
  }

  /** Progress of the index. */
  progress(): HistoryProgress {
    const m = this.#marker;
    const complete = isAddressIndexComplete(m);
    return { complete, indexedBlocks: indexedBlockCount(m), headBlock: m.liveTo, ...(complete ? {} : { nextBlock: m.low }) };
  }

  /**
   * Index the next blocks committed before the index was on, within `limits`, in one batch with the
   * marker. Returns the blocks indexed (0 once complete).
   * @throws {ChainError} CORRUPT when a canonical block, its senders or receipts are missing.
   */
  backfill(limits: BackfillLimits): number {
    const m = this.#marker;
    const ops: BatchOp[] = [];
    let n = m.low;
    while (n < m.liveFrom && n - m.low < BigInt(limits.maxBlocks) && ops.length < limits.maxEntries) {
      ops.push(...this.#blockOps(n));
      n++;
    }
    if (n === m.low) return 0;
    const next = { ...m, low: n };
    ops.push(addressIndexMarkerOp(next));
    this.#kv.batch(ops);
    this.#marker = next;
    return Number(n - m.low);
  }

  #blockOps(n: bigint): BatchOp[] {
    const hash = this.#db.getCanonicalHash(n);
    const txs = hash && this.#db.getTransactions(hash);
    const senders = hash && this.#db.getSenders(hash);
    if (hash === undefined || txs === undefined || senders === undefined) throw missing(n, "block or senders");
    const receipts = () => {
      const rs = this.#db.getReceipts(hash);
      if (rs === undefined) throw missing(n, "receipts");
      return rs;
    };
    return addressIndexOps(n, { transactions: txs, senders, receipts });
  }

  /**
   * Hashes of one page of `address`'s transactions.
   * @throws {ChainError} CORRUPT when an entry does not decode.
   */
  transactions(address: Uint8Array, q: HistoryQuery): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (q.limit <= 0) return out;
    let skip = q.offset;
    for (const [k, v] of this.#entries(address, q.order === "DESC")) {
      const e = decodeAddressIndexEntry(k, v);
      if ((e.flags & mask(q.type)) === 0) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(e.txHash);
      if (out.length >= q.limit) break;
    }
    return out;
  }

  /**
   * Number of `address`'s transactions of `type`.
   * @throws {ChainError} CORRUPT when an entry does not decode.
   */
  count(address: Uint8Array, type: HistoryTxType): number {
    let n = 0;
    for (const [k, v] of this.#entries(address, false)) if ((decodeAddressIndexEntry(k, v).flags & mask(type)) !== 0) n++;
    return n;
  }

  #entries(address: Uint8Array, reverse: boolean): IterableIterator<[Uint8Array, Uint8Array]> {
    return this.#kv.iterate({ prefix: addressIndexPrefix(address), reverse });
  }
}

const missing = (n: bigint, what: string) =>
  new ChainError({ code: ChainErrorCode.CORRUPT, reason: `canonical block ${n}: ${what} missing` }, `store is corrupt: the ${what} of canonical block ${n} are missing`);
