// Issue 5, acceptance 1 (and the worker of "What to build"): the WASM kernel agrees with the BigInt
// oracle on ≥ 1,000 random inputs for mul/square/modexp and on Wesolowski proofs for several T; a
// tampered y, π or T is rejected; evaluation runs in a Worker with progress and cancellation, and
// the same source runs under Deno.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { RSA_2048_MODULUS as N, VDFErrorCode, VDFKernel, createVDF, evaluateInWorker, vdfEvaluate, vdfVerify } from "../../../src/crypto/vdf/index.ts";
import type { VDFProgress } from "../../../src/crypto/vdf/index.ts";
import { mulMod, oracleEvaluate, oracleVerify, powMod, sqrMod } from "./_vdfOracle.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const utf8 = (s: string) => new TextEncoder().encode(s);
const toBig = (b: Uint8Array) => (b.length ? BigInt(`0x${Buffer.from(b).toString("hex")}`) : 0n);
const toBytes = (v: bigint, len = 256) => new Uint8Array(Buffer.from(v.toString(16).padStart(2 * len, "0"), "hex"));

// splitmix64: a seeded PRNG so failures reproduce.
function prng(seed: bigint): (bits: number) => bigint {
  let s = seed;
  const M64 = (1n << 64n) - 1n;
  const next = (): bigint => {
    s = (s + 0x9e3779b97f4a7c15n) & M64;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  };
  return (bits) => {
    let v = 0n;
    for (let i = 0; i < bits; i += 64) v = (v << 64n) | next();
    return v & ((1n << BigInt(bits)) - 1n);
  };
}

// Inputs are any integer below 2^2048 (not only below N); the extremes stress the lazy column sums.
const EDGES = [0n, 1n, 2n, N - 1n, N, N + 1n, (1n << 2048n) - 1n, (1n << 2047n) - 1n, 1n << 2047n, (1n << 1024n) - 1n, (1n << 2044n) | 0xfffffffn];

describe("kernel vs BigInt oracle", () => {
  const rnd = prng(20250105n);
  const kernel = VDFKernel.create();

  test("1,200 multiplications: every pair of edge inputs, then random pairs", () => {
    const pairs: [bigint, bigint][] = EDGES.flatMap((a) => EDGES.map((b): [bigint, bigint] => [a, b]));
    while (pairs.length < 1200) pairs.push([rnd(2048), rnd(2048)]);
    for (const [a, b] of pairs) {
      kernel.load(0, a);
      kernel.load(1, b);
      kernel.mul(2, 0, 1);
      expect(kernel.read(2)).toBe(mulMod(a, b, N));
    }
  });

  test("1,000 squarings and 20 chains of 500 squarings", () => {
    for (let i = 0; i < 1000; i++) {
      const a = i < EDGES.length ? EDGES[i]! : rnd(2048);
      kernel.load(0, a);
      kernel.square(0, 1);
      expect(kernel.read(0)).toBe(sqrMod(a, N));
    }
    for (let i = 0; i < 20; i++) {
      let a = i < EDGES.length ? EDGES[i]! : rnd(2048);
      kernel.load(0, a);
      kernel.square(0, 500);
      for (let s = 0; s < 500; s++) a = sqrMod(a, N);
      expect(kernel.read(0)).toBe(a);
    }
  });

  test("1,000 modular exponentiations (exponents of 0 to 2048 bits)", () => {
    for (let i = 0; i < 1000; i++) {
      const a = i < EDGES.length ? EDGES[i]! : rnd(2048);
      const bits = i % 50 === 0 ? 2048 : Number(rnd(8)) + 1;
      const e = i === 1 ? 0n : rnd(bits);
      kernel.load(0, a);
      kernel.pow(1, 0, e);
      expect(kernel.read(1)).toBe(powMod(a, e, N));
    }
  });

  test("other odd moduli (65 to 2048 bits) give the same results as BigInt", () => {
    for (const bits of [65, 100, 512, 1023, 2048]) {
      const n = rnd(bits) | (1n << BigInt(bits - 1)) | 1n;
      const k = VDFKernel.create(n);
      for (let i = 0; i < 30; i++) {
        const a = rnd(2048);
        const b = i === 0 ? n - 1n : rnd(bits);
        k.load(0, a);
        k.load(1, b);
        k.mul(2, 0, 1);
        expect(k.read(2)).toBe(mulMod(a, b, n));
        k.square(0, 3);
        expect(k.read(0)).toBe(powMod(a, 8n, n));
      }
    }
    // N ≡ 1 mod 2^28 with every top bit set makes the kernel's working modulus k·N the largest
    // possible (k = 2^28 − 1), so residues fill the top limbs the last block of a row group reads.
    const top = (1n << 2048n) - (1n << 28n) + 1n;
    const kt = VDFKernel.create(top);
    for (let i = 0; i < 40; i++) {
      let a = i === 0 ? top - 1n : i === 1 ? (1n << 2048n) - 1n : rnd(2048);
      kt.load(0, a);
      kt.square(0, 50);
      for (let s = 0; s < 50; s++) a = sqrMod(a, top);
      expect(kt.read(0)).toBe(a);
    }
    expect(() => VDFKernel.create(N - 1n)).toThrow(RangeError);
    expect(() => VDFKernel.create(1n << 70n | 1n)).not.toThrow();
    expect(() => VDFKernel.create(1n << 2048n | 1n)).toThrow(RangeError);
  });
});

