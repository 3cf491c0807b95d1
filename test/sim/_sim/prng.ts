/** Seeded PRNG for the simulator (sfc32 seeded through splitmix32): same seed, same run. */

/** A deterministic random source. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** n pseudo-random bytes. */
  bytes(n: number): Uint8Array;
  /** An independent stream derived from this one. */
  fork(): Prng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A PRNG from a 32-bit seed. */
export function createPrng(seed: number): Prng {
  const init = splitmix32(seed);
  let a = init(), b = init(), c = init(), d = init();
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const prng: Prng = {
    next: () => u32() / 2 ** 32,
    int: (n) => Math.floor((u32() / 2 ** 32) * n),
    chance: (p) => u32() / 2 ** 32 < p,
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = u32() & 0xff;
      return out;
    },
    fork: () => createPrng(u32()),
  };
  return prng;
}
