// DESIGN §Consensus: a quorum is strictly more than 2/3 of the total voting power.
import { describe, expect, test } from "bun:test";
import { bitmapFromSlots, bitmapPower, createCommittee, isOneThird, isQuorum, keysOfBitmap, quorumThreshold } from "../../../src/consensus/index.ts";
import { bls, secretKeys } from "./_fixtures.ts";

const keys = secretKeys(7).map((sk) => bls.secretToPublic(sk));

describe("quorum math", () => {
  test("strictly more than 2/3", () => {
    expect(isQuorum(2n, 3n)).toBe(false);
    expect(isQuorum(3n, 3n)).toBe(true);
    expect(isQuorum(2n, 4n)).toBe(false);
    expect(isQuorum(3n, 4n)).toBe(true);
    expect(isQuorum(66n, 99n)).toBe(false); // exactly 2/3
    expect(isQuorum(67n, 99n)).toBe(true);
    expect(isQuorum(167n, 250n)).toBe(true);
    expect(isQuorum(166n, 250n)).toBe(false);
  });

  test("threshold is the smallest quorum", () => {
    for (const total of [1n, 3n, 4n, 7n, 99n, 100n, 250n, 10n ** 24n + 7n]) {
      const t = quorumThreshold(total);
      expect(isQuorum(t, total)).toBe(true);
      expect(isQuorum(t - 1n, total)).toBe(false);
    }
  });

  test("more than 1/3", () => {
    expect(isOneThird(1n, 3n)).toBe(false);
    expect(isOneThird(2n, 4n)).toBe(true);
    expect(isOneThird(34n, 100n)).toBe(true);
  });

  test("power of a bitmap with unequal power (staking)", () => {
    const c = createCommittee({ keys: keys.slice(0, 4), power: [10n, 20n, 30n, 40n] });
    expect(c.totalPower).toBe(100n);
    expect(bitmapPower(c, bitmapFromSlots(4, [2, 3]))).toBe(70n);
    expect(isQuorum(bitmapPower(c, bitmapFromSlots(4, [2, 3])), c.totalPower)).toBe(true);
    expect(isQuorum(bitmapPower(c, bitmapFromSlots(4, [0, 1, 2])), c.totalPower)).toBe(false);
    expect(bitmapPower(c, Uint8Array.of(0xff))).toBe(0n); // malformed: bits past slot 3
    expect(keysOfBitmap(c, bitmapFromSlots(4, [1, 3]))).toEqual([keys[1]!, keys[3]!]);
  });

  test("construction errors", () => {
    expect(() => createCommittee({ keys: [] })).toThrow(RangeError);
    expect(() => createCommittee({ keys: [new Uint8Array(47)] })).toThrow(RangeError);
    expect(() => createCommittee({ keys: [keys[0]!, keys[0]!] })).toThrow(RangeError);
    expect(() => createCommittee({ keys: keys.slice(0, 2), power: [1n] })).toThrow(RangeError);
    expect(() => createCommittee({ keys: keys.slice(0, 2), power: [1n, 0n] })).toThrow(RangeError);
    expect(() => createCommittee({ keys: keys.slice(0, 2), validators: [0] })).toThrow(RangeError);
  });

  test("equal power per key by default; frozen", () => {
    const c = createCommittee({ keys });
    expect(c.power).toEqual(keys.map(() => 1n));
    expect(c.validators).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(c.bitmapBytes).toBe(1);
    expect(Object.isFrozen(c)).toBe(true);
  });
});
