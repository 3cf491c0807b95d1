// Montgomery multiplication and squaring modulo M (layout.ts) over 28-bit limbs with WASM SIMD.
//
// Both products run in two passes over the column accumulators T (u64):
//   1. the plain product a·b (or a², using symmetry) added column-wise, four schoolbook rows at
//      once: T[i+c .. i+c+3] += Σ_r a[i+r] · b[c-r .. c-r+3] (i64x2.extmul_{low,high}_i32x4_u give
//      two 28×28-bit products per instruction). These blocks are nearly all of the cost
//      (~2.3 ns per block of 16 products on JSC and V8 here; x86 has no 32×32→64 multiply of lanes
//      0,1 so engines add lane shuffles to each extmul). Unrolling, aligned copies of M and
//      8-row blocks measured no faster;
//   2. the Montgomery reduction, also four rows at once: the quotient limbs m[i..i+3] follow from
//      the columns T[i..i+3] in scalar code, then T[i+c ..] += Σ_r m[r] · M[c-r ..]. The first
//      block of a group yields the next group's four columns, which stay in registers.
//      (Computing the next quotient limbs right there, to overlap their latency with the vector
//      work, measured slower on both JSC and V8: register pressure.)
// T holds exact column sums (< 2^64, see layout.ts); carries are propagated once at the end.

import { LP, MASK, W, M_PTR, B_PTR, A2_PTR, T_PTR } from "./layout.ts";

const M2: v128 = i32x4(0, 0, -1, -1);

// Σ_r s_r · v_r over four rows for the columns 0,1 (lo4) and 2,3 (hi4) of a four-column block.
// @ts-ignore: decorator
@inline function lo4(s0: v128, s1: v128, s2: v128, s3: v128, v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  return i64x2.add(
    i64x2.add(i64x2.extmul_low_i32x4_u(s0, v0), i64x2.extmul_low_i32x4_u(s1, v1)),
    i64x2.add(i64x2.extmul_low_i32x4_u(s2, v2), i64x2.extmul_low_i32x4_u(s3, v3)),
  );
}

// @ts-ignore: decorator
@inline function hi4(s0: v128, s1: v128, s2: v128, s3: v128, v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  return i64x2.add(
    i64x2.add(i64x2.extmul_high_i32x4_u(s0, v0), i64x2.extmul_high_i32x4_u(s1, v1)),
    i64x2.add(i64x2.extmul_high_i32x4_u(s2, v2), i64x2.extmul_high_i32x4_u(s3, v3)),
  );
}

/** T[t .. t+3] += Σ_r s_r · (the four limbs at byte address q - 4r) for one four-column block. */
// @ts-ignore: decorator
@inline function addProducts4(t: usize, s0: v128, s1: v128, s2: v128, s3: v128, q: usize): void {
  const v0 = v128.load(q), v1 = v128.load(q - 4), v2 = v128.load(q - 8), v3 = v128.load(q - 12);
  v128.store(t, i64x2.add(v128.load(t), lo4(s0, s1, s2, s3, v0, v1, v2, v3)));
  v128.store(t, i64x2.add(v128.load(t, 16), hi4(s0, s1, s2, s3, v0, v1, v2, v3)), 16);
}

/**
 * The last block of a row group, four columns from byte address t: only rows 2 and 3 reach limbs
 * below 75 there (q - 8 and q - 12 start at limbs 74 and 73), in lanes 0 and 1 (columns t, t+1).
 * Limb 75 of a squaring input and of M is zero (both < 2^2077), so rows 0 and 1 and the upper lanes
 * would add only zero products: skipping them saves 6 of the block's 8 extmuls.
 */
// @ts-ignore: decorator
@inline function addLastProducts(t: usize, s2: v128, s3: v128, q: usize): void {
  const lo = i64x2.add(i64x2.extmul_low_i32x4_u(s2, v128.load(q - 8)), i64x2.extmul_low_i32x4_u(s3, v128.load(q - 12)));
  v128.store(t, i64x2.add(v128.load(t), lo));
}

