/**
 * Baillie–PSW primality test on BigInt: trial division, a strong probable-prime test to base 2 and
 * a strong Lucas probable-prime test with Selfridge's parameters (method A). No composite passing
 * it is known, and none exists below 2^64. Used once per proof for the 128-bit challenge prime.
 */
import { modPow } from "./_bigint.ts";

const SMALL_PRIMES: readonly number[] = (() => {
  const out: number[] = [];
  for (let p = 2; p < 600; p++) if (out.every((q) => p % q !== 0)) out.push(p);
  return out;
})();

function mod(a: bigint, n: bigint): bigint {
  const r = a % n;
  return r < 0n ? r + n : r;
}

/** Jacobi symbol (a/n) for odd n > 0. */
function jacobi(a: bigint, n: bigint): number {
  let x = mod(a, n);
  let m = n;
  let result = 1;
  while (x !== 0n) {
    while ((x & 1n) === 0n) {
      x >>= 1n;
      const r = m & 7n;
      if (r === 3n || r === 5n) result = -result;
    }
    [x, m] = [m, x];
    if ((x & 3n) === 3n && (m & 3n) === 3n) result = -result;
    x %= m;
  }
  return m === 1n ? result : 0;
}

function isSquare(n: bigint): boolean {
  if (n < 2n) return true;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x * x === n;
    x = y;
  }
}

/** Strong probable prime to base 2 (one Miller–Rabin round). */
function isStrongProbablePrime2(n: bigint): boolean {
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  let x = modPow(2n, d, n);
  if (x === 1n || x === n - 1n) return true;
  for (let r = 1; r < s; r++) {
    x = (x * x) % n;
    if (x === n - 1n) return true;
  }
  return false;
}

/** (x / 2) mod n for odd n. */
function half(x: bigint, n: bigint): bigint {
  return (x & 1n ? x + n : x) >> 1n;
}

/** Strong Lucas probable prime with P = 1, Q = (1 - D)/4, D the first of 5, -7, 9, … with (D/n) = -1. */
function isStrongLucasProbablePrime(n: bigint): boolean {
  if (isSquare(n)) return false;
  let D = 5n;
  for (;;) {
    const j = jacobi(D, n);
    if (j === -1) break;
    if (j === 0 && (D < 0n ? -D : D) !== n) return false;
    D = D > 0n ? -(D + 2n) : -D + 2n;
  }
  const P = 1n;
  const Q = mod((1n - D) / 4n, n);
  const Dm = mod(D, n);
  let d = n + 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  let U = 1n;
  let V = P;
  let Qk = Q;
  const bits = d.toString(2);
  for (let i = 1; i < bits.length; i++) {
    // Doubling: U_2k = U_k V_k, V_2k = V_k² - 2 Q^k.
    U = (U * V) % n;
    V = mod(V * V - 2n * Qk, n);
    Qk = (Qk * Qk) % n;
    if (bits[i] === "1") {
      // Increment: U_k+1 = (P U_k + V_k)/2, V_k+1 = (D U_k + P V_k)/2.
      const u = half(mod(P * U + V, n), n);
      V = half(mod(Dm * U + P * V, n), n);
      U = u;
      Qk = (Qk * Q) % n;
    }
  }
  if (U === 0n || V === 0n) return true;
  for (let r = 1; r < s; r++) {
    V = mod(V * V - 2n * Qk, n);
    if (V === 0n) return true;
    Qk = (Qk * Qk) % n;
  }
  return false;
}

/** True when n is prime according to the Baillie–PSW test (exact for n < 2^64). */
export function isProbablePrime(n: bigint): boolean {
  if (n < 2n) return false;
  for (const p of SMALL_PRIMES) {
    const bp = BigInt(p);
    if (n === bp) return true;
    if (n % bp === 0n) return false;
  }
  return isStrongProbablePrime2(n) && isStrongLucasProbablePrime(n);
}
