// Issue 8 item 3 (unit-level proof of acceptance 3): a peer with no stake races every honest vote to
// the leader with a bad-signature vote claiming just under a quorum. Signature checks take time here
// (verifyMs), as on the node's worker pool, so a leader that booked slots before verification would
// shut the honest votes out and the rounds would fail. Only the forger pays.
import { describe, expect, test } from "bun:test";
import { FORGER_ID } from "./_sim/forger.ts";
import { seedOf, withSim } from "./_sim/scenario.ts";

describe("FBFT under forged votes", () => {
  for (const [nodes, seed] of [[4, 801], [7, 802]] as const) {
    test(`${nodes} validators: 30 heights with a forged vote ahead of each honest one and no view change`, async () => {
      const sim = await withSim({ seed: seedOf(seed), nodes, delayMs: 10, jitterMs: 10, verifyMs: 30, forgeVotes: true }, (sim) => {
        expect(sim.runUntil(() => sim.minHeight() >= 30n, 120_000)).toBe(true);
      });
      expect(sim.forged).toBeGreaterThan(30);
      expect(sim.nodes.map((n) => n.viewChanges)).toEqual(sim.nodes.map(() => 0));
      // Every forged vote that reached a leader in time cost the forger, and nobody else, a penalty.
      const penalties = sim.nodes.flatMap((n) => n.penalties);
      expect(penalties.filter((p) => p.from === FORGER_ID).length).toBeGreaterThan(30);
      expect(penalties.filter((p) => p.from !== FORGER_ID)).toEqual([]);
    }, 60_000);
  }

  test("forged votes under loss and reordering: blocks go on", async () => {
    await withSim({ seed: seedOf(803), nodes: 4, delayMs: 10, jitterMs: 60, lossRate: 0.05, verifyMs: 20, forgeVotes: true }, (sim) => {
      expect(sim.runUntil(() => sim.minHeight() >= 30n, 600_000)).toBe(true);
    });
  }, 60_000);
});