/** T += a² (a: LP limbs at `a`, T zero on entry). */
function squareColumns(a: usize): void {
  // a² = Σ_i Σ_{j ≥ i} a_i·(2a_j) − Σ_i a_i²·2^(56i): T starts at −a_i² in the even columns
  // (wrapping u64 arithmetic; every final column is non-negative), then rows use 2a throughout.
  const zero = i64x2.splat(0);
  for (let k = 0; k < LP; k += 4) {
    const v = v128.load(a + (k << 2));
    v128.store(A2_PTR + (k << 2), i32x4.shl(v, 1));
    const lo = v128.shuffle<u32>(v, zero, 0, 4, 1, 4); // (a_k, 0, a_k+1, 0)
    const hi = v128.shuffle<u32>(v, zero, 2, 4, 3, 4);
    const t = T_PTR + (k << 4);
    v128.store(t, i64x2.sub(zero, i64x2.extmul_low_i32x4_u(lo, lo)));
    v128.store(t, i64x2.sub(zero, i64x2.extmul_high_i32x4_u(lo, lo)), 16);
    v128.store(t, i64x2.sub(zero, i64x2.extmul_low_i32x4_u(hi, hi)), 32);
    v128.store(t, i64x2.sub(zero, i64x2.extmul_high_i32x4_u(hi, hi)), 48);
  }
  for (let i = 0; i < LP; i += 4) {
    const p = a + (i << 2);
    const s0 = v128.load32_splat(p), s1 = v128.load32_splat(p, 4), s2 = v128.load32_splat(p, 8), s3 = v128.load32_splat(p, 12);
    // Row i+r covers j ≥ i+r, i.e. columns i+c with c = r+j ≥ i+2r: in the block c = i only rows 0
    // and 1 (lanes ≥ 2) take part, in the block c = i+4 row 3 only from lane 2.
    let q = A2_PTR + (i << 2);
    let tc = T_PTR + (i << 4); // &T[2i]
    {
      const v0 = v128.load(q), v1 = v128.and(v128.load(q - 4), M2);
      const lo = i64x2.add(i64x2.extmul_low_i32x4_u(s0, v0), i64x2.extmul_low_i32x4_u(s1, v1));
      const hi = i64x2.add(i64x2.extmul_high_i32x4_u(s0, v0), i64x2.extmul_high_i32x4_u(s1, v1));
      v128.store(tc, i64x2.add(v128.load(tc), lo));
      v128.store(tc, i64x2.add(v128.load(tc, 16), hi), 16);
    }
    q += 16;
    tc += 32;
    const v0 = v128.load(q), v1 = v128.load(q - 4), v2 = v128.load(q - 8), v3 = v128.and(v128.load(q - 12), M2);
    v128.store(tc, i64x2.add(v128.load(tc), lo4(s0, s1, s2, s3, v0, v1, v2, v3)));
    v128.store(tc, i64x2.add(v128.load(tc, 16), hi4(s0, s1, s2, s3, v0, v1, v2, v3)), 16);
    for (let c = i + 8; c < LP; c += 4) {
      q += 16;
      tc += 32;
      addProducts4(tc, s0, s1, s2, s3, q);
    }
    // (In the last group the block above was already the last one.)
    if (i < LP - 4) addLastProducts(tc + 32, s2, s3, q + 16);
  }
}

/** T += a·b (T zero on entry). */
function mulColumns(a: usize, b: usize): void {
  for (let k = 0; k < LP; k += 4) v128.store(B_PTR + (k << 2), v128.load(b + (k << 2)));
  for (let i = 0; i < LP; i += 4) {
    const p = a + (i << 2);
    const s0 = i32x4.splat(load<u32>(p)), s1 = i32x4.splat(load<u32>(p, 4));
    const s2 = i32x4.splat(load<u32>(p, 8)), s3 = i32x4.splat(load<u32>(p, 12));
    let q = B_PTR;
    let tc = T_PTR + (i << 3);
    for (let c = 0; c < LP + 3; c += 4) {
      addProducts4(tc, s0, s1, s2, s3, q);
      q += 16;
      tc += 32;
    }
  }
}