describe("Wesolowski proofs", () => {
  const vdf = createVDF();
  const Ts = [1, 16, 127, 129, 1000, 1024, 16384];
  const cases = Ts.map((T) => ({ T, seed: utf8(`epoch-${T}`) }));

  test("y and π agree with the oracle for T ∈ {1, 2^4, 127, 129, 1000, 2^10, 2^14}", async () => {
    for (const { T, seed } of cases) {
      const out = await vdf.evaluate(seed, T);
      const ref = oracleEvaluate(seed, T, N);
      expect(toBig(out.y)).toBe(ref.y);
      expect(toBig(out.proof)).toBe(ref.proof);
      expect(out.y.length).toBe(256);
      expect(vdf.verify(seed, T, out.y, out.proof)).toBe(true);
      expect(oracleVerify(seed, T, ref.y, ref.proof, N)).toBe(true);
    }
  });

  test("tampered y, π, T or seed, non-canonical encodings and malformed bytes are rejected", async () => {
    const T = 1024;
    const seed = utf8("tamper");
    const { y, proof } = await vdfEvaluate(seed, T);
    expect(vdfVerify(seed, T, y, proof)).toBe(true);
    const flip = (b: Uint8Array, i: number) => {
      const c = b.slice();
      c[i]! ^= 1;
      return c;
    };
    for (const i of [0, 17, 128, 255]) {
      expect(vdfVerify(seed, T, flip(y, i), proof)).toBe(false);
      expect(vdfVerify(seed, T, y, flip(proof, i))).toBe(false);
    }
    for (const t of [T - 1, T + 1, 2 * T, 1]) expect(vdfVerify(seed, t, y, proof)).toBe(false);
    expect(vdfVerify(utf8("tamperX"), T, y, proof)).toBe(false);
    // −y and −π are the same classes of Z_N^×/{±1} but not canonical: rejected.
    expect(vdfVerify(seed, T, toBytes(N - toBig(y)), proof)).toBe(false);
    expect(vdfVerify(seed, T, y, toBytes(N - toBig(proof)))).toBe(false);
    const bad: unknown[] = [new Uint8Array(0), y.subarray(1), new Uint8Array(257), new Uint8Array(256), new Uint8Array(256).fill(255), "0x00", null];
    for (const b of bad) {
      expect(vdfVerify(seed, T, b as Uint8Array, proof)).toBe(false);
      expect(vdfVerify(seed, T, y, b as Uint8Array)).toBe(false);
    }
    for (const t of [0, -1, 1.5, Number.NaN, 2 ** 41, Number.MAX_SAFE_INTEGER + 1]) expect(vdfVerify(seed, t, y, proof)).toBe(false);
    expect(vdfVerify("seed" as unknown as Uint8Array, T, y, proof)).toBe(false);
  });

  test("bad arguments throw TypeError/RangeError", async () => {
    await expect(vdfEvaluate(utf8("s"), 0)).rejects.toThrow(RangeError);
    await expect(vdfEvaluate(utf8("s"), 2.5)).rejects.toThrow(RangeError);
    await expect(vdfEvaluate("s" as unknown as Uint8Array, 10)).rejects.toThrow(TypeError);
    await expect(evaluateInWorker(utf8("s"), 2 ** 41)).rejects.toThrow(RangeError);
  });

  test("in-process evaluation reports progress and stops on abort", async () => {
    const seen: VDFProgress[] = [];
    await vdfEvaluate(utf8("progress"), 5000, { onProgress: (p) => seen.push(p) });
    expect(seen.some((p) => p.phase === "evaluate" && p.done === 5000 && p.total === 5000)).toBe(true);
    expect(seen.at(-1)?.phase).toBe("prove");
    const ac = new AbortController();
    const started = performance.now();
    setTimeout(() => ac.abort(), 50);
    const err = await vdfEvaluate(utf8("abort"), 1 << 24, { signal: ac.signal }).catch((e) => e);
    expect(err.code).toBe(VDFErrorCode.ABORTED);
    expect(err.type.squarings).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("evaluation in a Worker", () => {
  test("reports progress and returns the same proof as in-process evaluation", async () => {
    const seed = utf8("worker");
    const T = 1 << 17;
    const seen: VDFProgress[] = [];
    const out = await evaluateInWorker(seed, T, { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    const evals = seen.filter((p) => p.phase === "evaluate").map((p) => p.done);
    expect(evals).toEqual([...evals].sort((a, b) => a - b));
    expect(vdfVerify(seed, T, out.y, out.proof)).toBe(true);
    const here = await vdfEvaluate(seed, T);
    expect(here).toEqual(out);
  }, 20_000);

  test("an AbortSignal terminates the worker", async () => {
    const ac = new AbortController();
    let progressed = 0;
    const started = performance.now();
    const p = evaluateInWorker(utf8("cancel"), 1 << 26, {
      signal: ac.signal,
      onProgress: () => {
        if (++progressed === 1) ac.abort();
      },
    });
    const err = await p.catch((e) => e);
    expect(err.code).toBe(VDFErrorCode.ABORTED);
    expect(err.type.squarings).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(5000);
    const pre = new AbortController();
    pre.abort();
    expect((await evaluateInWorker(utf8("cancel"), 100, { signal: pre.signal }).catch((e) => e)).code).toBe(VDFErrorCode.ABORTED);
  }, 20_000);
});

describe("Deno", () => {
  test("the same source evaluates in a Worker and verifies under Deno, with the same output", async () => {
    const seed = utf8("deno");
    const T = 4096;
    const index = resolve(ROOT, "src/crypto/vdf/index.ts");
    const code = `import { evaluateInWorker, vdfVerify } from ${JSON.stringify(`file://${index}`)};
const seed = new TextEncoder().encode("deno");
const out = await evaluateInWorker(seed, ${T});
const hex = (b) => Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("");
console.log(JSON.stringify({ ok: vdfVerify(seed, ${T}, out.y, out.proof), y: hex(out.y), proof: hex(out.proof) }));`;
    const r = spawnSync(resolve(ROOT, "node_modules/.bin/deno"), ["eval", "--config", resolve(ROOT, "deno.json"), code], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).not.toContain("error");
    const got = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
    const ref = oracleEvaluate(seed, T, N);
    expect(got.ok).toBe(true);
    expect(BigInt(`0x${got.y}`)).toBe(ref.y);
    expect(BigInt(`0x${got.proof}`)).toBe(ref.proof);
  }, 60_000);
});
