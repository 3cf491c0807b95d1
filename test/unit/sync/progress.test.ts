// Sync progress arithmetic with worked numbers: rate over a window of samples, ETA, and the line.
import { describe, expect, test } from "bun:test";
import { ProgressMeter } from "../../../src/sync/_progress.ts";
import { etaOf, formatEta, formatProgress, rateOf, syncProgress } from "../../../src/sync/index.ts";

describe("sync progress", () => {
  test("rate is blocks over seconds between the first and last sample", () => {
    // 100 → 600 in 4 s: 125 blocks/s.
    expect(rateOf([{ t: 1_000, n: 100n }, { t: 3_000, n: 350n }, { t: 5_000, n: 600n }])).toBe(125);
    expect(rateOf([{ t: 1_000, n: 100n }])).toBe(0);
    expect(rateOf([])).toBe(0);
    // Same instant or a head that went back: no rate rather than Infinity or a negative one.
    expect(rateOf([{ t: 1_000, n: 100n }, { t: 1_000, n: 200n }])).toBe(0);
    expect(rateOf([{ t: 1_000, n: 200n }, { t: 2_000, n: 150n }])).toBe(0);
  });

  test("ETA is the remaining blocks at that rate", () => {
    expect(etaOf(600n, 5_600n, 125)).toBe(40);
    expect(etaOf(600n, 600n, 0)).toBe(0);
    expect(etaOf(700n, 600n, 10)).toBe(0);
    expect(etaOf(600n, 700n, 0)).toBeUndefined();
  });

  test("syncProgress combines them: done/total from the run's start", () => {
    const p = syncProgress(100n, 600n, 5_600n, [{ t: 0, n: 100n }, { t: 4_000, n: 600n }]);
    expect(p).toEqual({ done: 500n, total: 5_500n, currentBlock: 600n, highestBlock: 5_600n, blocksPerSecond: 125, etaSeconds: 40 });
    expect(formatProgress(p)).toBe("sync 500/5500 blocks (9.0%) head 600/5600 · 125.0 blk/s · ETA 40s");
  });

  test("ETA formatting", () => {
    expect(formatEta(undefined)).toBe("?");
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe("?");
    expect(formatEta(42.4)).toBe("42s");
    expect(formatEta(187)).toBe("3m07s");
    expect(formatEta(7_500)).toBe("2h05m");
  });

  test("the meter keeps about the last 5 s of samples", () => {
    let now = 0;
    const m = new ProgressMeter({ now: () => now });
    m.reset(0n);
    // 10 blocks/s for 10 s, then 50 blocks/s for 5 s: the window sees only the fast part.
    for (let s = 1; s <= 10; s++) {
      now = s * 1_000;
      m.record(BigInt(s * 10));
    }
    for (let s = 11; s <= 15; s++) {
      now = s * 1_000;
      m.record(100n + BigInt((s - 10) * 50));
    }
    expect(m.rate()).toBe(50);
    expect(m.eta(350n, 850n)).toBe(10);
  });
});
