/**
 * Committee bitmaps (DESIGN §Consensus): `ceil(n/8)` bytes over the committee in its stored order;
 * slot i is byte `i >> 3`, mask `1 << (i & 7)`. Bits past slot n-1 must be zero.
 */

/** Bytes of a bitmap over `n` slots. */
export function bitmapLength(n: number): number {
  return (n + 7) >> 3;
}

/**
 * An empty bitmap over `n` slots.
 * @throws {RangeError} when `n` is not a non-negative integer.
 */
export function createBitmap(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`bitmap size ${n} is not a non-negative integer`);
  return new Uint8Array(bitmapLength(n));
}

/** True when slot `i` is set. Slots outside the bitmap read as unset. */
export function hasBit(bitmap: Uint8Array, i: number): boolean {
  const byte = bitmap[i >> 3];
  return byte !== undefined && i >= 0 && (byte & (1 << (i & 7))) !== 0;
}

/**
 * Set slot `i` in place.
 * @throws {RangeError} when `i` is outside the bitmap.
 */
export function setBit(bitmap: Uint8Array, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >> 3 >= bitmap.length) throw new RangeError(`slot ${i} outside a ${bitmap.length}-byte bitmap`);
  bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
}

/**
 * The bitmap over `n` slots with exactly `slots` set.
 * @throws {RangeError} when a slot is outside [0, n).
 */
export function bitmapFromSlots(n: number, slots: Iterable<number>): Uint8Array {
  const out = createBitmap(n);
  for (const s of slots) {
    if (s >= n) throw new RangeError(`slot ${s} outside a committee of ${n}`);
    setBit(out, s);
  }
  return out;
}

/** The set slots, ascending. */
export function slotsOfBitmap(bitmap: Uint8Array): number[] {
  const out: number[] = [];
  for (let b = 0; b < bitmap.length; b++) {
    const byte = bitmap[b] as number;
    if (byte === 0) continue;
    for (let k = 0; k < 8; k++) if (byte & (1 << k)) out.push((b << 3) | k);
  }
  return out;
}

/** True when `bitmap` has the length of a bitmap over `n` slots and no bit set past slot n-1. */
export function isValidBitmap(bitmap: Uint8Array, n: number): boolean {
  if (bitmap.length !== bitmapLength(n)) return false;
  const rest = n & 7;
  if (rest === 0 || bitmap.length === 0) return true;
  return ((bitmap[bitmap.length - 1] as number) >> rest) === 0;
}

/** Number of set slots. */
export function countBits(bitmap: Uint8Array): number {
  let c = 0;
  for (const byte of bitmap) {
    let v = byte;
    while (v) {
      v &= v - 1;
      c++;
    }
  }
  return c;
}

/**
 * Union of bitmaps of the same length.
 * @throws {RangeError} when the lengths differ or the list is empty.
 */
export function orBitmaps(bitmaps: readonly Uint8Array[]): Uint8Array {
  const first = bitmaps[0];
  if (!first) throw new RangeError("orBitmaps of an empty list");
  const out = first.slice();
  for (const b of bitmaps.slice(1)) {
    if (b.length !== out.length) throw new RangeError(`bitmap lengths differ: ${b.length} vs ${out.length}`);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) | (b[i] as number);
  }
  return out;
}

/** True when no slot is set in both bitmaps. */
export function areDisjoint(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (((a[i] as number) & (b[i] as number)) !== 0) return false;
  return true;
}

/** Slots set in both bitmaps, ascending. */
export function intersectSlots(a: Uint8Array, b: Uint8Array): number[] {
  const n = Math.min(a.length, b.length);
  const both = new Uint8Array(n);
  for (let i = 0; i < n; i++) both[i] = (a[i] as number) & (b[i] as number);
  return slotsOfBitmap(both);
}
