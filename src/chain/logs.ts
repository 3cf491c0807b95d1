/**
 * `eth_getLogs` from the log index: candidate heights come from the address/topic index (union over
 * the values of one position, intersection across positions), then each candidate block's receipts
 * are filtered exactly (a topic index entry does not record its position).
 */
import { type Log, type Receipt, type SignedTransaction, transactionHash } from "../core/index.ts";
import type { ChainDB } from "./chainDB.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";

/** A log query over the inclusive range [fromBlock, toBlock]. */
export interface LogFilter {
  fromBlock: bigint;
  toBlock: bigint;
  /** Any of these emitters; empty = any address. */
  addresses: readonly Uint8Array[];
  /** topics[i]: null or [] = any value at position i, else one of the values. */
  topics: readonly (readonly Uint8Array[] | null)[];
  /** Return at most this many entries. */
  limit: number;
}

/** A log with its position in the chain; `logIndex` counts logs within the block. */
export interface LogEntry extends Log {
  readonly blockNumber: bigint;
  readonly blockHash: Uint8Array;
  readonly transactionHash: Uint8Array;
  readonly transactionIndex: number;
  readonly logIndex: number;
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** True when `log` passes the address and topic rules of `filter`. */
export function matchesLogFilter(log: Log, filter: Pick<LogFilter, "addresses" | "topics">): boolean {
  if (filter.addresses.length > 0 && !filter.addresses.some((a) => eq(a, log.address))) return false;
  for (let i = 0; i < filter.topics.length; i++) {
    const want = filter.topics[i];
    if (want === null || want === undefined || want.length === 0) continue;
    const have = log.topics[i];
    if (have === undefined || !want.some((t) => eq(t, have))) return false;
  }
  return true;
}

/** Every log of a block with its position. */
export function blockLogEntries(blockHash: Uint8Array, blockNumber: bigint, txs: readonly SignedTransaction[], receipts: readonly Receipt[]): LogEntry[] {
  const out: LogEntry[] = [];
  let logIndex = 0;
  receipts.forEach((r, transactionIndex) => {
    const txHash = transactionHash(txs[transactionIndex] as SignedTransaction);
    for (const l of r.logs) out.push({ ...l, blockNumber, blockHash, transactionHash: txHash, transactionIndex, logIndex: logIndex++ });
  });
  return out;
}

function union(db: ChainDB, kind: "address" | "topic", values: readonly Uint8Array[], from: bigint, to: bigint): Set<bigint> {
  const s = new Set<bigint>();
  for (const v of values) for (const n of db.indexedHeights(kind, v, from, to)) s.add(n);
  return s;
}

/** Heights in the range that may hold matching logs, ascending. */
export function candidateHeights(db: ChainDB, f: LogFilter): bigint[] {
  const sets: Set<bigint>[] = [];
  if (f.addresses.length > 0) sets.push(union(db, "address", f.addresses, f.fromBlock, f.toBlock));
  for (const t of f.topics) if (t !== null && t.length > 0) sets.push(union(db, "topic", t, f.fromBlock, f.toBlock));
  if (sets.length === 0) return db.indexedHeights("block", new Uint8Array(0), f.fromBlock, f.toBlock);
  sets.sort((a, b) => a.size - b.size);
  const [first, ...rest] = sets as [Set<bigint>, ...Set<bigint>[]];
  return [...first].filter((n) => rest.every((s) => s.has(n))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * {@link queryLogs} with `toBlock` capped at the head, over at most `maxBlockRange` blocks.
 * @throws {ChainError} LOG_RANGE_TOO_LARGE when the range spans more blocks.
 */
export function queryLogsUpTo(db: ChainDB, filter: LogFilter, opts: { head: bigint; maxBlockRange: number }): LogEntry[] {
  const to = filter.toBlock > opts.head ? opts.head : filter.toBlock;
  const span = to - filter.fromBlock + 1n;
  if (span > BigInt(opts.maxBlockRange)) {
    throw new ChainError(
      { code: ChainErrorCode.LOG_RANGE_TOO_LARGE, maxBlockRange: opts.maxBlockRange, requested: span },
      `query spans ${span} blocks, more than the limit of ${opts.maxBlockRange}; narrow fromBlock/toBlock`,
    );
  }
  return queryLogs(db, { ...filter, toBlock: to });
}

/** Matching logs in order of block and log index, at most `limit`. */
export function queryLogs(db: ChainDB, f: LogFilter): LogEntry[] {
  const out: LogEntry[] = [];
  if (f.limit <= 0 || f.toBlock < f.fromBlock) return out;
  for (const n of candidateHeights(db, f)) {
    const hash = db.getCanonicalHash(n);
    if (hash === undefined) continue;
    const receipts = db.getReceipts(hash) ?? [];
    const txs = db.getTransactions(hash) ?? [];
    for (const e of blockLogEntries(hash, n, txs, receipts)) {
      if (!matchesLogFilter(e, f)) continue;
      out.push(e);
      if (out.length >= f.limit) return out;
    }
  }
  return out;
}
