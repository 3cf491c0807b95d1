/**
 * Canonical headers and blocks as stored bytes, for serving peers (block sync) without decoding
 * transactions: a block's encoding `rlp([header, [tx…](, [proof…])])` is the list prefix, the stored
 * header encoding, the stored body encoding `rlp([tx…])` (keys.ts) and, when the block credits
 * incoming cross-shard receipts, their stored proofs `rlp([proof…])` (cxStore.ts), concatenated.
 */
import type { Chain } from "./chain.ts";
import { incomingCxKey } from "./cxStore.ts";
import { bodyKey, headerKey } from "./keys.ts";

function listPrefix(length: number): Uint8Array {
  if (length < 56) return Uint8Array.of(0xc0 + length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Uint8Array.from([0xf7 + bytes.length, ...bytes]);
}

/** The stored encoding of the canonical header at height `n` (undefined above the head). */
export function getHeaderEncodingByNumber(chain: Chain, n: bigint): Uint8Array | undefined {
  if (n > chain.head.number) return undefined;
  const hash = chain.db.getCanonicalHash(n);
  return hash === undefined ? undefined : chain.kv.get(headerKey(hash));
}

/** The encoding of the canonical block at height `n` (as `Block.encode()`), from stored bytes. */
export function getBlockEncodingByNumber(chain: Chain, n: bigint): Uint8Array | undefined {
  if (n > chain.head.number) return undefined;
  const hash = chain.db.getCanonicalHash(n);
  if (hash === undefined) return undefined;
  const header = chain.kv.get(headerKey(hash));
  const body = chain.kv.get(bodyKey(hash));
  if (header === undefined || body === undefined) return undefined;
  const parts = [header, body];
  const incoming = chain.kv.get(incomingCxKey(hash));
  if (incoming !== undefined) parts.push(incoming);
  const length = parts.reduce((n, p) => n + p.length, 0);
  const prefix = listPrefix(length);
  const out = new Uint8Array(prefix.length + length);
  out.set(prefix, 0);
  let at = prefix.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
