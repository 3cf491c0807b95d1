/**
 * The sync request/response codec (DESIGN §Sync) on the p2p request channel. All payloads are RLP:
 *   sync/headers  request [from, count ≤ 512]  → [header encoding…]   (consecutive, from `from`)
 *   sync/blocks   request [from, count ≤ 128]  → [block encoding…]    (consecutive, bounded by bytes)
 *   sync/commit   request [height]             → [sig(96), bitmap] or [] when the proof is unknown
 * Integers are canonical (no leading zero byte) uint64. A response may hold fewer items than asked
 * (the server's head or byte budget), never more.
 */
import { RLP } from "@ethereumjs/rlp";
import { COMMIT_SIG_BYTES, bigintToBytes, bytesToBigint } from "../core/index.ts";
import { malformedRequest, malformedResponse, type SyncError } from "./errors.ts";

/** Request method names. */
export const SyncMethod = {
  HEADERS: "sync/headers",
  BLOCKS: "sync/blocks",
  COMMIT: "sync/commit",
} as const;

/** Most headers one `sync/headers` request may ask for. */
export const MAX_HEADERS_PER_REQUEST = 512;
/** Most blocks one `sync/blocks` request may ask for. */
export const MAX_BLOCKS_PER_REQUEST = 128;
/** Default byte budget of one response (the server stops adding items past it). */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Largest commit bitmap (8192 committee slots), as the header's own bound. */
export const MAX_COMMIT_BITMAP_BYTES = 1024;

/** A commit proof: the aggregate BLS commit signature of a block and the committee bitmap of its signers. */
export interface CommitProof {
  readonly sig: Uint8Array;
  readonly bitmap: Uint8Array;
}

/** A range of consecutive heights. */
export interface RangeRequest {
  readonly from: bigint;
  readonly count: number;
}

type Item = Uint8Array | Item[];
type Fail = (reason: string) => SyncError;

function decodeOne(bytes: Uint8Array, fail: Fail): Item {
  try {
    return RLP.decode(bytes) as Item;
  } catch (e) {
    throw fail(`invalid RLP (${e instanceof Error ? e.message : String(e)})`);
  }
}

function uint64(item: Item | undefined, field: string, fail: Fail): bigint {
  if (!(item instanceof Uint8Array)) throw fail(`${field}: expected an integer`);
  if (item.length > 8) throw fail(`${field}: longer than 8 bytes`);
  if (item.length > 0 && item[0] === 0) throw fail(`${field}: leading zero byte`);
  return bytesToBigint(item);
}

function list(item: Item, what: string, fail: Fail): Item[] {
  if (!Array.isArray(item)) throw fail(`${what}: expected a list`);
  return item;
}

/** Encode a `sync/headers` or `sync/blocks` request. @throws {RangeError} on a negative start or a count below 1. */
export function encodeRangeRequest(r: RangeRequest): Uint8Array {
  if (r.from < 0n || !Number.isInteger(r.count) || r.count < 1) throw new RangeError(`invalid range from ${r.from} count ${r.count}`);
  return RLP.encode([bigintToBytes(r.from), bigintToBytes(BigInt(r.count))]);
}

/**
 * Decode a range request, strictly.
 * @throws {SyncError} MALFORMED_REQUEST (REJECT) unless `[from, count]` with canonical uint64s and 1 ≤ count ≤ `maxCount`.
 */
export function decodeRangeRequest(bytes: Uint8Array, maxCount: number): RangeRequest {
  const l = list(decodeOne(bytes, malformedRequest), "request", malformedRequest);
  if (l.length !== 2) throw malformedRequest(`expected [from, count], got ${l.length} items`);
  const from = uint64(l[0], "from", malformedRequest);
  const count = uint64(l[1], "count", malformedRequest);
  if (count < 1n || count > BigInt(maxCount)) throw malformedRequest(`count ${count} outside 1..${maxCount}`);
  return { from, count: Number(count) };
}

/** Encode a `sync/commit` request. @throws {RangeError} on a negative height. */
export function encodeCommitRequest(height: bigint): Uint8Array {
  if (height < 0n) throw new RangeError(`negative height ${height}`);
  return RLP.encode([bigintToBytes(height)]);
}

/** Decode a `sync/commit` request. @throws {SyncError} MALFORMED_REQUEST (REJECT) unless `[height]`. */
export function decodeCommitRequest(bytes: Uint8Array): bigint {
  const l = list(decodeOne(bytes, malformedRequest), "request", malformedRequest);
  if (l.length !== 1) throw malformedRequest(`expected [height], got ${l.length} items`);
  return uint64(l[0], "height", malformedRequest);
}

/** Encode a list of encodings (headers or blocks) as a response. */
export function encodeItems(items: readonly Uint8Array[]): Uint8Array {
  return RLP.encode(items as Uint8Array[]);
}

/**
 * Decode a response list of encodings.
 * @throws {SyncError} MALFORMED_RESPONSE (REJECT) on bad RLP, a nested list, or more than `maxCount` items.
 */
export function decodeItems(bytes: Uint8Array, maxCount: number): Uint8Array[] {
  const l = list(decodeOne(bytes, malformedResponse), "response", malformedResponse);
  if (l.length > maxCount) throw malformedResponse(`${l.length} items, asked for at most ${maxCount}`);
  return l.map((x, i) => {
    if (!(x instanceof Uint8Array)) throw malformedResponse(`item ${i}: expected bytes`);
    return x;
  });
}

/** Encode a `sync/commit` response; `undefined` when the proof is not known. */
export function encodeCommitResponse(proof: CommitProof | undefined): Uint8Array {
  return RLP.encode(proof === undefined ? [] : [proof.sig, proof.bitmap]);
}

/**
 * Decode a `sync/commit` response; `undefined` when the peer does not know the proof.
 * @throws {SyncError} MALFORMED_RESPONSE (REJECT) unless `[]` or `[sig(96), bitmap(≤1024)]`.
 */
export function decodeCommitResponse(bytes: Uint8Array): CommitProof | undefined {
  const l = list(decodeOne(bytes, malformedResponse), "response", malformedResponse);
  if (l.length === 0) return undefined;
  const [sig, bitmap] = l;
  if (l.length !== 2 || !(sig instanceof Uint8Array) || !(bitmap instanceof Uint8Array)) throw malformedResponse("expected [] or [sig, bitmap]");
  if (sig.length !== COMMIT_SIG_BYTES) throw malformedResponse(`commit signature of ${sig.length} bytes, expected ${COMMIT_SIG_BYTES}`);
  if (bitmap.length > MAX_COMMIT_BITMAP_BYTES) throw malformedResponse(`commit bitmap of ${bitmap.length} bytes`);
  return { sig, bitmap };
}
