/**
 * `make bench vdf` (issue 5, acceptance 2 and 3): µs per 2048-bit modular squaring mod RSA-2048
 * for the WASM kernel (Bun and Deno), JS BigInt `x * x % N` under Bun (in process) and under Deno
 * (`deno eval`), and native GMP through Debian's python3-gmpy2 (`/usr/bin/python3`; installed with
 * apt-get when missing), all in the same run with ratios against GMP's mpz_powm. Each figure is the
 * best of 3 timings of ≥ 0.5 s, so that other load on the machine inflates it as little as possible.
 * Issue 11 item 7 (kernel ≤ 1.15× GMP per squaring) is measured apart, in alternating rounds of a
 * few ms against GMP called in process (_gmpPaired.ts), under Bun and under Deno. Then the
 * Wesolowski numbers: evaluation time per 2^16 squarings and verification time for T = 2^20.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RSA_2048_MODULUS as N, VDFKernel, vdfEvaluate, vdfVerify } from "../../src/crypto/vdf/index.ts";
import { measurePaired, type PairedRatio } from "./_gmpPaired.ts";
import { addSummaryRow } from "./_summary.ts";
import { printTable, timeIt, type Row } from "./_table.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const PYTHON = "/usr/bin/python3"; // Debian's python, where python3-gmpy2 installs (not a pyenv one on PATH)
const X0 = (N * 3n) / 7n; // any residue: squaring time does not depend on the value
const KERNEL_BATCH = 4000;
const BIGINT_BATCH = 500;
/** Issue 11 item 7: the kernel's time per squaring at most this multiple of GMP's. */
const TARGET_RATIO = 1.15;

async function best(fn: () => unknown, perCall: number): Promise<number> {
  let us = Infinity;
  for (let r = 0; r < 3; r++) us = Math.min(us, (await timeIt(fn, { minMs: 500, minIters: 3 })) / perCall);
  return us;
}

async function kernelUs(): Promise<number> {
  const k = VDFKernel.create();
  k.load(0, X0);
  return best(() => k.square(0, KERNEL_BATCH), KERNEL_BATCH);
}

async function bigintUs(): Promise<number> {
  let x = X0;
  return best(() => {
    for (let i = 0; i < BIGINT_BATCH; i++) x = (x * x) % N;
  }, BIGINT_BATCH);
}

// Deno runs the same kernel source and its own BigInt, then the paired rounds; one JSON line back.
function denoUs(): { kernel: number; bigint: number; paired: PairedRatio | string } | string {
  const url = `file://${join(ROOT, "src/crypto/vdf/index.ts")}`;
  const pairedUrl = `file://${join(ROOT, "scripts/bench/_gmpPaired.ts")}`;
  const code = `import { RSA_2048_MODULUS as N, VDFKernel } from ${JSON.stringify(url)};
import { measurePaired } from ${JSON.stringify(pairedUrl)};
const best = (fn, per) => { let us = Infinity; for (let r = 0; r < 3; r++) { fn(); let n = 0; const t0 = performance.now(); let t = t0;
  while (t - t0 < 500 || n < 3) { fn(); n++; t = performance.now(); } us = Math.min(us, ((t - t0) * 1000) / n / per); } return us; };
const k = VDFKernel.create(); k.load(0, ${X0}n);
const kernel = best(() => k.square(0, ${KERNEL_BATCH}), ${KERNEL_BATCH});
let x = ${X0}n;
const bigint = best(() => { for (let i = 0; i < ${BIGINT_BATCH}; i++) x = (x * x) % N; }, ${BIGINT_BATCH});
const paired = await measurePaired((c) => k.square(0, c), N, ${X0}n).catch((e) => "libgmp: " + e.message);
console.log(JSON.stringify({ kernel, bigint, paired }));`;
  const r = spawnSync(join(ROOT, "node_modules/.bin/deno"), ["eval", "--config", join(ROOT, "deno.json"), code], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) return `deno failed: ${(r.stderr || r.error?.message || "").trim().split("\n")[0]}`;
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
}

async function pairedBun(): Promise<PairedRatio | string> {
  const k = VDFKernel.create();
  k.load(0, X0);
  return measurePaired((c) => k.square(0, c), N, X0).catch((e: unknown) => `libgmp: ${e instanceof Error ? e.message : String(e)}`);
}

