/**
 * Double-sign evidence as the chain keeps it (DESIGN §Slashing): two COMMIT signatures of one BLS key
 * for different blocks at one (shard, height, view), with the offence's epoch. Unlike the consensus
 * driver's evidence (committee slot indexes), a record names the key itself, so it stays meaningful
 * whoever reads it later. Its RLP is the argument of `reportDoubleSign(bytes)` and, as a list, the
 * header's `slashes` field. Decoding is strict, as for every consensus-critical codec.
 * @module
 */
import { asBytes, asList, bigintToBytes, commitPayload, decodeInt, rlpDecode, rlpEncode } from "../core/index.ts";
import type { BLS } from "../crypto/index.ts";

/** One COMMIT vote of the offender. */
export interface DoubleSignVote {
  readonly blockHash: Uint8Array;
  /** The offender's BLS signature over `commitPayload(height, blockHash, view)` (96 bytes). */
  readonly signature: Uint8Array;
}

/** Proof that `offender` signed COMMITs for two different blocks at (shardId, height, view). */
export interface DoubleSignRecord {
  readonly shardId: number;
  /** Epoch of the offence: the staking snapshot the slash is computed from. */
  readonly epoch: bigint;
  readonly height: bigint;
  /** The header view the COMMIT payload carries. */
  readonly view: bigint;
  /** The offender's BLS public key (48 bytes). */
  readonly offender: Uint8Array;
  readonly first: DoubleSignVote;
  readonly second: DoubleSignVote;
}

const int = (v: bigint | number) => bigintToBytes(BigInt(v));
const voteItem = (v: DoubleSignVote) => [v.blockHash, v.signature];

function voteOf(item: unknown, field: string): DoubleSignVote {
  const f = asList(item, field, 2);
  return { blockHash: asBytes(f[0], `${field}.blockHash`, 32), signature: asBytes(f[1], `${field}.signature`, 96) };
}

function recordItem(r: DoubleSignRecord) {
  return [int(r.shardId), int(r.epoch), int(r.height), int(r.view), r.offender, voteItem(r.first), voteItem(r.second)];
}

function recordOf(item: unknown, field: string): DoubleSignRecord {
  const f = asList(item, field, 7);
  return Object.freeze({
    shardId: Number(decodeInt(f[0], `${field}.shardId`, 4)),
    epoch: decodeInt(f[1], `${field}.epoch`, 8),
    height: decodeInt(f[2], `${field}.height`, 8),
    view: decodeInt(f[3], `${field}.view`, 8),
    offender: asBytes(f[4], `${field}.offender`, 48),
    first: voteOf(f[5], `${field}.first`),
    second: voteOf(f[6], `${field}.second`),
  });
}

/** RLP of a record (the `reportDoubleSign` argument). */
export function encodeDoubleSignRecord(r: DoubleSignRecord): Uint8Array {
  return rlpEncode(recordItem(r));
}

/**
 * Decode a record.
 * @throws {SyntaxError} on anything but a canonical encoding with the exact field lengths.
 */
export function decodeDoubleSignRecord(bytes: Uint8Array): DoubleSignRecord {
  return recordOf(rlpDecode(bytes, "double-sign record"), "record");
}

/** Most records one header carries: each costs every validator two signature checks. */
export const MAX_SLASHES_PER_HEADER = 16;

/** A header's `slashes` field: empty for none, else the RLP list of the records. */
export function encodeSlashes(records: readonly DoubleSignRecord[]): Uint8Array {
  return records.length === 0 ? new Uint8Array(0) : rlpEncode(records.map(recordItem));
}

/**
 * Inverse of {@link encodeSlashes}; an empty list must be encoded as no bytes (one encoding only).
 * @throws {SyntaxError} on bytes that are not that encoding.
 */
export function decodeSlashes(bytes: Uint8Array): DoubleSignRecord[] {
  if (bytes.length === 0) return [];
  const list = asList(rlpDecode(bytes, "slashes"), "slashes");
  if (list.length === 0) throw new SyntaxError("slashes: an empty list is encoded as no bytes");
  if (list.length > MAX_SLASHES_PER_HEADER) throw new SyntaxError(`slashes: ${list.length} records, at most ${MAX_SLASHES_PER_HEADER}`);
  return list.map((item, i) => recordOf(item, `slashes[${i}]`));
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Why a record does not prove double signing by its key, or null when it does: two different
 * blocks, both signatures valid for the offender's key over the COMMIT payload of (height, hash, view).
 * Pure; the state checks (whose key, banned already) are {@link applySlash}'s.
 */
export function checkDoubleSignRecord(r: DoubleSignRecord, bls: Pick<BLS, "verify">): string | null {
  if (sameBytes(r.first.blockHash, r.second.blockHash)) return "both votes are for the same block";
  for (const [name, v] of [["first", r.first], ["second", r.second]] as const) {
    let ok: boolean;
    try {
      ok = bls.verify(r.offender, commitPayload(r.height, v.blockHash, r.view), v.signature);
    } catch {
      ok = false; // a key or signature that is not a curve point proves nothing
    }
    if (!ok) return `the ${name} vote's signature is not the offender's COMMIT signature`;
  }
  return null;
}
