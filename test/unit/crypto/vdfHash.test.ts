// The hash rules, the proof arithmetic and the proof block parameters of the VDF (src/crypto/vdf/_hash.ts, _prime.ts, _proof.ts)
// against independent re-implementations in the oracle, a sieve, and known pseudoprimes.
import { describe, expect, test } from "bun:test";
import { hashToGroup, hashToPrime } from "../../../src/crypto/vdf/_hash.ts";
import { isProbablePrime } from "../../../src/crypto/vdf/_prime.ts";
import { MAX_CHECKPOINTS, checkpointCount, chooseProofParams, quotientDigits } from "../../../src/crypto/vdf/_proof.ts";
import { RSA_2048_MODULUS as N } from "../../../src/crypto/vdf/modulus.ts";
import { VDFKernel } from "../../../src/crypto/vdf/kernel.ts";
import { evaluateSync } from "../../../src/crypto/vdf/wesolowski.ts";
import { oracleEvaluate, oracleHashToGroup, oracleHashToPrime } from "./_vdfOracle.ts";

describe("RSA-2048 modulus", () => {
  test("617 digits, 2048 bits, known hex ends, composite", () => {
    expect(N.toString().length).toBe(617);
    expect(N.toString(2).length).toBe(2048);
    expect(N.toString(16).startsWith("c7970ceedcc3b0754490201a7aa613cd73911081c790f5f1a8726f463550bb5b")).toBe(true);
    expect(N.toString(16).endsWith("bc16399d48c6361cc7e5")).toBe(true);
    expect(isProbablePrime(N)).toBe(false);
  });
});

describe("Baillie–PSW", () => {
  test("agrees with a sieve below 100,000", () => {
    const limit = 100_000;
    const composite = new Uint8Array(limit);
    for (let i = 2; i < limit; i++) {
      if (!composite[i]) for (let j = i * i; j < limit; j += i) composite[j] = 1;
      expect(isProbablePrime(BigInt(i))).toBe(!composite[i]);
    }
  });
  test("rejects base-2 strong pseudoprimes, Lucas pseudoprimes and Carmichael numbers", () => {
    // OEIS A001262 (strong psp base 2), A217255 (strong Lucas psp), A002997 (Carmichael).
    for (const c of [2047n, 3277n, 4033n, 3215031751n, 3825123056546413051n, 5459n, 5777n, 10877n, 16109n, 18971n, 561n, 1105n, 1729n, 318665857834031151167461n]) {
      expect(isProbablePrime(c)).toBe(false);
    }
  });
  test("accepts Mersenne primes and 2^127 + 29; rejects 2^128 + 1", () => {
    for (const p of [(1n << 61n) - 1n, (1n << 89n) - 1n, (1n << 127n) - 1n, (1n << 127n) + 29n]) expect(isProbablePrime(p)).toBe(true);
    expect(isProbablePrime((1n << 128n) + 1n)).toBe(false);
  });
});

describe("hash-to-group and hash-to-prime", () => {
  test("match the oracle's independent implementation", () => {
    for (let i = 0; i < 40; i++) {
      const seed = new TextEncoder().encode(`seed-${i}`.repeat(i % 5));
      const x = hashToGroup(seed, N);
      expect(x).toBe(oracleHashToGroup(seed, N));
      expect(x > 1n && x <= (N - 1n) / 2n).toBe(true);
      const y = (x * x * 7n) % N;
      const ell = hashToPrime(x, y, N);
      expect(ell).toBe(oracleHashToPrime(x, y, N));
      expect(ell.toString(2).length).toBe(128);
    }
  });
});

describe("proof parameters and quotient digits", () => {
  test("checkpoints stay under MAX_CHECKPOINTS up to T = 2^40", () => {
    for (let e = 0; e <= 40; e++) {
      const T = 2 ** e;
      const p = chooseProofParams(T);
      expect(checkpointCount(T, p)).toBeLessThanOrEqual(MAX_CHECKPOINTS);
      expect(p.k).toBeGreaterThanOrEqual(1);
    }
  });
  test("the base-2^k digits reassemble ⌊2^T/ℓ⌋", () => {
    const ell = (1n << 127n) + 29n;
    for (const [T, k] of [[200, 3], [1000, 7], [4096, 11], [5001, 14]] as const) {
      const digits = quotientDigits(T, ell, k);
      let q = 0n;
      for (let j = digits.length - 1; j >= 0; j--) q = (q << BigInt(k)) | BigInt(digits[j]!);
      expect(q).toBe((1n << BigInt(T)) / ell);
    }
  });
});

describe("block parameters of the proof", () => {
  test("any (k, l), including several checkpoint rows (l > 1), gives the oracle's proof", () => {
    const T = 3001;
    const seed = new TextEncoder().encode("blocks");
    const ref = oracleEvaluate(seed, T, N);
    for (const params of [{ k: 1, l: 1 }, { k: 3, l: 4 }, { k: 5, l: 7 }, { k: 8, l: 2 }, { k: 13, l: 1 }, { k: 2, l: 1000 }]) {
      const out = evaluateSync(VDFKernel.create(), seed, T, params);
      expect(BigInt(`0x${Buffer.from(out.y).toString("hex")}`)).toBe(ref.y);
      expect(BigInt(`0x${Buffer.from(out.proof).toString("hex")}`)).toBe(ref.proof);
    }
  });
});
