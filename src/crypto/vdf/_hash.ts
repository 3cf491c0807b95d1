/**
 * The two hash functions of the Wesolowski VDF, both built on SHA-256 with domain separation.
 *
 * hash-to-group: x = canon(h² mod N), h = int(SHA256(DST_G ‖ seed ‖ be32(c)) for c = 0, 1, …)
 * over ⌈(bits(N) + 256)/256⌉ blocks, mod N (bias < 2^-256). Squaring lands x in the quadratic
 * residues; canon picks min(v, N - v), the representative of v's class in Z_N^× / {±1}, the group
 * the VDF works in (−1 is the one element of known order; without the quotient a prover could
 * publish −y as well as y). If x ≤ 1 (probability ≈ 2^-2040), the next run of counters is used.
 *
 * hash-to-prime: ℓ = the first c = int(SHA256(DST_P ‖ x ‖ y ‖ be32(i))[0..16]) | 2^127 | 1,
 * i = 0, 1, …, that passes Baillie–PSW: a 128-bit prime (x, y as fixed-width big-endian bytes).
 */
import { sha256 } from "../hash.ts";
import { bigIntToBytes, bytesToBigInt, canonical } from "./_bigint.ts";
import { isProbablePrime } from "./_prime.ts";

const DST_GROUP = new TextEncoder().encode("harmony-vdf/v1/hash-to-group");
const DST_PRIME = new TextEncoder().encode("harmony-vdf/v1/hash-to-prime");

/** Bytes of a fixed-width element encoding for modulus n. */
export function elementBytes(n: bigint): number {
  return (n.toString(2).length + 7) >> 3;
}

function block(prefix: Uint8Array, counter: number): Uint8Array {
  const input = new Uint8Array(prefix.length + 4);
  input.set(prefix);
  new DataView(input.buffer).setUint32(prefix.length, counter >>> 0, false);
  return sha256(input);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Hash `seed` to an element x of Z_N^× / {±1} (canonical representative, 1 < x ≤ (N-1)/2). */
export function hashToGroup(seed: Uint8Array, n: bigint): bigint {
  const prefix = concat(DST_GROUP, seed);
  const blocks = Math.ceil((n.toString(2).length + 256) / 256);
  for (let run = 0; ; run++) {
    const parts: Uint8Array[] = [];
    for (let c = 0; c < blocks; c++) parts.push(block(prefix, run * blocks + c));
    const h = bytesToBigInt(concat(...parts)) % n;
    const x = canonical((h * h) % n, n);
    if (x > 1n) return x;
  }
}

/** The 128-bit challenge prime ℓ of the Wesolowski proof for (x, y). */
export function hashToPrime(x: bigint, y: bigint, n: bigint): bigint {
  const width = elementBytes(n);
  const prefix = concat(DST_PRIME, bigIntToBytes(x, width), bigIntToBytes(y, width));
  for (let i = 0; ; i++) {
    const c = bytesToBigInt(block(prefix, i).subarray(0, 16)) | (1n << 127n) | 1n;
    if (isProbablePrime(c)) return c;
  }
}
