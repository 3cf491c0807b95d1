/**
 * The transaction history index by address (Harmony's explorer index, `--rpc-tx-history`): one key per
 * (address, block number, transaction index) for the sender, the recipient and the contract a
 * transaction created, written in the batch of its block, plus a marker of which blocks are indexed.
 *   cA ‖ address(20) ‖ number(8) ‖ index(4) → flags(1) ‖ txHash(32)   (flags: 1 sent, 2 received)
 *   cMaddressIndex → low(8) ‖ liveFrom(8) ‖ liveTo(8)
 * The indexed blocks are [1, low) (filled in the background, upwards) and [liveFrom, liveTo] (written
 * with each block since the index was switched on); the index is complete when low ≥ liveFrom. Keys are
 * a function of the block alone, so indexing a block twice writes the same entries: re-indexing after
 * a kill or a gap leaves no duplicates. Pure functions only; {@link AddressHistory} keeps the state.
 * @module
 */
import { generateAddress } from "@ethereumjs/util";
import { type Receipt, type SignedTransaction, bigintToBytes } from "../core/index.ts";
import type { BatchOp } from "../store/index.ts";
import { concatBytes } from "../util/bytes.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";
import { decodeNumber, encodeNumber } from "./keys.ts";

/** The transaction was sent by the address. */
export const HISTORY_SENT = 1;
/** The transaction was sent to the address, or created it (a contract). */
export const HISTORY_RECEIVED = 2;

const PREFIX = new TextEncoder().encode("cA");
const MARKER_KEY = new TextEncoder().encode("cMaddressIndex");
const KEY_BYTES = PREFIX.length + 20 + 8 + 4;

/** Which blocks are indexed: [1, low) ∪ [liveFrom, liveTo]. */
export interface AddressIndexMarker {
  /** The lowest block the background indexer has not indexed yet. */
  readonly low: bigint;
  /** The first block indexed in its own batch (the head + 1 when the index was last switched on). */
  readonly liveFrom: bigint;
  /** The last block indexed in its own batch (the head while the index is on). */
  readonly liveTo: bigint;
}

/** One entry of the index. */
export interface AddressIndexEntry {
  readonly blockNumber: bigint;
  readonly index: number;
  readonly flags: number;
  readonly txHash: Uint8Array;
}

/** Key prefix of every entry of `address`. */
export function addressIndexPrefix(address: Uint8Array): Uint8Array {
  return concatBytes(PREFIX, address);
}

/** Key of the entry of `address` for the transaction at (`blockNumber`, `index`). */
export function addressIndexKey(address: Uint8Array, blockNumber: bigint, index: number): Uint8Array {
  const i = new Uint8Array(4);
  new DataView(i.buffer).setUint32(0, index);
  return concatBytes(PREFIX, address, encodeNumber(blockNumber), i);
}

/**
 * An entry from its stored key and value.
 * @throws {ChainError} CORRUPT when either has the wrong size or no flag is set.
 */
export function decodeAddressIndexEntry(key: Uint8Array, value: Uint8Array): AddressIndexEntry {
  const flags = value[0] ?? 0;
  if (key.length !== KEY_BYTES || value.length !== 33 || (flags & (HISTORY_SENT | HISTORY_RECEIVED)) === 0) {
    throw new ChainError({ code: ChainErrorCode.CORRUPT, reason: "address index entry unreadable" }, "store is corrupt: an address index entry does not decode");
  }
  const at = PREFIX.length + 20;
  return { blockNumber: decodeNumber(key, at), index: new DataView(key.buffer, key.byteOffset + at + 8, 4).getUint32(0), flags, txHash: value.slice(1) };
}

/** A block's transactions as the index reads them; `receipts` is called only for a block with a creation. */
export interface IndexedBody {
  readonly transactions: readonly SignedTransaction[];
  readonly senders: readonly Uint8Array[];
  readonly receipts: () => readonly Receipt[];
}

/**
 * The index ops of one block: for each transaction its sender (sent), its recipient (received) and the
 * contract it created when the creation succeeded (received); an address in two roles of one
 * transaction (a transfer to oneself) gets one entry with both flags.
 * @throws {RangeError} when a transaction has no sender.
 */
