/**
 * Pure-BigInt reference of the VDF (tests only): modular arithmetic, the hash rules of
 * src/crypto/vdf/_hash.ts re-implemented from their description with node:crypto, and Wesolowski
 * prove/verify with the textbook bit-by-bit long division (Wesolowski 2019, §3.2). Shares no code
 * with src/crypto/vdf.
 */
import { createHash } from "node:crypto";

/** a·b mod n. */
export function mulMod(a: bigint, b: bigint, n: bigint): bigint {
  return (a * b) % n;
}

/** a² mod n. */
export function sqrMod(a: bigint, n: bigint): bigint {
  return (a * a) % n;
}

/** a^e mod n (right-to-left binary). */
export function powMod(a: bigint, e: bigint, n: bigint): bigint {
  let r = 1n;
  let b = a % n;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % n;
    b = (b * b) % n;
  }
  return r;
}

const canon = (v: bigint, n: bigint): bigint => (2n * v > n ? n - v : v);
const width = (n: bigint): number => Math.ceil(n.toString(2).length / 8);
const toBytes = (v: bigint, w: number): Buffer => Buffer.from(v.toString(16).padStart(2 * w, "0"), "hex");
const be32 = (c: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(c);
  return b;
};
const sha = (...parts: Buffer[]): Buffer => createHash("sha256").update(Buffer.concat(parts)).digest();

/** hash-to-group: canon(h² mod N), h from ⌈(bits(N)+256)/256⌉ SHA-256 blocks of DST ‖ seed ‖ be32(c). */
export function oracleHashToGroup(seed: Uint8Array, n: bigint): bigint {
  const dst = Buffer.from("harmony-vdf/v1/hash-to-group");
  const blocks = Math.ceil((n.toString(2).length + 256) / 256);
  for (let run = 0; ; run++) {
    const parts: Buffer[] = [];
    for (let c = 0; c < blocks; c++) parts.push(sha(dst, Buffer.from(seed), be32(run * blocks + c)));
    const h = BigInt(`0x${Buffer.concat(parts).toString("hex")}`) % n;
    const x = canon((h * h) % n, n);
    if (x > 1n) return x;
  }
}

// Miller–Rabin with the first 20 primes as bases: an independent check of the Baillie–PSW code.
function isPrimeMR(c: bigint): boolean {
  const bases = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n];
  for (const p of bases) if (c % p === 0n) return c === p;
  let d = c - 1n;
  let s = 0;
  while (!(d & 1n)) {
    d >>= 1n;
    s++;
  }
  outer: for (const a of bases) {
    let x = powMod(a, d, c);
    if (x === 1n || x === c - 1n) continue;
    for (let r = 1; r < s; r++) {
      x = (x * x) % c;
      if (x === c - 1n) continue outer;
    }
    return false;
  }
  return true;
}

/** hash-to-prime: first int(SHA-256(DST ‖ x ‖ y ‖ be32(i))[0..16]) | 2^127 | 1 that is prime. */
export function oracleHashToPrime(x: bigint, y: bigint, n: bigint): bigint {
  const dst = Buffer.from("harmony-vdf/v1/hash-to-prime");
  const w = width(n);
  for (let i = 0; ; i++) {
    const c = BigInt(`0x${sha(dst, toBytes(x, w), toBytes(y, w), be32(i)).subarray(0, 16).toString("hex")}`) | (1n << 127n) | 1n;
    if (isPrimeMR(c)) return c;
  }
}

/** Evaluate and prove: y = canon(x^(2^T)), π = canon(x^⌊2^T/ℓ⌋) by bit-by-bit long division. */
export function oracleEvaluate(seed: Uint8Array, T: number, n: bigint): { x: bigint; y: bigint; ell: bigint; proof: bigint } {
  const x = oracleHashToGroup(seed, n);
  let y = x;
  for (let i = 0; i < T; i++) y = (y * y) % n;
  y = canon(y, n);
  const ell = oracleHashToPrime(x, y, n);
  let pi = 1n;
  let r = 1n;
  for (let i = 0; i < T; i++) {
    const b = (2n * r) / ell; // next bit of ⌊2^T/ℓ⌋
    r = (2n * r) % ell;
    pi = (pi * pi) % n;
    if (b) pi = (pi * x) % n;
  }
  return { x, y, ell, proof: canon(pi, n) };
}

/** Verify: canonical encodings and π^ℓ · x^(2^T mod ℓ) ≡ ±y. */
export function oracleVerify(seed: Uint8Array, T: number, y: bigint, proof: bigint, n: bigint): boolean {
  const half = (n - 1n) / 2n;
  if (y < 1n || y > half || proof < 1n || proof > half) return false;
  const x = oracleHashToGroup(seed, n);
  const ell = oracleHashToPrime(x, y, n);
  const r = powMod(2n, BigInt(T), ell);
  return canon((powMod(proof, ell, n) * powMod(x, r, n)) % n, n) === y;
}
