// Multi-key nodes (DESIGN §Consensus, issue 4): one node holds several keys and votes with all of
// them in one aggregated message; a failed multi-key leader costs one view, not one per key.
import { describe, expect, test } from "bun:test";
import { seedOf, withSim } from "./_sim/scenario.ts";

describe("FBFT with multi-key nodes", () => {
  test("16 keys on 4 nodes (6,4,3,3): blocks with full bitmaps from 4 votes per phase", async () => {
    const sim = await withSim({ seed: seedOf(501), keysPerNode: [6, 4, 3, 3], jitterMs: 40 }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 20n, 600_000)).toBe(true);
    });
    const bitmaps = sim.honest[1]?.chain.slice(1).map((e) => e.proof?.bitmap) ?? [];
    expect(bitmaps.length).toBeGreaterThanOrEqual(20);
    // Every commit certificate is a union of whole nodes' key sets.
    for (const b of bitmaps) expect([0xff, 0xfc, 0x3f, 0xc7, 0xf8, 0x07, 0xc0, 0x38]).toContain((b as Uint8Array)[0] as number);
    // One message per node and phase: the delivered count stays O(nodes), not O(keys).
    expect(sim.delivered / 20).toBeLessThan(4 * 5);
  }, 30_000);

  test("a silent node with 4 of 16 keys: one timeout skips all of its consecutive keys", async () => {
    const sim = await withSim({ seed: seedOf(502), keysPerNode: [4, 4, 4, 4], silent: [0], blocksPerLeader: null }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 10n, 600_000)).toBe(true);
    });
    // View 0 (slot 0, silent node) fails once; the next view is 4 (slot 4), not 1, 2, 3.
    for (const n of sim.honest) {
      expect(n.viewChanges).toBe(1);
      expect(n.state.view).toBe(4n);
    }
  }, 30_000);
});