export function addressIndexOps(blockNumber: bigint, body: IndexedBody): BatchOp[] {
  const { transactions: txs, senders, receipts } = body;
  const ops: BatchOp[] = [];
  let rs: readonly Receipt[] | undefined;
  txs.forEach((tx, i) => {
    const sender = senders[i];
    if (sender === undefined) throw new RangeError(`block ${blockNumber}: no sender for transaction ${i}`);
    const roles = new Map<string, { address: Uint8Array; flags: number }>();
    const add = (address: Uint8Array, flag: number) => {
      const k = address.join(",");
      const had = roles.get(k);
      roles.set(k, { address, flags: (had?.flags ?? 0) | flag });
    };
    add(sender, HISTORY_SENT);
    if (tx.to !== undefined) add(tx.to.bytes, HISTORY_RECEIVED);
    else if ((rs ??= receipts())[i]?.status === 1) add(generateAddress(sender, bigintToBytes(tx.nonce)), HISTORY_RECEIVED);
    const hash = tx.hash();
    for (const { address, flags } of roles.values()) {
      const value = new Uint8Array(33);
      value[0] = flags;
      value.set(hash, 1);
      ops.push({ type: "put", key: addressIndexKey(address, blockNumber, i), value });
    }
  });
  return ops;
}

/** The op that stores `m`. */
export function addressIndexMarkerOp(m: AddressIndexMarker): BatchOp {
  return { type: "put", key: MARKER_KEY, value: concatBytes(encodeNumber(m.low), encodeNumber(m.liveFrom), encodeNumber(m.liveTo)) };
}

/**
 * The stored marker, if the index was ever on.
 * @throws {ChainError} CORRUPT when it does not decode.
 */
export function loadAddressIndexMarker(kv: { get(key: Uint8Array): Uint8Array | undefined }): AddressIndexMarker | undefined {
  const v = kv.get(MARKER_KEY);
  if (v === undefined) return undefined;
  if (v.length !== 24) throw new ChainError({ code: ChainErrorCode.CORRUPT, reason: "address index marker unreadable" }, "store is corrupt: the address index marker does not decode");
  return { low: decodeNumber(v, 0), liveFrom: decodeNumber(v, 8), liveTo: decodeNumber(v, 16) };
}

/** True when every block up to `m.liveTo` is indexed. */
export function isAddressIndexComplete(m: AddressIndexMarker): boolean {
  return m.low >= m.liveFrom;
}

/**
 * The marker of an index switched on at a store whose head is `head`: a new index backfills [1, head];
 * an index that was off for a while (its `liveTo` below the head) also lacks (liveTo, head]. When it
 * was complete, the gap becomes the backfill's range; otherwise the backfill goes on from `low` and
 * indexes the blocks of the old live range again (same keys, no duplicates), so one range is left.
 * @throws {ChainError} CORRUPT when the marker claims blocks past the head.
 */
export function resumeAddressIndexMarker(stored: AddressIndexMarker | undefined, head: bigint): AddressIndexMarker {
  if (stored === undefined) return { low: 1n, liveFrom: head + 1n, liveTo: head };
  if (stored.liveTo > head || stored.low > stored.liveTo + 1n || stored.low < 1n) {
    throw new ChainError({ code: ChainErrorCode.CORRUPT, reason: "address index marker past the head" }, `store is corrupt: the address index marker (${stored.low}, ${stored.liveFrom}, ${stored.liveTo}) does not fit head ${head}`);
  }
  if (stored.liveTo === head) return stored;
  return { low: isAddressIndexComplete(stored) ? stored.liveTo + 1n : stored.low, liveFrom: head + 1n, liveTo: head };
}

/** Blocks indexed so far, of the `liveTo` blocks after genesis. */
export function indexedBlockCount(m: AddressIndexMarker): bigint {
  const low = m.low < m.liveFrom ? m.low : m.liveFrom;
  return low - 1n + (m.liveTo - m.liveFrom + 1n);
}