// Issue 11 item 7 is judged on best ÷ best of the Bun rounds (the runtime of the shipped binary):
// load from other processes only ever adds time, so each side's least disturbed round is its
// stable figure. The per-round ratios show the spread; Deno's rounds are shown beside them.
function printPaired(bun: PairedRatio | string, deno: PairedRatio | string): void {
  const row = (runtime: string, p: PairedRatio | string): Row =>
    typeof p === "string"
      ? { runtime, "kernel µs": p }
      : {
          runtime,
          "kernel µs": p.kernelUs,
          "GMP µs": p.gmpUs,
          "best ÷ best ×": p.best,
          "rounds: median ×": p.median,
          "rounds: p10–p90 ×": `${p.p10.toFixed(2)}–${p.p90.toFixed(2)}`,
          [`≤ ${TARGET_RATIO}×`]: p.best <= TARGET_RATIO ? "holds" : `missed by ${((p.best / TARGET_RATIO - 1) * 100).toFixed(0)}%`,
        };
  const rounds = typeof bun === "string" ? "" : ` in ${bun.rounds} alternating rounds`;
  printTable(`vdf: kernel ÷ GMP mpz_powm per squaring${rounds} (issue 11 item 7: ≤ ${TARGET_RATIO}× on Bun)`, [row("Bun (JSC)", bun), row("Deno (V8)", deno)]);
  if (typeof bun !== "string" && bun.best > TARGET_RATIO) console.log(limitNote(bun.kernelUs));
  const target = `VDF kernel ≤ ${TARGET_RATIO}× GMP per 2048-bit squaring (Bun)`;
  if (typeof bun === "string") {
    addSummaryRow({ target, measured: "-", ratio: 0, holds: false, note: `no GMP baseline: ${bun}` });
    return;
  }
  const holds = bun.best <= TARGET_RATIO;
  const denoNote = typeof deno === "string" ? "" : `; Deno ${deno.best.toFixed(2)}×`;
  addSummaryRow({
    target,
    measured: `${bun.kernelUs.toFixed(2)} µs vs ${bun.gmpUs.toFixed(2)} µs = ${bun.best.toFixed(2)}× (rounds ${bun.p10.toFixed(2)}–${bun.p90.toFixed(2)}×)${denoNote}`,
    ratio: TARGET_RATIO / bun.best,
    holds,
    note: holds
      ? "best ÷ best of alternating rounds against mpz_powm"
      : `misses by ${((bun.best / TARGET_RATIO - 1) * 100).toFixed(0)}%: 32×32→64 SIMD products (i64x2.extmul, ~1/cycle) put schoolbook Montgomery at ≥ ~1.3× GMP's 64-bit mulx`,
  });
}

// Why a miss: the pass timings were measured on this kernel and on prototypes (pmaddwd, f64x2
// variants) under both engines on the 2-core AMD EPYC build machine (December 2026).
const limitNote = (kernelUs: number) => `
What limits it: WASM's widest multiply is 32×32→64 (i64x2.extmul_*_i32x4_u: two products; V8 lowers it
to two lane shuffles and a pmuludq), so a Montgomery squaring mod a 2048-bit N takes 1.5 × 76² ≈ 8,700
products of 28-bit limbs, against GMP's 1.5 × 32² = 1,536 64×64→128 (mulx). On the build machine the
engines sustain about one extmul per cycle: a 76×76-limb product pass takes ~0.9 µs, so a schoolbook
squaring (half a pass for a², a full pass to reduce) cannot go below ~1.37 µs ≈ 1.3× GMP; the kernel
takes ${kernelUs.toFixed(2)} µs here. Prototypes of the product pass over i32x4.dot_i16x8_s (14-bit limbs) and
f64x2 (23-bit limbs) were within ±12% of it on Bun and V8; only fewer products (Karatsuba) would
move the floor.`;

function haveGmpy2(): boolean {
  return spawnSync(PYTHON, ["-c", "import gmpy2"], { encoding: "utf8" }).status === 0;
}

