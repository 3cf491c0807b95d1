// DESIGN §Consensus: bitmaps are ceil(n/8) bytes; slot i is byte i>>3, mask 1<<(i&7).
import { describe, expect, test } from "bun:test";
import {
  areDisjoint, bitmapFromSlots, bitmapLength, countBits, createBitmap, hasBit, intersectSlots, isValidBitmap, orBitmaps, setBit, slotsOfBitmap,
} from "../../../src/consensus/index.ts";

describe("committee bitmaps", () => {
  test("length is ceil(n/8)", () => {
    expect([0, 1, 7, 8, 9, 16, 17, 250].map(bitmapLength)).toEqual([0, 1, 1, 1, 2, 2, 3, 32]);
  });

  test("slot i lives in byte i>>3 under mask 1<<(i&7)", () => {
    const b = createBitmap(20);
    for (const i of [0, 3, 8, 15, 19]) setBit(b, i);
    expect([...b]).toEqual([0b00001001, 0b10000001, 0b00001000]);
    expect(hasBit(b, 15)).toBe(true);
    expect(hasBit(b, 14)).toBe(false);
    expect(hasBit(b, 100)).toBe(false);
    expect(slotsOfBitmap(b)).toEqual([0, 3, 8, 15, 19]);
    expect(countBits(b)).toBe(5);
  });

  test("bitmapFromSlots and range errors", () => {
    expect([...bitmapFromSlots(10, [9, 1])]).toEqual([0b10, 0b10]);
    expect(() => bitmapFromSlots(10, [10])).toThrow(RangeError);
    expect(() => setBit(createBitmap(8), 8)).toThrow(RangeError);
    expect(() => createBitmap(-1)).toThrow(RangeError);
  });

  test("validity: exact length, no bits past slot n-1", () => {
    expect(isValidBitmap(Uint8Array.of(0b0111), 3)).toBe(true);
    expect(isValidBitmap(Uint8Array.of(0b1000), 3)).toBe(false);
    expect(isValidBitmap(Uint8Array.of(0xff), 8)).toBe(true);
    expect(isValidBitmap(Uint8Array.of(0xff, 0), 8)).toBe(false);
    expect(isValidBitmap(new Uint8Array(0), 3)).toBe(false);
  });

  test("union, disjointness, intersection", () => {
    const a = bitmapFromSlots(16, [1, 2, 9]);
    const b = bitmapFromSlots(16, [2, 10]);
    expect(slotsOfBitmap(orBitmaps([a, b]))).toEqual([1, 2, 9, 10]);
    expect(areDisjoint(a, b)).toBe(false);
    expect(areDisjoint(a, bitmapFromSlots(16, [0, 15]))).toBe(true);
    expect(intersectSlots(a, b)).toEqual([2]);
    expect(() => orBitmaps([])).toThrow(RangeError);
    expect(() => orBitmaps([a, createBitmap(8)])).toThrow(RangeError);
  });
});
