// Issue 4 acceptance 1: 16 validators, seeded; partitions, loss and a Byzantine minority.
import { describe, expect, test } from "bun:test";
import { expectRecovery, seedOf, withSim } from "./_sim/scenario.ts";

describe("FBFT, 16 validators", () => {
  test("30 heights with 3% loss and reordering", async () => {
    await withSim({ seed: seedOf(1601), nodes: 16, jitterMs: 50, lossRate: 0.03 }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 30n, 600_000)).toBe(true);
    });
  }, 30_000);

  test("an 8|8 split stops commits; after healing blocks are committed again within bounded views", async () => {
    await withSim({ seed: seedOf(1602), nodes: 16, lossRate: 0.01 }, (sim) => {
      sim.runUntil(() => sim.minHeight() >= 4n, 60_000);
      sim.partition([[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14, 15]]);
      sim.runFor(2_000);
      const h = sim.maxHeight();
      sim.runFor(20_000);
      expect(sim.maxHeight()).toBe(h);
      sim.heal();
      const r = expectRecovery(sim, 6);
      expect(r.views).toBeLessThanOrEqual(6);
      expect(sim.runUntil(() => sim.minHeight() >= h + 6n, sim.now + 60_000)).toBe(true);
    });
  }, 30_000);

  test("Byzantine minority of 5/16 (2 silent, 2 double-signing, 1 equivocating leader)", async () => {
    const sim = await withSim({ seed: seedOf(1603), nodes: 16, silent: [3, 9], doubleSign: [5, 12], equivocate: [0] }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 16n, 600_000)).toBe(true);
    });
    const accused = new Set(sim.nodes.flatMap((n) => n.evidence).flatMap((e) => e.slots.map((s) => sim.ownerOf(s))));
    expect([...accused].every((id) => id === 5 || id === 12)).toBe(true);
    expect(accused.size).toBeGreaterThan(0);
  }, 30_000);
});
