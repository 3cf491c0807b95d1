/**
 * Wesolowski proof generation with stored checkpoints (Wesolowski, "Efficient verifiable delay
 * functions", §4.1; the same block method as Chia's vdf prover).
 *
 * q = ⌊2^T/ℓ⌋ is written in base 2^k: q = Σ_j b_j 2^(kj), with b_j = ⌊2^k (2^(T-k(j+1)) mod ℓ) / ℓ⌋.
 * During evaluation every K = k·l-th power C_i = x^(2^(iK)) is kept. Splitting j = l·i + t,
 *   π = x^q = Π_t ( Π_i C_i^(b_(li+t)) )^(2^(kt)),
 * and each inner product is Π_b B_b^b over 2^k buckets B_b = Π_{i: b_(li+t) = b} C_i, combined
 * with 2·2^k multiplications (running products). Cost: T/k + l·2^(k+1) multiplications and k·l
 * squarings, with ⌈T/K⌉ stored checkpoints instead of T squarings for the naive long division.
 */
import { modPow } from "./_bigint.ts";

/** Block parameters of the proof. */
export interface ProofParams {
  /** Bits per digit of q: 2^k buckets. */
  k: number;
  /** Digits per checkpoint interval: checkpoints every k·l squarings. */
  l: number;
}

/** Upper bound on stored checkpoints (kernel slots of 304 bytes each): 10 MB. */
export const MAX_CHECKPOINTS = 1 << 15;
/** Upper bound on k (2^k kernel slots of 304 bytes: 5 MB). */
const MAX_K = 14;

/** Choose (k, l) minimizing T/k + l·2^(k+1) + k·l with ⌈T/(k·l)⌉ ≤ MAX_CHECKPOINTS. */
export function chooseProofParams(T: number): ProofParams {
  let best: ProofParams = { k: 1, l: Math.max(1, Math.ceil(T / MAX_CHECKPOINTS)) };
  let bestCost = Infinity;
  for (let k = 1; k <= MAX_K; k++) {
    const l = Math.max(1, Math.ceil(T / (k * MAX_CHECKPOINTS)));
    const cost = T / k + l * 2 ** (k + 1) + k * l;
    if (cost < bestCost) {
      bestCost = cost;
      best = { k, l };
    }
  }
  return best;
}

/** Number of checkpoints C_i = x^(2^(iK)) evaluation must keep: i ∈ [0, ⌈T/K⌉). */
export function checkpointCount(T: number, p: ProofParams): number {
  return Math.ceil(T / (p.k * p.l));
}

/**
 * The base-2^k digits b_j of ⌊2^T/ℓ⌋, j ∈ [0, ⌊T/k⌋). The digit above (if T mod k ≠ 0) is
 * ⌊2^(T mod k)/ℓ⌋ = 0 since ℓ > 2^127 > 2^k.
 */
export function quotientDigits(T: number, ell: bigint, k: number): Uint16Array {
  const count = Math.floor(T / k);
  const digits = new Uint16Array(count);
  const step = modPow(2n, BigInt(k), ell);
  const shift = BigInt(k);
  // r = 2^(T - k(j+1)) mod ℓ, from the top digit down.
  let r = modPow(2n, BigInt(T - k * count), ell);
  for (let j = count - 1; j >= 0; j--) {
    digits[j] = Number((r << shift) / ell);
    r = (r * step) % ell;
  }
  return digits;
}
