// VDF kernel: 2048-bit modular arithmetic in Montgomery form for repeated squaring (the Wesolowski
// VDF of DESIGN §Randomness). The host talks to it through linear memory:
//   - ioPtr(): IO_WORDS little-endian u32 words for one integer in or out;
//   - residue slots (slotPtr(i), in Montgomery form) that the operations read and write.
// Arithmetic runs modulo a multiple M = k·N of the modulus (layout.ts), so an output read with
// storeSlot is correct modulo N but lies in [0, M): the host reduces it mod N.
// Every export works on fixed or pre-grown memory; nothing allocates.

import { LP, SLOT_BYTES, IO_WORDS, IO_PTR, M_PTR, R2_PTR, UNIT_PTR, MONT_ONE_PTR, TMP_PTR, WINDOW_PTR } from "./layout.ts";
import { montMul, montSqr } from "./mont.ts";
import { wordsToLimbs, limbsToWords, reduceOnce, doubleMod, setSmall, scaleModulus, bitLength } from "./limbs.ts";

const SLOT_BASE: usize = (__heap_base + 63) & ~<usize>63;
let slots: i32 = 0;

/** Address of the input/output words. */
export function ioPtr(): usize {
  return IO_PTR;
}

/** 32-bit words at ioPtr(). */
export function ioWords(): i32 {
  return IO_WORDS;
}

/** Limbs per residue slot (28 bits each, in u32). */
export function limbCount(): i32 {
  return LP;
}

/** Address of residue slot i (valid for i < slotCount()). */
export function slotPtr(i: i32): usize {
  return SLOT_BASE + <usize>i * SLOT_BYTES;
}

/** Number of residue slots available. */
export function slotCount(): i32 {
  return slots;
}

/** Make at least n slots available, growing memory; false when memory cannot grow. */
export function ensureSlots(n: i32): bool {
  if (n <= slots) return true;
  const end = SLOT_BASE + <usize>n * SLOT_BYTES;
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return false;
  }
  slots = n;
  return true;
}

/**
 * Set the modulus from the IO words: an odd N with 2^64 < N < 2^2048. Precomputes the working
 * modulus M = k·N, R² mod M and R mod M. Returns false (and leaves the kernel unusable) otherwise.
 */
export function setModulus(): bool {
  for (let w = 64; w < IO_WORDS; w++) if (load<u32>(IO_PTR + (w << 2)) != 0) return false;
  let high = false;
  for (let w = 2; w < 64; w++) if (load<u32>(IO_PTR + (w << 2)) != 0) high = true;
  if (!high || (load<u32>(IO_PTR) & 1) == 0) return false;
  wordsToLimbs(M_PTR);
  scaleModulus();
  // R² mod M: doublings from the top bit of M up to R·2^133 mod M, then four Montgomery squarings
  // (each maps R·2^t to R·2^2t), since 133·2^4 = 2128 = log2 R.
  const bits = bitLength(M_PTR);
  setSmall(R2_PTR, 0);
  store<u32>(R2_PTR + (((bits - 1) / 28) << 2), 1 << ((bits - 1) % 28));
  for (let k = bits - 1; k < 28 * LP + 133; k++) doubleMod(R2_PTR);
  for (let k = 0; k < 4; k++) montSqr(R2_PTR, R2_PTR);
  reduceOnce(R2_PTR);
  setSmall(UNIT_PTR, 1);
  montMul(MONT_ONE_PTR, R2_PTR, UNIT_PTR);
  return true;
}

/** Slot i = the IO integer (any value < 2^2112) in Montgomery form. */
export function loadSlot(i: i32): void {
  wordsToLimbs(TMP_PTR);
  montMul(slotPtr(i), TMP_PTR, R2_PTR);
}

/** IO words = slot i as an integer in [0, M), congruent to its value mod N. */
export function storeSlot(i: i32): void {
  montMul(TMP_PTR, slotPtr(i), UNIT_PTR);
  reduceOnce(TMP_PTR);
  limbsToWords(TMP_PTR);
}

/** Slot d = slot s. */
export function copySlot(d: i32, s: i32): void {
  memory.copy(slotPtr(d), slotPtr(s), SLOT_BYTES);
}

/** Slot d = 1 (Montgomery form). */
export function setOne(d: i32): void {
  memory.copy(slotPtr(d), MONT_ONE_PTR, SLOT_BYTES);
}

/** Slot i = slot i ^ (2^count): `count` modular squarings in place. */
export function sqrN(i: i32, count: u32): void {
  const p = slotPtr(i);
  for (let k: u32 = 0; k < count; k++) montSqr(p, p);
}

/**
 * Like sqrN, but first copies slot i to slot `save`, `save + 1`, … before each squaring whose
 * index (counting `phase` squarings already done) is a multiple of `every`: the checkpoints
 * x^(2^(j·every)) of a Wesolowski proof. Returns the next free checkpoint slot.
 */
export function sqrNSave(i: i32, count: u32, every: u32, phase: u32, save: i32): i32 {
  const p = slotPtr(i);
  let r = phase % every;
  for (let k: u32 = 0; k < count; k++) {
    if (r == 0) {
      memory.copy(slotPtr(save), p, SLOT_BYTES);
      save++;
    }
    montSqr(p, p);
    if (++r == every) r = 0;
  }
  return save;
}

/** Slot d = slot a · slot b. */
export function mulSlots(d: i32, a: i32, b: i32): void {
  montMul(slotPtr(d), slotPtr(a), slotPtr(b));
}

/**
 * Slot d = slot base ^ e where e is the IO integer of `nbits` bits (left-to-right, 4-bit fixed
 * window). d may equal base.
 */
export function powSlot(d: i32, base: i32, nbits: i32): void {
  memory.copy(WINDOW_PTR, MONT_ONE_PTR, SLOT_BYTES);
  memory.copy(WINDOW_PTR + SLOT_BYTES, slotPtr(base), SLOT_BYTES);
  for (let k = 2; k < 16; k++) {
    montMul(WINDOW_PTR + k * SLOT_BYTES, WINDOW_PTR + (k - 1) * SLOT_BYTES, WINDOW_PTR + SLOT_BYTES);
  }
  const acc = slotPtr(d);
  memory.copy(acc, MONT_ONE_PTR, SLOT_BYTES);
  let started = false;
  for (let top = ((nbits + 3) >> 2) - 1; top >= 0; top--) {
    const bit = top << 2;
    const digit = (load<u32>(IO_PTR + ((bit >> 5) << 2)) >> (bit & 31)) & 15;
    if (started) for (let s = 0; s < 4; s++) montSqr(acc, acc);
    if (digit != 0) {
      montMul(acc, acc, WINDOW_PTR + digit * SLOT_BYTES);
      started = true;
    }
  }
}
