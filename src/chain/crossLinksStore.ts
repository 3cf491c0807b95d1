/**
 * Crosslinks as the beacon chain stores them (DESIGN §2 chaindb "crosslinks"), written in the batch of
 * the block whose header carries them:
 *   cK ‖ shardId(4) ‖ number(8) → the crosslink's RLP
 *   ck ‖ shardId(4)             → the shard's last crosslink's RLP
 * A shard's crosslinks are consecutive block numbers (crossLinks.ts), so the highest one of a header
 * is the shard's new last crosslink.
 * @module
 */
import type { Header } from "../core/index.ts";
import { type CrossLink, decodeCrossLink, decodeCrossLinks, encodeCrossLink } from "../shard/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";
import { encodeNumber } from "./keys.ts";

const BY_NUMBER = new TextEncoder().encode("cK");
const LAST = new TextEncoder().encode("ck");

function shardKey(prefix: Uint8Array, shardId: number, extra = 0): Uint8Array {
  const k = new Uint8Array(prefix.length + 4 + extra);
  k.set(prefix, 0);
  new DataView(k.buffer).setUint32(prefix.length, shardId);
  return k;
}

/** Key of the crosslink of shard `shardId` block `n`. */
export function crossLinkKey(shardId: number, n: bigint): Uint8Array {
  const k = shardKey(BY_NUMBER, shardId, 8);
  k.set(encodeNumber(n), BY_NUMBER.length + 4);
  return k;
}

/** Key of the last crosslink of shard `shardId`. */
export function lastCrossLinkKey(shardId: number): Uint8Array {
  return shardKey(LAST, shardId);
}

/**
 * The ops that store the crosslinks a header carries (none for an empty field). The header was
 * validated before (`validateBlockCrossLinks`), so its field decodes.
 * @throws {CrossLinkError} MALFORMED when it does not: a broken invariant of the caller.
 */
export function crossLinkOps(header: Header): BatchOp[] {
  if (header.crossLinks.length === 0) return [];
  const ops: BatchOp[] = [];
  const last = new Map<number, Uint8Array>();
  for (const l of decodeCrossLinks(header.crossLinks)) {
    const value = encodeCrossLink(l);
    ops.push({ type: "put", key: crossLinkKey(l.shardId, l.blockNumber), value });
    last.set(l.shardId, value);
  }
  for (const [shardId, value] of last) ops.push({ type: "put", key: lastCrossLinkKey(shardId), value });
  return ops;
}

function load(kv: Pick<KVStore, "get">, key: Uint8Array): CrossLink | undefined {
  const v = kv.get(key);
  if (v === undefined) return undefined;
  try {
    return decodeCrossLink(v);
  } catch (e) {
    throw new ChainError({ code: ChainErrorCode.CORRUPT, reason: `crosslink: ${(e as Error).message}` }, "store is corrupt: a crosslink does not decode");
  }
}

/**
 * The stored crosslink of shard `shardId` block `n`, if that block is crosslinked.
 * @throws {ChainError} CORRUPT when the stored value does not decode.
 */
export function loadCrossLink(kv: Pick<KVStore, "get">, shardId: number, n: bigint): CrossLink | undefined {
  return load(kv, crossLinkKey(shardId, n));
}

/**
 * The last crosslink of shard `shardId`, if it has any.
 * @throws {ChainError} CORRUPT when the stored value does not decode.
 */
export function loadLastCrossLink(kv: Pick<KVStore, "get">, shardId: number): CrossLink | undefined {
  return load(kv, lastCrossLinkKey(shardId));
}
