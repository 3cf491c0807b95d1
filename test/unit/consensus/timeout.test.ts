// DESIGN §Consensus: timeout(v) = base · 2^min(k,4), k = consecutive failed views.
import { describe, expect, test } from "bun:test";
import { viewChangeTimeout } from "../../../src/consensus/index.ts";

describe("view-change timeout schedule", () => {
  test("doubles per failed view up to 16× base", () => {
    expect([0, 1, 2, 3, 4, 5, 9, 100].map((k) => viewChangeTimeout(3000, k))).toEqual([3000, 6000, 12000, 24000, 48000, 48000, 48000, 48000]);
    expect(viewChangeTimeout(6000, 2)).toBe(24000);
  });

  test("rejects bad arguments", () => {
    expect(() => viewChangeTimeout(0, 1)).toThrow(RangeError);
    expect(() => viewChangeTimeout(Number.NaN, 1)).toThrow(RangeError);
    expect(() => viewChangeTimeout(1000, -1)).toThrow(RangeError);
    expect(() => viewChangeTimeout(1000, 1.5)).toThrow(RangeError);
  });
});
