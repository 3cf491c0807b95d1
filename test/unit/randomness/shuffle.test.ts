// DESIGN §Sharding: the elected slots are shuffled with the epoch randomness. Fisher–Yates driven by
// the keccak counter stream keccak256(seed ‖ i u64 BE), indices by rejection sampling. Checked: a
// permutation, deterministic, equal to an independent re-implementation of the documented rule,
// roughly uniform (chi-square over all 120 orders of 5 slots with fixed seeds), no modulo bias.
import { describe, expect, test } from "bun:test";
import { keccak256 } from "../../../src/crypto/index.ts";
import { concatBytes } from "../../../src/util/bytes.ts";
import { createKeccakStream } from "../../../src/randomness/_keccakStream.ts";
import { shuffleCommittee, shuffleSeed } from "../../../src/randomness/index.ts";

const u64 = (v: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v));
  return b;
};
const seedOf = (i: number) => shuffleSeed(keccak256(u64(i)), 1n);

// The rule as written in shuffle.ts, re-implemented with BigInt words.
function oracleShuffle<T>(slots: readonly T[], seed: Uint8Array): T[] {
  const out = slots.slice();
  const words: bigint[] = [];
  let counter = 0;
  const next = (): bigint => {
    if (words.length === 0) {
      const b = keccak256(concatBytes(seed, u64(counter++)));
      for (let w = 0; w < 8; w++) words.push(BigInt(`0x${Buffer.from(b.subarray(4 * w, 4 * w + 4)).toString("hex")}`));
    }
    return words.shift() as bigint;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const bound = BigInt(i + 1);
    const limit = (1n << 32n) - ((1n << 32n) % bound);
    let x = next();
    while (x >= limit) x = next();
    const j = Number(x % bound);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("shuffleSeed", () => {
  test("keccak256(\"harmony-ts/shuffle\" ‖ randomness ‖ epoch u64 BE)", () => {
    const rnd = keccak256(new Uint8Array([7]));
    expect(shuffleSeed(rnd, 3n)).toEqual(keccak256(concatBytes(new TextEncoder().encode("harmony-ts/shuffle"), rnd, u64(3))));
    expect(shuffleSeed(rnd, 4n)).not.toEqual(shuffleSeed(rnd, 3n));
    expect(() => shuffleSeed(rnd.subarray(1), 3n)).toThrow(RangeError);
  });
});

describe("shuffleCommittee", () => {
  const slots = Array.from({ length: 100 }, (_, i) => `key${i}`);

  test("a permutation of the input, which is left unchanged", () => {
    const copy = slots.slice();
    const out = shuffleCommittee(slots, seedOf(1));
    expect(slots).toEqual(copy);
    expect(out).not.toEqual(slots);
    expect(out.slice().sort()).toEqual(slots.slice().sort());
    expect(shuffleCommittee([], seedOf(1))).toEqual([]);
    expect(shuffleCommittee(["only"], seedOf(1))).toEqual(["only"]);
  });

  test("deterministic, seed-sensitive, and equal to the re-implemented rule", () => {
    expect(shuffleCommittee(slots, seedOf(2))).toEqual(shuffleCommittee(slots, seedOf(2)));
    expect(shuffleCommittee(slots, seedOf(3))).not.toEqual(shuffleCommittee(slots, seedOf(2)));
    for (let i = 0; i < 20; i++) expect(shuffleCommittee(slots, seedOf(i))).toEqual(oracleShuffle(slots, seedOf(i)));
  });

  test("roughly uniform: chi-square over the 120 orders of 5 slots, 12,000 fixed seeds", () => {
    const counts = new Map<string, number>();
    const N = 12_000;
    for (let i = 0; i < N; i++) {
      const k = shuffleCommittee([0, 1, 2, 3, 4], seedOf(i)).join("");
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(120);
    const expected = N / 120;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    // 119 degrees of freedom: the 0.1% upper critical value is ≈ 173.
    expect(chi2).toBeLessThan(173);
  });

  test("every slot lands in every position about equally (n = 10, 5,000 seeds)", () => {
    const n = 10;
    const N = 5_000;
    const pos = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < N; i++) {
      shuffleCommittee([...Array(n).keys()], seedOf(100_000 + i)).forEach((slot, p) => {
        (pos[slot] as number[])[p] = ((pos[slot] as number[])[p] ?? 0) + 1;
      });
    }
    let chi2 = 0;
    for (const row of pos) for (const c of row) chi2 += (c - N / n) ** 2 / (N / n);
    // (n−1)^2 = 81 degrees of freedom: the 0.1% upper critical value is ≈ 124.
    expect(chi2).toBeLessThan(124);
  });
});

describe("keccak stream", () => {
  test("nextBelow rejects instead of reducing modulo (no bias for bound = 3·2^30)", () => {
    // With a plain modulo, values below 2^30 would come up half the time instead of a third.
    const s = createKeccakStream(seedOf(7));
    const bound = 3 * 2 ** 30;
    let low = 0;
    const N = 30_000;
    for (let i = 0; i < N; i++) if (s.nextBelow(bound) < 2 ** 30) low++;
    expect(Math.abs(low / N - 1 / 3)).toBeLessThan(0.015);
    expect(() => s.nextBelow(0)).toThrow(RangeError);
    expect(() => s.nextBelow(2 ** 32 + 1)).toThrow(RangeError);
    expect(createKeccakStream(seedOf(1)).nextBelow(1)).toBe(0);
  });
});
