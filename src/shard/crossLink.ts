/**
 * The crosslink record (DESIGN §Sharding): a final shard block as the beacon chain keeps it — shard,
 * number, view, epoch, hash and the block's own commit proof (aggregate signature + bitmap over the
 * shard's committee of that epoch). Its RLP follows Harmony's field order
 * `[hash, blockNumber, viewId, signature, bitmap, shardId, epoch]`; a beacon header's `crossLinks`
 * is the RLP list of them (no bytes when there are none). Decoding is strict: one meaning per byte
 * string, as for every consensus-critical codec.
 * @module
 */
import { COMMIT_SIG_BYTES, type Header, MAX_SHARD_SLOTS, asBytes, asList, bigintToBytes, decodeInt, rlpDecode, rlpEncode } from "../core/index.ts";
import { CrossLinkError, CrossLinkErrorCode } from "./errors.ts";

/** Most crosslinks one beacon header carries. */
export const MAX_CROSSLINKS_PER_BLOCK = 16;
/** Most bytes of a crosslink's bitmap (a committee of at most {@link MAX_SHARD_SLOTS} slots). */
export const MAX_CROSSLINK_BITMAP_BYTES = MAX_SHARD_SLOTS / 8;

/** A shard block and its commit proof, as the beacon chain records it. */
export interface CrossLink {
  readonly shardId: number;
  readonly blockNumber: bigint;
  /** The header's view: the commit payload signs it. */
  readonly viewId: bigint;
  /** The block's epoch: its committee is the beacon chain's shard state of that epoch. */
  readonly epoch: bigint;
  /** 32-byte block hash. */
  readonly blockHash: Uint8Array;
  /** 96-byte aggregate BLS signature over `commitPayload(blockNumber, blockHash, viewId)`. */
  readonly signature: Uint8Array;
  /** Committee bitmap of the signers (slot i = byte i>>3, mask 1<<(i&7)). */
  readonly bitmap: Uint8Array;
}

/** The commit proof of a block: what the next header carries as `lastCommitSig`/`lastCommitBitmap`. */
export interface CrossLinkProof {
  readonly signature: Uint8Array;
  readonly bitmap: Uint8Array;
}

/** The crosslink of a final shard block from its header and its commit proof. */
export function createCrossLink(header: Header, proof: CrossLinkProof): CrossLink {
  return Object.freeze({
    shardId: header.shardId,
    blockNumber: header.number,
    viewId: header.viewId,
    epoch: header.epoch,
    blockHash: header.hash.slice(),
    signature: proof.signature.slice(),
    bitmap: proof.bitmap.slice(),
  });
}

const int = (v: bigint | number) => bigintToBytes(BigInt(v));

function crossLinkItem(l: CrossLink): Uint8Array[] {
  return [l.blockHash, int(l.blockNumber), int(l.viewId), l.signature, l.bitmap, int(l.shardId), int(l.epoch)];
}

function crossLinkOf(item: unknown, field: string): CrossLink {
  const f = asList(item, field, 7);
  const bitmap = asBytes(f[4], `${field}.bitmap`);
  if (bitmap.length > MAX_CROSSLINK_BITMAP_BYTES) throw new SyntaxError(`${field}.bitmap: ${bitmap.length} bytes, at most ${MAX_CROSSLINK_BITMAP_BYTES}`);
  return Object.freeze({
    blockHash: asBytes(f[0], `${field}.hash`, 32),
    blockNumber: decodeInt(f[1], `${field}.blockNumber`, 8),
    viewId: decodeInt(f[2], `${field}.viewId`, 8),
    signature: asBytes(f[3], `${field}.signature`, COMMIT_SIG_BYTES),
    bitmap,
    shardId: Number(decodeInt(f[5], `${field}.shardId`, 4)),
    epoch: decodeInt(f[6], `${field}.epoch`, 8),
  });
}

function malformed(e: unknown): CrossLinkError {
  const reason = e instanceof Error ? e.message : String(e);
  return new CrossLinkError({ code: CrossLinkErrorCode.MALFORMED, reason, action: "REJECT" }, `malformed crosslink: ${reason}`, { cause: e });
}

/**
 * RLP of one crosslink.
 * @throws {RangeError} on a field of the wrong size (the record was not built by this module).
 */
export function encodeCrossLink(l: CrossLink): Uint8Array {
  if (l.blockHash.length !== 32) throw new RangeError(`crosslink hash of ${l.blockHash.length} bytes, expected 32`);
  if (l.signature.length !== COMMIT_SIG_BYTES) throw new RangeError(`crosslink signature of ${l.signature.length} bytes, expected ${COMMIT_SIG_BYTES}`);
  return rlpEncode(crossLinkItem(l));
}

/**
 * Decode one crosslink.
 * @throws {CrossLinkError} MALFORMED on bad RLP, a missing or extra field, a wrong length, a
 * non-canonical or oversized integer, trailing bytes.
 */
export function decodeCrossLink(bytes: Uint8Array): CrossLink {
  try {
    return crossLinkOf(rlpDecode(bytes, "crosslink"), "crosslink");
  } catch (e) {
    throw malformed(e);
  }
}

/**
 * The header field of `links`: no bytes for none, else the RLP list.
 * @throws {RangeError} on more than {@link MAX_CROSSLINKS_PER_BLOCK} links or a field of the wrong size.
 */
export function encodeCrossLinks(links: readonly CrossLink[]): Uint8Array {
  if (links.length === 0) return new Uint8Array(0);
  if (links.length > MAX_CROSSLINKS_PER_BLOCK) throw new RangeError(`${links.length} crosslinks, at most ${MAX_CROSSLINKS_PER_BLOCK} per block`);
  for (const l of links) encodeCrossLink(l);
  return rlpEncode(links.map(crossLinkItem));
}

/**
 * Decode a header's `crossLinks` (no bytes: none).
 * @throws {CrossLinkError} MALFORMED, also for an encoded empty list (its one encoding is no bytes)
 * and for more than {@link MAX_CROSSLINKS_PER_BLOCK} links.
 */
export function decodeCrossLinks(bytes: Uint8Array): CrossLink[] {
  if (bytes.length === 0) return [];
  try {
    const list = asList(rlpDecode(bytes, "crossLinks"), "crossLinks");
    if (list.length === 0) throw new SyntaxError("crossLinks: an empty list is encoded as no bytes");
    if (list.length > MAX_CROSSLINKS_PER_BLOCK) throw new SyntaxError(`crossLinks: ${list.length} links, at most ${MAX_CROSSLINKS_PER_BLOCK}`);
    return list.map((item, i) => crossLinkOf(item, `crossLinks[${i}]`));
  } catch (e) {
    throw malformed(e);
  }
}
