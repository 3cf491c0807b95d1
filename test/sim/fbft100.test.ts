// Issue 4 acceptance 1: 100 validators (real BLS keys), a few heights under delay and jitter.
import { describe, expect, test } from "bun:test";
import { seedOf, withSim } from "./_sim/scenario.ts";

describe("FBFT, 100 validators", () => {
  test("5 heights with jitter, 1% loss and 10 silent validators", async () => {
    const sim = await withSim({ seed: seedOf(10001), nodes: 100, jitterMs: 80, lossRate: 0.01, silent: [7, 15, 23, 31, 42, 58, 66, 77, 88, 99] }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 5n, 600_000)).toBe(true);
    });
    const proof = sim.honest[0]?.head.proof;
    expect(proof?.bitmap.length).toBe(13);
  }, 60_000);
});
