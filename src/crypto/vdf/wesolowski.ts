/**
 * The Wesolowski VDF over Z_N^× / {±1} (DESIGN §Randomness), on the WASM kernel:
 *   x = hashToGroup(seed), y = x^(2^T), ℓ = hashToPrime(x, y), π = x^⌊2^T/ℓ⌋,
 * verified by π^ℓ · x^(2^T mod ℓ) = y. Elements are exchanged as canonical representatives
 * (min(v, N - v)) in fixed-width big-endian bytes; verification rejects non-canonical encodings.
 */
import { bigIntToBytes, bytesToBigInt, canonical, modPow } from "./_bigint.ts";
import { elementBytes, hashToGroup, hashToPrime } from "./_hash.ts";
import { checkpointCount, chooseProofParams, quotientDigits } from "./_proof.ts";
import type { ProofParams } from "./_proof.ts";
import type { VDFKernel } from "./kernel.ts";

/** Output of an evaluation: y and the proof π, each a fixed-width big-endian group element. */
export interface VDFOutput {
  y: Uint8Array;
  proof: Uint8Array;
}

/** Progress of an evaluation: `done` of `total` squarings (evaluate) or multiplications (prove). */
export interface VDFProgress {
  phase: "evaluate" | "prove";
  done: number;
  total: number;
}

/** Largest delay parameter accepted: 2^40 squarings (about two weeks at 1 µs each). */
export const MAX_T = 2 ** 40;

// Squarings per kernel call between two progress steps (≈ 3 ms).
const CHUNK = 2048;
// Proof multiplications between two progress steps.
const PROVE_CHUNK = 1024;

const SLOT_X = 0;
const SLOT_Y = 1;
const SLOT_ACC = 2;
const SLOT_RUN = 3;
const SLOT_SUM = 4;
const bucketSlot = (b: number): number => 4 + b;
// Checkpoints follow the 2^k - 1 buckets (b = 1 … 2^k - 1).
const checkpointSlot = (k: number, i: number): number => bucketSlot(1 << k) + i;

/**
 * Check the delay parameter.
 * @throws {RangeError} unless T is an integer in [1, MAX_T].
 */
export function assertValidT(T: number): void {
  if (!Number.isSafeInteger(T) || T < 1 || T > MAX_T) throw new RangeError(`VDF delay T must be an integer in [1, 2^40], got ${T}`);
}

/**
 * Evaluate and prove step by step: yields progress after each chunk of kernel work and returns
 * the output. The caller drives it (and may stop driving it to cancel). `kernel` must be private
 * to this evaluation while it runs. `params` (the proof's block sizes) only change the work, never
 * the output.
 */
export function* evaluationSteps(
  kernel: VDFKernel,
  seed: Uint8Array,
  T: number,
  params: ProofParams = chooseProofParams(T),
): Generator<VDFProgress, VDFOutput, void> {
  assertValidT(T);
  const n = kernel.modulus;
  const width = elementBytes(n);
  const x = hashToGroup(seed, n);
  const interval = params.k * params.l;
  const count = checkpointCount(T, params);
  kernel.ensureSlots(checkpointSlot(params.k, count));

  kernel.load(SLOT_X, x);
  kernel.copy(SLOT_Y, SLOT_X);
  let save = checkpointSlot(params.k, 0);
  for (let done = 0; done < T; ) {
    const step = Math.min(CHUNK, T - done);
    save = kernel.squareSaving(SLOT_Y, step, interval, done, save);
    done += step;
    yield { phase: "evaluate", done, total: T };
  }
  const y = canonical(kernel.read(SLOT_Y), n);
  const ell = hashToPrime(x, y, n);

  const { k, l } = params;
  const digits = quotientDigits(T, ell, k);
  const buckets = 1 << k;
  const total = l * (count + 2 * buckets);
  const used = new Uint8Array(buckets);
  let done = 0;
  let accSet = false;
  for (let t = l - 1; t >= 0; t--) {
    if (accSet) kernel.square(SLOT_ACC, k);
    // Buckets: B_b = Π C_i over the checkpoints whose digit b_(l·i+t) is b.
    used.fill(0);
    for (let i = 0; i < count; i++) {
      const j = l * i + t;
      const b = j < digits.length ? (digits[j] ?? 0) : 0;
      if (b !== 0) {
        if (used[b]) {
          kernel.mul(bucketSlot(b), bucketSlot(b), checkpointSlot(k, i));
        } else {
          kernel.copy(bucketSlot(b), checkpointSlot(k, i));
          used[b] = 1;
        }
      }
      if (++done % PROVE_CHUNK === 0) yield { phase: "prove", done, total };
    }
    // Π_b B_b^b: a running product of the buckets from the top, multiplied into the sum each step.
    let runSet = false;
    let sumSet = false;
    for (let b = buckets - 1; b >= 1; b--) {
      if (used[b]) {
        if (runSet) kernel.mul(SLOT_RUN, SLOT_RUN, bucketSlot(b));
        else kernel.copy(SLOT_RUN, bucketSlot(b));
        runSet = true;
      }
      if (runSet) {
        if (sumSet) kernel.mul(SLOT_SUM, SLOT_SUM, SLOT_RUN);
        else kernel.copy(SLOT_SUM, SLOT_RUN);
        sumSet = true;
      }
      done += 2;
      if (done % PROVE_CHUNK < 2) yield { phase: "prove", done, total };
    }
    done += 2; // b = 0 has no bucket
    if (sumSet) {
      if (accSet) kernel.mul(SLOT_ACC, SLOT_ACC, SLOT_SUM);
      else kernel.copy(SLOT_ACC, SLOT_SUM);
      accSet = true;
    }
  }
  if (!accSet) kernel.setOne(SLOT_ACC);
  const proof = canonical(kernel.read(SLOT_ACC), n);
  yield { phase: "prove", done: total, total };
  return { y: bigIntToBytes(y, width), proof: bigIntToBytes(proof, width) };
}

/** Run evaluationSteps to completion without yielding to anyone. */
export function evaluateSync(kernel: VDFKernel, seed: Uint8Array, T: number, params?: ProofParams): VDFOutput {
  const steps = evaluationSteps(kernel, seed, T, params);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Verify (y, π) for (seed, T): false for any malformed or tampered input, never throws.
 * Uses slots 0 and 1 of `kernel`.
 */
export function verifyWesolowski(kernel: VDFKernel, seed: Uint8Array, T: number, y: Uint8Array, proof: Uint8Array): boolean {
  const n = kernel.modulus;
  const width = elementBytes(n);
  if (!(seed instanceof Uint8Array) || !(y instanceof Uint8Array) || !(proof instanceof Uint8Array)) return false;
  if (!Number.isSafeInteger(T) || T < 1 || T > MAX_T) return false;
  if (y.length !== width || proof.length !== width) return false;
  const half = (n - 1n) >> 1n;
  const yv = bytesToBigInt(y);
  const pv = bytesToBigInt(proof);
  if (yv < 1n || yv > half || pv < 1n || pv > half) return false;
  const x = hashToGroup(seed, n);
  const ell = hashToPrime(x, yv, n);
  const r = modPow(2n, BigInt(T), ell);
  kernel.load(0, pv);
  kernel.pow(0, 0, ell);
  kernel.load(1, x);
  kernel.pow(1, 1, r);
  kernel.mul(0, 0, 1);
  return canonical(kernel.read(0), n) === yv;
}
