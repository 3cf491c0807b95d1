// DESIGN §Staking: election by bids spread over keys, top K slots, effective stake clamped at the median.
import { describe, expect, test } from "bun:test";
import { computeEffectiveStake, computeElection, computeMedianStake } from "../../../src/staking/index.ts";

const T = 10n ** 18n;
const key = (n: number) => Uint8Array.from({ length: 48 }, (_, i) => (i === 0 ? n : 0));
const addr = (n: number) => Uint8Array.from({ length: 20 }, (_, i) => (i === 19 ? n : 0));

describe("median", () => {
  test("odd count: the middle value", () => {
    expect(computeMedianStake([5n, 1n, 9n])).toBe(5n);
  });
  test("even count: the mean of the two middle values, rounded down", () => {
    // sorted 1, 4, 7, 10: (4 + 7) / 2 = 5.5 → 5
    expect(computeMedianStake([10n, 1n, 7n, 4n])).toBe(5n);
  });
  test("rejects nothing to take a median of", () => {
    expect(() => computeMedianStake([])).toThrow(RangeError);
  });
});

describe("effective stake", () => {
  // median 1000, band 15% → [850, 1150]
  test("clamped up at (1-c)·median", () => expect(computeEffectiveStake(1000n, 100n, 1500)).toBe(850n));
  test("clamped down at (1+c)·median", () => expect(computeEffectiveStake(1000n, 5000n, 1500)).toBe(1150n));
  test("inside the band unchanged", () => expect(computeEffectiveStake(1000n, 1042n, 1500)).toBe(1042n));
  test("EPoS v2 band of 35%", () => {
    expect(computeEffectiveStake(1000n, 1n, 3500)).toBe(650n);
    expect(computeEffectiveStake(1000n, 9999n, 3500)).toBe(1350n);
  });
  test("band out of range", () => expect(() => computeEffectiveStake(1000n, 1n, 10001)).toThrow(RangeError));
});

describe("election", () => {
  test("worked example: bids spread over keys, top K, clamp at both ends", () => {
    // A: 900 over 3 keys → 3 bids of 300; B: 1000 over 1 key → 1000; C: 200 over 1 → 200; D: 100 over 2 → 50.
    const r = computeElection(
      [
        { address: addr(1), blsKeys: [key(1), key(2), key(3)], totalDelegation: 900n * T },
        { address: addr(2), blsKeys: [key(4)], totalDelegation: 1000n * T },
        { address: addr(3), blsKeys: [key(5)], totalDelegation: 200n * T },
        { address: addr(4), blsKeys: [key(6), key(7)], totalDelegation: 100n * T },
      ],
      { slots: 5, bandBps: 1500 },
    );
    // Winners: B 1000, A 300 ×3, C 200 (D's 50s lose). Median of 1000,300,300,300,200 = 300.
    expect(r.medianRawStake).toBe(300n * T);
    expect(r.slots.map((s) => s.blsKey[0])).toEqual([4, 1, 2, 3, 5]);
    // B clamped down to 345; A unchanged at 300; C clamped up to 255.
    expect(r.slots.map((s) => s.effectiveStake)).toEqual([345n * T, 300n * T, 300n * T, 300n * T, 255n * T]);
    expect(r.slots.map((s) => s.validator[19])).toEqual([2, 1, 1, 1, 3]);
  });

  test("ties are broken by key bytes, not by input order", () => {
    const a = { address: addr(1), blsKeys: [key(9)], totalDelegation: 10n };
    const b = { address: addr(2), blsKeys: [key(3)], totalDelegation: 10n };
    const c = { address: addr(3), blsKeys: [key(5)], totalDelegation: 10n };
    const one = computeElection([a, b, c], { slots: 2, bandBps: 1500 });
    const two = computeElection([c, a, b], { slots: 2, bandBps: 1500 });
    expect(one.slots.map((s) => s.blsKey[0])).toEqual([3, 5]);
    expect(two.slots.map((s) => s.blsKey[0])).toEqual([3, 5]);
  });

  test("a validator may win only some of its keys", () => {
    const r = computeElection(
      [
        { address: addr(1), blsKeys: [key(1), key(2)], totalDelegation: 100n },
        { address: addr(2), blsKeys: [key(3)], totalDelegation: 60n },
      ],
      { slots: 2, bandBps: 1500 },
    );
    // bids 50, 50, 60 → 60 then the lower key of A
    expect(r.slots.map((s) => s.blsKey[0])).toEqual([3, 1]);
    expect(r.medianRawStake).toBe(55n);
  });

  test("fewer candidates than slots; zero bids never win", () => {
    const r = computeElection(
      [
        { address: addr(1), blsKeys: [key(1)], totalDelegation: 7n },
        { address: addr(2), blsKeys: [key(2), key(4)], totalDelegation: 1n }, // 1 / 2 = 0 per key
      ],
      { slots: 8, bandBps: 1500 },
    );
    expect(r.slots.map((s) => s.blsKey[0])).toEqual([1]);
    expect(computeElection([], { slots: 4, bandBps: 1500 })).toEqual({ slots: [], medianRawStake: 0n });
  });

  test("a key offered twice, a keyless candidate and a bad slot count are rejected", () => {
    const dup = [
      { address: addr(1), blsKeys: [key(1)], totalDelegation: 1n },
      { address: addr(2), blsKeys: [key(1)], totalDelegation: 1n },
    ];
    expect(() => computeElection(dup, { slots: 4, bandBps: 1500 })).toThrow("offered twice");
    expect(() => computeElection([{ address: addr(1), blsKeys: [], totalDelegation: 1n }], { slots: 4, bandBps: 1500 })).toThrow("no BLS keys");
    expect(() => computeElection([], { slots: 0, bandBps: 1500 })).toThrow(RangeError);
  });
});