function ensureGmpy2(): string | undefined {
  if (haveGmpy2()) return undefined;
  console.log("python3-gmpy2 missing: apt-get install -y python3-gmpy2");
  let r = spawnSync("apt-get", ["install", "-y", "python3-gmpy2"], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  if (r.status !== 0) {
    spawnSync("apt-get", ["update"], { encoding: "utf8", stdio: "ignore" });
    r = spawnSync("apt-get", ["install", "-y", "python3-gmpy2"], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  }
  return haveGmpy2() ? undefined : `python3-gmpy2 unavailable: ${(r.stderr || r.error?.message || "apt-get failed").trim().split("\n").pop()}`;
}

// GMP two ways: mpz_powm(x, 2^k, N) / k (GMP's own loop: REDC squarings, no interpreter), and a
// Python loop of x * x % N (mpz_mul + mpz_tdiv_r per step, plus interpreter overhead).
function gmpUs(): { powm: number; loop: number } | string {
  const missing = ensureGmpy2();
  if (missing) return missing;
  const py = `
import gmpy2, json, time
N = gmpy2.mpz(${N.toString()})
x = gmpy2.mpz(${X0.toString()})
def best(fn, per):
    us = float("inf")
    for _ in range(3):
        fn(); n = 0; t0 = time.perf_counter(); t = t0
        while t - t0 < 0.5 or n < 3:
            fn(); n += 1; t = time.perf_counter()
        us = min(us, (t - t0) * 1e6 / n / per)
    return us
E = gmpy2.mpz(2) ** 20000
powm = best(lambda: gmpy2.powmod(x, E, N), 20000)
def loop():
    y = x
    for _ in range(2000):
        y = y * y % N
loop_us = best(loop, 2000)
print(json.dumps({"powm": powm, "loop": loop_us}))
`;
  const r = spawnSync(PYTHON, ["-c", py], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) return `python failed: ${r.stderr.trim().split("\n").pop()}`;
  return JSON.parse(r.stdout.trim());
}

/** Print the squaring comparison and the Wesolowski evaluation/verification table. */
export async function run(): Promise<void> {
  const kernel = await kernelUs();
  const bigint = await bigintUs();
  const gmp = gmpUs(); // first: installs python3-gmpy2, and with it libgmp for the paired rounds
  const deno = denoUs();
  const base = typeof gmp === "string" ? undefined : gmp.powm;
  const row = (evaluator: string, runtime: string, us: number | string): Row => ({
    evaluator,
    runtime,
    "µs/squaring": us,
    "× GMP powm": typeof us === "number" && base ? us / base : "-",
    "× kernel (Bun)": typeof us === "number" ? us / kernel : "-",
  });
  printTable("vdf: 2048-bit modular squaring mod RSA-2048 (best of 3)", [
    row("GMP mpz_powm (gmpy2.powmod(x, 2^k, N) / k)", "native", typeof gmp === "string" ? gmp : gmp.powm),
    row("GMP x * x % N (gmpy2, Python loop)", "native", typeof gmp === "string" ? gmp : gmp.loop),
    row("WASM kernel (wasm/vdf, SIMD)", "Bun (JSC)", kernel),
    row("WASM kernel (wasm/vdf, SIMD)", "Deno (V8)", typeof deno === "string" ? deno : deno.kernel),
    row("JS BigInt x * x % N", "Bun (JSC)", bigint),
    row("JS BigInt x * x % N", "Deno (V8)", typeof deno === "string" ? deno : deno.bigint),
  ]);

  printPaired(await pairedBun(), typeof deno === "string" ? deno : deno.paired);

  const seed = new TextEncoder().encode("bench");
  const T = 1 << 20;
  const t0 = performance.now();
  const { y, proof } = await vdfEvaluate(seed, T);
  const evalMs = performance.now() - t0;
  if (!vdfVerify(seed, T, y, proof)) throw new Error("bench proof did not verify");
  const verifyMs = (await best(() => vdfVerify(seed, T, y, proof), 1)) / 1000;
  const k = VDFKernel.create();
  k.load(0, X0);
  const sq16Ms = (await best(() => k.square(0, 1 << 16), 1)) / 1000;
  printTable("vdf: Wesolowski over RSA-2048 on the kernel (Bun)", [
    { measure: "evaluation: 2^16 squarings", ms: sq16Ms },
    { measure: "evaluate + prove T = 2^20, per 2^16 squarings", ms: evalMs / 16 },
    { measure: "evaluate + prove T = 2^20", ms: evalMs },
    { measure: "verify T = 2^20 (target < 10 ms)", ms: verifyMs },
  ]);
}
