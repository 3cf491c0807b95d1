/**
 * Kernel ÷ GMP time per 2048-bit modular squaring, measured in alternating rounds of a few ms in one
 * process: GMP's mpz_powm(x, 2^k, N) is called through FFI on libgmp.so.10 (bun:ffi under Bun,
 * Deno.dlopen under Deno), so that load from other processes on the shared cores hits both sides of
 * each pair alike. Runs under both runtimes (Deno imports it from the vdf section's `deno eval`).
 */

/** Ratios of one paired run (kernel µs ÷ GMP µs per squaring). */
export interface PairedRatio {
  /** Median of the per-round ratios. */
  median: number;
  /** 10th and 90th percentile of the per-round ratios (the spread). */
  p10: number;
  p90: number;
  /** Best kernel time ÷ best GMP time over all rounds. */
  best: number;
  /** Best µs per squaring of each side. */
  kernelUs: number;
  gmpUs: number;
  rounds: number;
}

type Powm = () => void;

// mpz_t is { int alloc; int size; mp_limb_t *d } (16 bytes); GMP keeps no pointer to the struct,
// so a typed array the engine may move between calls is fine.
const MPZ_BYTES = 16;
const cString = (s: string) => new TextEncoder().encode(`${s}\0`);

interface GmpSymbols {
  __gmpz_init(z: Uint8Array): void;
  __gmpz_set_str(z: Uint8Array, s: Uint8Array, base: number): number;
  __gmpz_powm(r: Uint8Array, b: Uint8Array, e: Uint8Array, m: Uint8Array): void;
  __gmpz_get_str(out: Uint8Array, base: number, z: Uint8Array): unknown;
}

async function gmpSymbols(): Promise<GmpSymbols> {
  const deno = (globalThis as { Deno?: { dlopen(path: string, defs: object): { symbols: unknown } } }).Deno;
  if (deno) {
    return deno.dlopen("libgmp.so.10", {
      __gmpz_init: { parameters: ["buffer"], result: "void" },
      __gmpz_set_str: { parameters: ["buffer", "buffer", "i32"], result: "i32" },
      __gmpz_powm: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "void" },
      __gmpz_get_str: { parameters: ["buffer", "i32", "buffer"], result: "pointer" },
    }).symbols as GmpSymbols;
  }
  const { dlopen, FFIType } = await import("bun:ffi");
  return dlopen("libgmp.so.10", {
    __gmpz_init: { args: [FFIType.ptr], returns: FFIType.void },
    __gmpz_set_str: { args: [FFIType.ptr, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
    __gmpz_powm: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    __gmpz_get_str: { args: [FFIType.ptr, FFIType.i32, FFIType.ptr], returns: FFIType.ptr },
  }).symbols as unknown as GmpSymbols;
}

/** x^(2^k) mod N by GMP's mpz_powm (k squarings in GMP's own REDC loop). */
async function gmpPowm(modulus: bigint, x: bigint, k: number): Promise<Powm> {
  const g = await gmpSymbols();
  const mpz = (v: bigint) => {
    const z = new Uint8Array(MPZ_BYTES);
    g.__gmpz_init(z);
    if (g.__gmpz_set_str(z, cString(v.toString(16)), 16) !== 0) throw new Error("mpz_set_str failed");
    return z;
  };
  const [r, b, e, m] = [mpz(0n), mpz(x), mpz(1n << BigInt(k)), mpz(modulus)] as const;
  const powm = () => g.__gmpz_powm(r, b, e, m);
  // The baseline must compute the same thing: check GMP's x^(2^k) mod N against BigInt once.
  powm();
  const out = new Uint8Array(Math.ceil(modulus.toString(16).length) + 2);
  g.__gmpz_get_str(out, 16, r);
  const got = BigInt(`0x${new TextDecoder().decode(out.subarray(0, out.indexOf(0)))}`);
  let want = x % modulus;
  for (let i = 0; i < k; i++) want = (want * want) % modulus;
  if (got !== want) throw new Error("GMP's mpz_powm disagrees with BigInt");
  return powm;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))] ?? NaN;
};

/**
 * Time `square(k)` (k kernel squarings) against GMP doing k squarings, in `rounds` rounds of the
 * order GMP, kernel, kernel, GMP (drift within a round cancels); a round's ratio is the kernel's
 * total over GMP's. Throws when libgmp.so.10 cannot be loaded.
 */
export async function measurePaired(square: (k: number) => void, modulus: bigint, x: bigint, opts: { k?: number; rounds?: number } = {}): Promise<PairedRatio> {
  const k = opts.k ?? 2000;
  const rounds = opts.rounds ?? 60;
  const powm = await gmpPowm(modulus, x, k);
  const time = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    return ((performance.now() - t0) * 1000) / k;
  };
  const sq = () => square(k);
  for (let i = 0; i < 5; i++) time(powm), time(sq); // warm-up: JIT tiers, caches
  const ratios: number[] = [];
  let kernelUs = Infinity;
  let gmpUs = Infinity;
  for (let i = 0; i < rounds; i++) {
    const g1 = time(powm), k1 = time(sq), k2 = time(sq), g2 = time(powm);
    ratios.push((k1 + k2) / (g1 + g2));
    kernelUs = Math.min(kernelUs, k1, k2);
    gmpUs = Math.min(gmpUs, g1, g2);
  }
  return { median: quantile(ratios, 0.5), p10: quantile(ratios, 0.1), p90: quantile(ratios, 0.9), best: kernelUs / gmpUs, kernelUs, gmpUs, rounds };
}
