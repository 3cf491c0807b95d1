// Issue 4 doppelganger guard: a validator started with its keys already signing elsewhere listens
// first, sees its keys in certificates its record does not account for, and never signs.
import { describe, expect, test } from "bun:test";
import type { SimNode } from "./_sim/node.ts";
import { seedOf, withSim } from "./_sim/scenario.ts";

describe("doppelganger guard", () => {
  test("a second process with node 1's key detects it while listening and never signs", async () => {
    const sim = await withSim({ seed: seedOf(601), nodes: 4, clones: [1] }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 12n, 600_000)).toBe(true);
    });
    const clone = sim.nodes[4] as SimNode;
    expect(clone.doppelganger).toEqual([1]);
    expect(clone.disk).toBeNull(); // nothing ever recorded, so nothing ever signed
    expect(clone.height).toBeGreaterThanOrEqual(12n); // it still follows the chain
    expect(sim.nodes.slice(0, 4).every((n) => n.doppelganger === null)).toBe(true);
  }, 30_000);

  test("a validator restarted with a listening period raises no false alarm and signs again", async () => {
    const sim = await withSim({ seed: seedOf(602), nodes: 4, lossRate: 0.02 }, (sim) => {
      sim.runUntil(() => sim.minHeight() >= 5n, 60_000);
      sim.crash(2);
      sim.runFor(1_500);
      sim.restart(2, 2);
      const from = sim.maxHeight();
      expect(sim.runUntil(() => sim.minHeight() >= from + 8n, sim.now + 120_000)).toBe(true);
    });
    const n2 = sim.nodes[2] as SimNode;
    expect(n2.doppelganger).toBeNull();
    const last = n2.chain[n2.chain.length - 1]?.proof?.bitmap as Uint8Array;
    const signedRecently = n2.chain.slice(-4).some((e) => ((e.proof?.bitmap[0] ?? 0) & 0b100) !== 0);
    expect(last).toBeDefined();
    expect(signedRecently).toBe(true);
  }, 30_000);
});