/** Montgomery-reduce T into `out` (T·R^-1 mod M, < 2M) and leave T zero. */
function reduceColumns(out: usize): void {
  const n1 = <u64>load<u32>(M_PTR, 4), n2 = <u64>load<u32>(M_PTR, 8), n3 = <u64>load<u32>(M_PTR, 12);
  const zero = i64x2.splat(0);
  // Quotient limbs of a group of four columns x0..x3 (carry from the group before included in x0):
  // M ≡ -1 mod 2^28 makes m = column mod 2^28, and column + m·M[0] carries (column >> 28) + m.
  let x0 = load<u64>(T_PTR), x1 = load<u64>(T_PTR, 8), x2 = load<u64>(T_PTR, 16), x3 = load<u64>(T_PTR, 24);
  v128.store(T_PTR, zero);
  v128.store(T_PTR, zero, 16);
  for (let i = 0; i < LP; i += 4) {
    const m0 = x0 & MASK;
    let y = x1 + m0 * n1 + (x0 >> W) + m0;
    const m1 = y & MASK;
    y = x2 + m0 * n2 + m1 * n1 + (y >> W) + m1;
    const m2 = y & MASK;
    y = x3 + m0 * n3 + m1 * n2 + m2 * n1 + (y >> W) + m2;
    const m3 = y & MASK;
    const carry = (y >> W) + m3;
    const s0 = i32x4.splat(<i32>m0), s1 = i32x4.splat(<i32>m1), s2 = i32x4.splat(<i32>m2), s3 = i32x4.splat(<i32>m3);
    // First block: columns i+4..i+7 are the next group's x, kept in registers.
    let q = M_PTR + 16;
    let tc = T_PTR + (i << 3) + 32;
    const v0 = v128.load(q), v1 = v128.load(q - 4), v2 = v128.load(q - 8), v3 = v128.load(q - 12);
    const lo = i64x2.add(v128.load(tc), lo4(s0, s1, s2, s3, v0, v1, v2, v3));
    const hi = i64x2.add(v128.load(tc, 16), hi4(s0, s1, s2, s3, v0, v1, v2, v3));
    v128.store(tc, zero);
    v128.store(tc, zero, 16);
    x0 = i64x2.extract_lane(lo, 0) + carry;
    x1 = i64x2.extract_lane(lo, 1);
    x2 = i64x2.extract_lane(hi, 0);
    x3 = i64x2.extract_lane(hi, 1);
    for (let c = 8; c < LP; c += 4) {
      q += 16;
      tc += 32;
      addProducts4(tc, s0, s1, s2, s3, q);
    }
    addLastProducts(tc + 32, s2, s3, q + 16);
  }
  // After the last group x0..x3 hold the columns LP..LP+3 (its carry included); the upper half of
  // T is the result with lazy carries.
  const hi = T_PTR + (LP << 3);
  store<u64>(hi, x0);
  store<u64>(hi, x1, 8);
  store<u64>(hi, x2, 16);
  store<u64>(hi, x3, 24);
  let c: u64 = 0;
  for (let k = 0; k < LP; k++) {
    const v = load<u64>(hi + (k << 3)) + c;
    store<u32>(out + (k << 2), <u32>(v & MASK));
    c = v >> W;
    store<u64>(hi + (k << 3), 0);
  }
}

/** out = a·b·R^-1 mod M (inputs < 2M, output < 2M). `out` may alias `a` or `b`. */
export function montMul(out: usize, a: usize, b: usize): void {
  mulColumns(a, b);
  reduceColumns(out);
}

/** out = a²·R^-1 mod M (input < 2M, output < 2M). `out` may alias `a`. */
export function montSqr(out: usize, a: usize): void {
  squareColumns(a);
  reduceColumns(out);
}
