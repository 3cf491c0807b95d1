/**
 * keccak-256, the well-known empty hashes and RLP integer bytes: the primitives that core's codecs
 * (`_codec.ts`) and its trie (`trie/`) share, public because the trie sits in a subfolder.
 */
import { RLP } from "@ethereumjs/rlp";
import { keccak256 } from "../crypto/index.ts";

export { keccak256 };

/** keccak256(rlp("")): the root of an empty Merkle-Patricia trie. */
export const EMPTY_TRIE_ROOT: Uint8Array = keccak256(RLP.encode(new Uint8Array(0)));
/** keccak256 of empty bytes: the code hash of an account without code. */
export const EMPTY_CODE_HASH: Uint8Array = keccak256(new Uint8Array(0));
/** keccak256(rlp([])): the ommers hash of a block with no uncles, shown by RPC. */
export const EMPTY_LIST_HASH: Uint8Array = keccak256(RLP.encode([]));

/** A non-negative bigint as minimal big-endian bytes (0 → empty), the RLP integer form. */
export function bigintToBytes(n: bigint): Uint8Array {
  if (n < 0n) throw new RangeError(`negative integer ${n} cannot be encoded`);
  if (n === 0n) return new Uint8Array(0);
  if (n <= 0x1fffffffffffffn) {
    // Safe integers (nonces, gas, heights): plain arithmetic, no string round trip.
    let v = Number(n);
    let len = 0;
    for (let t = v; t > 0; t = Math.floor(t / 256)) len++;
    const out = new Uint8Array(len);
    for (let i = len - 1; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v % 256;
    return out;
  }
  let hex = n.toString(16);
  if (hex.length & 1) hex = `0${hex}`;
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Big-endian bytes to a bigint (no canonical check). */
export function bytesToBigint(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  if (b.length <= 6) {
    let v = 0;
    for (const x of b) v = v * 256 + x;
    return BigInt(v);
  }
  let hex = "";
  for (const x of b) hex += (x < 16 ? "0" : "") + x.toString(16);
  return BigInt(`0x${hex}`);
}

