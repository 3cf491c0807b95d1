// DESIGN §Staking rewards: split by effective stake among signers, commission, pro-rata to delegators,
// and no wei created or lost by rounding.
import { describe, expect, test } from "bun:test";
import { DEC_ONE, computeValidatorPayout, computeValidatorRewards, splitProportional } from "../../../src/staking/index.ts";

const sum = (xs: Iterable<bigint>) => [...xs].reduce((a, b) => a + b, 0n);

describe("splitProportional", () => {
  test("worked example: 10 wei over weights 1,1,1 → 4,3,3 (the extra wei to the lowest index on a tie)", () => {
    expect(splitProportional(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
  });
  test("largest remainder gets the leftover wei", () => {
    // 100 × (1, 2, 4) / 7 = 14.28, 28.57, 57.14 → floors 14, 28, 57 (99); the largest remainder is index 1.
    expect(splitProportional(100n, [1n, 2n, 4n])).toEqual([14n, 29n, 57n]);
  });
  test("the shares always add up to the total", () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 200; i++) {
      const weights = Array.from({ length: 1 + (rnd() % 20) }, () => BigInt(rnd()) * 10n ** BigInt(rnd() % 18));
      const total = BigInt(rnd()) * 10n ** 12n + BigInt(rnd() % 1000);
      const shares = splitProportional(total, weights);
      expect(sum(shares)).toBe(total);
      shares.forEach((s) => expect(s >= 0n).toBe(true));
    }
  });
  test("all-zero weights: index 0 takes it all; bad input rejected", () => {
    expect(splitProportional(5n, [0n, 0n])).toEqual([5n, 0n]);
    expect(() => splitProportional(-1n, [1n])).toThrow(RangeError);
    expect(() => splitProportional(1n, [])).toThrow(RangeError);
    expect(() => splitProportional(1n, [1n, -1n])).toThrow(RangeError);
  });
});

describe("block reward among signers", () => {
  test("worked example: by effective stake, keys of one validator added up", () => {
    // 7 tokens; A signs with 2 slots of 300, B with 1 slot of 345, C with 255 → stakes 600, 345, 255 of 1200.
    const T = 10n ** 18n;
    const r = computeValidatorRewards(7n * T, [
      { validator: "0xa", effectiveStake: 300n },
      { validator: "0xb", effectiveStake: 345n },
      { validator: "0xa", effectiveStake: 300n },
      { validator: "0xc", effectiveStake: 255n },
    ]);
    expect(r.get("0xa")).toBe(3_500_000_000_000_000_000n); // 7 × 600/1200
    expect(r.get("0xb")).toBe(2_012_500_000_000_000_000n); // 7 × 345/1200
    expect(r.get("0xc")).toBe(1_487_500_000_000_000_000n); // 7 × 255/1200
    expect(sum(r.values())).toBe(7n * T);
  });
  test("an odd reward: still exact", () => {
    const r = computeValidatorRewards(1001n, [
      { validator: "0xa", effectiveStake: 1n },
      { validator: "0xb", effectiveStake: 1n },
      { validator: "0xc", effectiveStake: 1n },
    ]);
    expect([...r.values()]).toEqual([334n, 334n, 333n]);
  });
  test("no signers: nothing paid", () => expect(computeValidatorRewards(7n, []).size).toBe(0));
});

describe("commission and delegators", () => {
  test("worked example: 10% commission, the rest 3:1", () => {
    // 1000 wei, rate 0.1 → commission 100; 900 split 750:250 → 675, 225.
    const p = computeValidatorPayout(1000n, DEC_ONE / 10n, [
      { delegator: "0xop", amount: 750n },
      { delegator: "0xd1", amount: 250n },
    ]);
    expect(p).toEqual({ commission: 100n, delegators: [675n, 225n] });
  });
  test("rounding: commission rounded down, the leftover wei to delegators, total exact", () => {
    // 101 wei, rate 7% → 7.07 → 7; 94 over 1,1,1 → 32, 31, 31.
    const p = computeValidatorPayout(101n, (DEC_ONE * 7n) / 100n, [
      { delegator: "0xa", amount: 5n },
      { delegator: "0xb", amount: 5n },
      { delegator: "0xc", amount: 5n },
    ]);
    expect(p.commission).toBe(7n);
    expect(p.delegators).toEqual([32n, 31n, 31n]);
    expect(p.commission + sum(p.delegators)).toBe(101n);
  });
  test("100% commission and nothing delegated", () => {
    expect(computeValidatorPayout(50n, DEC_ONE, [{ delegator: "0xa", amount: 1n }])).toEqual({ commission: 50n, delegators: [0n] });
    expect(computeValidatorPayout(50n, 0n, [])).toEqual({ commission: 50n, delegators: [] });
  });
  test("rate outside [0, 100%] rejected", () => {
    expect(() => computeValidatorPayout(1n, DEC_ONE + 1n, [])).toThrow(RangeError);
  });
});
