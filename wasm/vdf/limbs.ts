// Conversions between the host's 32-bit words and 28-bit limbs, and plain (non-Montgomery) limb
// arithmetic used only outside the hot loop.

import { LP, MASK, W, IO_WORDS, IO_PTR, M_PTR } from "./layout.ts";

/** dst = the IO_WORDS little-endian words at IO_PTR, split into 28-bit limbs. */
export function wordsToLimbs(dst: usize): void {
  for (let k = 0; k < LP; k++) {
    const bit = k * W;
    const word = bit >> 5;
    // Words past IO_WORDS are never written by the host and read as zero.
    const v = word < IO_WORDS ? load<u64>(IO_PTR + (word << 2)) >> (bit & 31) : 0;
    store<u32>(dst + (k << 2), <u32>(v & MASK));
  }
}

/** IO words = the normalized limbs at `src` (value < 2^2112). */
export function limbsToWords(src: usize): void {
  let acc: u64 = 0;
  let bits: u32 = 0;
  let w = 0;
  for (let k = 0; k < LP && w < IO_WORDS; k++) {
    acc |= <u64>load<u32>(src + (k << 2)) << bits;
    bits += W;
    if (bits >= 32) {
      store<u32>(IO_PTR + (w << 2), <u32>acc);
      w++;
      acc >>= 32;
      bits -= 32;
    }
  }
  for (; w < IO_WORDS; w++) {
    store<u32>(IO_PTR + (w << 2), <u32>acc);
    acc >>= 32;
  }
}

/** Compare normalized limbs: -1, 0 or 1 for a < b, a = b, a > b. */
export function compareLimbs(a: usize, b: usize): i32 {
  for (let k = LP - 1; k >= 0; k--) {
    const x = load<u32>(a + (k << 2)), y = load<u32>(b + (k << 2));
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** a -= M for normalized a ≥ M. */
function subtractModulus(a: usize): void {
  let borrow: i64 = 0;
  for (let k = 0; k < LP; k++) {
    const d = <i64>load<u32>(a + (k << 2)) - <i64>load<u32>(M_PTR + (k << 2)) - borrow;
    store<u32>(a + (k << 2), <u32>(<u64>d & MASK));
    borrow = d < 0 ? 1 : 0;
  }
}

/** Reduce a normalized value in [0, 2M) to [0, M). */
export function reduceOnce(a: usize): void {
  if (compareLimbs(a, M_PTR) >= 0) subtractModulus(a);
}

/** a = 2a mod M for normalized a < M. */
export function doubleMod(a: usize): void {
  let carry: u32 = 0;
  for (let k = 0; k < LP; k++) {
    const v = (load<u32>(a + (k << 2)) << 1) | carry;
    store<u32>(a + (k << 2), v & <u32>MASK);
    carry = v >> W;
  }
  reduceOnce(a);
}

/** Set `a` to the small integer v. */
export function setSmall(a: usize, v: u32): void {
  memory.fill(a, 0, LP << 2);
  store<u32>(a, v);
}

/** True when the normalized limbs at `a` are all zero. */
export function isZero(a: usize): bool {
  for (let k = 0; k < LP; k++) if (load<u32>(a + (k << 2)) != 0) return false;
  return true;
}

/**
 * Turn the odd N at M_PTR into the working modulus M = k·N with k = -N^-1 mod 2^28 (so that
 * M ≡ -1 mod 2^28). Newton's iteration doubles the correct low bits of N^-1 each step.
 */
export function scaleModulus(): void {
  const n0 = load<u32>(M_PTR);
  let inv: u32 = n0;
  for (let s = 0; s < 5; s++) inv *= 2 - n0 * inv;
  const k = <u64>(0 - inv) & MASK;
  let carry: u64 = 0;
  for (let j = 0; j < LP; j++) {
    const v = <u64>load<u32>(M_PTR + (j << 2)) * k + carry;
    store<u32>(M_PTR + (j << 2), <u32>(v & MASK));
    carry = v >> W;
  }
}

/** Number of significant bits of the normalized limbs at `a` (0 for zero). */
export function bitLength(a: usize): i32 {
  for (let k = LP - 1; k >= 0; k--) {
    const v = load<u32>(a + (k << 2));
    if (v != 0) return k * W + 32 - clz(v);
  }
  return 0;
}
