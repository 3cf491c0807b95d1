// Limb layout and static buffers of the VDF kernel. Everything lives at fixed addresses in linear
// memory; the squaring loop never allocates.
//
// A residue is LP = 76 little-endian limbs of W = 28 bits, each stored in a u32 (76·28 = 2128 bits).
// 28-bit limbs leave 8 bits of headroom in the 64-bit column accumulators, so products are summed
// lazily and carried once per Montgomery product: a column ends with at most 76 product terms
// < 2^56 from a·b (or a²) and 76 from the reduction, plus a carry < 2^37: below 2^63.3. (Sums
// wrap modulo 2^64 on the way, e.g. the squaring starts from -a_i², which is harmless because
// the final sums are exact.)
// The Montgomery radix is R = 2^(28·76) = 2^2128 > 4N, so residues are kept in [0, 2N) without the
// final conditional subtraction (Walter's bound) and reduced to [0, N) only on output.

/** Bits per limb. */
export const W: u32 = 28;
/** Mask of one limb. */
export const MASK: u64 = 0x0fffffff;
/** Limbs per residue (a multiple of 4 so that every row is whole v128 blocks). */
export const LP: i32 = 76;
/** Bytes per residue slot. */
export const SLOT_BYTES: i32 = LP * 4;
/** 32-bit words of an input/output integer: 2048-bit inputs, outputs below kN < 2^2076. */
export const IO_WORDS: i32 = 66;

// Zero padding in front of (PAD limbs) and behind the modulus and operand copies lets the inner loops
// read M[j - r] and B[j - r] for r < 4 and j past the top limb without bounds checks.
const PAD: i32 = 8;

/**
 * Working modulus M = k·N with k = -N^-1 mod 2^28, so that M ≡ -1 (mod 2^28): the Montgomery
 * quotient digit of a column is then its low limb itself (no multiplication by -M^-1). Results are
 * correct modulo M and hence modulo N; the host reduces outputs mod N. M < 2^2076 needs 75 limbs and
 * R = 2^2128 > 4M still holds. M[-PAD..LP+24) with zeros outside [0, 75).
 */
export const M_PTR: usize = memory.data((PAD + LP + 24) * 4, 16) + PAD * 4;
/** Copy of the second factor of a product, padded like N. */
export const B_PTR: usize = memory.data((PAD + LP + 24) * 4, 16) + PAD * 4;
/** 2·a for the symmetric squaring, zero before index 0 and beyond LP. */
export const A2_PTR: usize = memory.data((PAD + LP + 24) * 4, 16) + PAD * 4;
/** Column accumulators T[0 .. 2·LP + 16), all zero between products. */
export const T_PTR: usize = memory.data((2 * LP + 16) * 8, 16);
/** Host input/output area: IO_WORDS little-endian u32 words. */
export const IO_PTR: usize = memory.data(IO_WORDS * 4 + 64, 16);
/** R² mod M (normal limbs), used to enter Montgomery form. */
export const R2_PTR: usize = memory.data(SLOT_BYTES, 16);
/** The integer 1 as limbs, used to leave Montgomery form. */
export const UNIT_PTR: usize = memory.data(SLOT_BYTES, 16);
/** R mod M: Montgomery form of 1. */
export const MONT_ONE_PTR: usize = memory.data(SLOT_BYTES, 16);
/** Scratch residue for conversions and exponentiation. */
export const TMP_PTR: usize = memory.data(SLOT_BYTES, 16);
/** Window table of the exponentiation: base^0 .. base^15 in Montgomery form. */
export const WINDOW_PTR: usize = memory.data(SLOT_BYTES * 16, 16);
