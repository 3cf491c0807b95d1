/**
 * Cross-shard data as a shard's chain stores it (DESIGN §Sharding), written in the batch of its block:
 *   cO ‖ blockHash → rlp([receipt…])  the block's outgoing CX receipts, in order (their indexes)
 *   cx ‖ txHash    → number(8) ‖ index(4)  where the first receipt a transaction emitted is
 *   cI ‖ blockHash → rlp([proof…])    the incoming receipts' proofs of the block body (the block's
 *                                     third RLP element, so a stored block encodes as it came)
 * Nothing is written for a block without them.
 * @module
 */
import { type Block, type CxProof, type CxReceipt, decodeCxReceipt, decodeIncoming, encodeCxReceipt, encodeIncoming, hashKey, rlpDecode, rlpEncode } from "../core/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import { concatBytes } from "../util/bytes.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";
import { decodeNumber, encodeNumber } from "./keys.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const OUTGOING = enc("cO");
const TX_INDEX = enc("cx");
const INCOMING = enc("cI");

/** Key of a block's outgoing receipts. */
export const outgoingCxKey = (blockHash: Uint8Array) => concatBytes(OUTGOING, blockHash);
/** Key of the location of the first receipt a transaction emitted. */
export const cxTxKey = (txHash: Uint8Array) => concatBytes(TX_INDEX, txHash);
/** Key of a block's incoming proofs. */
export const incomingCxKey = (blockHash: Uint8Array) => concatBytes(INCOMING, blockHash);

/** Where a stored outgoing receipt is. */
export interface CxReceiptLocation {
  readonly blockNumber: bigint;
  /** Its position in the block's outgoing list. */
  readonly index: number;
}

/** The ops that store `block`'s incoming proofs and its outgoing receipts with their index. */
export function cxBlockOps(block: Block, outgoing: readonly CxReceipt[]): BatchOp[] {
  const ops: BatchOp[] = [];
  const hash = block.hash;
  if (block.incoming.length > 0) ops.push({ type: "put", key: incomingCxKey(hash), value: encodeIncoming(block.incoming) });
  if (outgoing.length === 0) return ops;
  ops.push({ type: "put", key: outgoingCxKey(hash), value: rlpEncode(outgoing.map(encodeCxReceipt)) });
  const seen = new Set<string>();
  outgoing.forEach((r, index) => {
    const k = hashKey(r.txHash);
    if (seen.has(k)) return;
    seen.add(k);
    const loc = new Uint8Array(12);
    loc.set(encodeNumber(block.number), 0);
    new DataView(loc.buffer).setUint32(8, index);
    ops.push({ type: "put", key: cxTxKey(r.txHash), value: loc });
  });
  return ops;
}

function corrupt(what: string, e: unknown): ChainError {
  return new ChainError({ code: ChainErrorCode.CORRUPT, reason: `${what}: ${e instanceof Error ? e.message : String(e)}` }, `store is corrupt: ${what} do not decode`);
}

/**
 * The outgoing receipts stored with a block ([] when it sent none).
 * @throws {ChainError} CORRUPT when the stored value does not decode.
 */
export function loadOutgoingCx(kv: Pick<KVStore, "get">, blockHash: Uint8Array): CxReceipt[] {
  const v = kv.get(outgoingCxKey(blockHash));
  if (v === undefined) return [];
  try {
    const items = rlpDecode(v, "outgoing cx receipts");
    if (!Array.isArray(items)) throw new SyntaxError("expected a list");
    return items.map((b) => decodeCxReceipt(b as Uint8Array));
  } catch (e) {
    throw corrupt("outgoing cross-shard receipts", e);
  }
}

/** Where the first receipt of transaction `txHash` is, if it emitted one on this chain. */
export function loadCxLocation(kv: Pick<KVStore, "get">, txHash: Uint8Array): CxReceiptLocation | undefined {
  const v = kv.get(cxTxKey(txHash));
  if (v === undefined) return undefined;
  if (v.length !== 12) throw corrupt("cross-shard receipt index entries", new RangeError(`${v.length} bytes`));
  return { blockNumber: decodeNumber(v), index: new DataView(v.buffer, v.byteOffset).getUint32(8) };
}

/**
 * The incoming proofs stored with a block ([] when it credited none).
 * @throws {ChainError} CORRUPT when the stored value does not decode.
 */
export function loadIncomingCx(kv: Pick<KVStore, "get">, blockHash: Uint8Array): CxProof[] {
  const v = kv.get(incomingCxKey(blockHash));
  if (v === undefined) return [];
  try {
    // Stored proofs were checked (and bounded) when their block was validated.
    return decodeIncoming(v, Number.MAX_SAFE_INTEGER);
  } catch (e) {
    throw corrupt("incoming cross-shard proofs", e);
  }
}
