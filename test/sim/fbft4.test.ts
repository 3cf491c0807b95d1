// Issue 4 acceptance 1: deterministic FBFT simulation with 4 validators (real BLS keys, seeded).
// Invariants (agreement, safety records, persist-before-send) are checked after every step inside
// the simulator; these tests add progress, recovery and evidence expectations.
import { describe, expect, test } from "bun:test";
import { expectRecovery, seedOf, withSim } from "./_sim/scenario.ts";

describe("FBFT, 4 validators", () => {
  test("50 heights under delay, jitter (reordering) and 5% loss", async () => {
    const sim = await withSim({ seed: seedOf(401), nodes: 4, delayMs: 10, jitterMs: 60, lossRate: 0.05 }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 50n, 600_000)).toBe(true);
    });
    expect(sim.commits.byHeight.size).toBeGreaterThanOrEqual(50);
  }, 30_000);

  test("partitions (1|3, then 2|2) and healing: the majority side goes on, all recover within bounded views", async () => {
    await withSim({ seed: seedOf(402), nodes: 4, lossRate: 0.02 }, (sim) => {
      sim.runUntil(() => sim.minHeight() >= 5n, 60_000);
      sim.partition([[2], [0, 1, 3]]);
      const h = sim.maxHeight();
      sim.runFor(20_000);
      expect(sim.maxHeight()).toBeGreaterThan(h + 3n); // 3 of 4 is a quorum
      sim.partition([[0, 1], [2, 3]]);
      const split = sim.maxHeight();
      sim.runFor(20_000);
      expect(sim.maxHeight()).toBeLessThanOrEqual(split + 1n); // no quorum on either side
      sim.heal();
      expectRecovery(sim, 6);
      const target = sim.maxHeight() + 5n;
      expect(sim.runUntil(() => sim.minHeight() >= target, sim.now + 120_000)).toBe(true);
    });
  }, 30_000);

  test("crash and restart from the durable safety record, repeatedly, never signing against it", async () => {
    await withSim({ seed: seedOf(403), nodes: 4, lossRate: 0.02 }, (sim) => {
      for (let i = 0; i < 10; i++) {
        sim.runFor(500 + sim.rng.int(2500));
        const victim = sim.rng.int(4);
        sim.crash(victim);
        sim.runFor(300 + sim.rng.int(3000));
        sim.restart(victim);
      }
      expectRecovery(sim, 6);
    });
  }, 30_000);

  test("a silent validator (1/4 of the power): blocks go on; its turns are skipped once it is absent", async () => {
    const sim = await withSim({ seed: seedOf(404), nodes: 4, silent: [1] }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 30n, 600_000)).toBe(true);
    });
    // It never signs, so after 4 blocks it is absent from the bitmaps and rotation skips it.
    expect(sim.honest.every((n) => n.viewChanges <= 2)).toBe(true);
  }, 30_000);

  test("a double-signing validator: evidence names only it, blocks go on", async () => {
    const sim = await withSim({ seed: seedOf(405), nodes: 4, doubleSign: [2] }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 20n, 600_000)).toBe(true);
    });
    const evidence = sim.nodes.flatMap((n) => n.evidence);
    expect(evidence.length).toBeGreaterThan(0);
    for (const e of evidence) expect(e.slots.map((s) => sim.ownerOf(s))).toEqual([2]);
  }, 30_000);

  test("an equivocating leader (different blocks to different validators) cannot split the chain", async () => {
    await withSim({ seed: seedOf(406), nodes: 4, equivocate: [0], lossRate: 0.02 }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 25n, 600_000)).toBe(true);
    });
  }, 30_000);
});
