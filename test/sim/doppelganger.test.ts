// Issue 4 doppelganger guard: a validator started with its keys already signing elsewhere listens
// first, sees its keys in certificates its record does not account for, and never signs.
import { describe, expect, test } from "bun:test";
import type { SimNode } from "./_sim/node.ts";
import { ListenNet } from "./_sim/listenNet.ts";
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

// Issue 8 item 7: a whole-network restart ends the listening early through signed announcements
// (src/node/listenQuorum.ts), and a real doppelganger still never gets to sign.
describe("restart quorum (listening announcements)", () => {
  test("a whole 4-validator network restarting at once stops listening after the settle time, long before two view timeouts", async () => {
    const net = await ListenNet.create(4, seedOf(701));
    for (let i = 0; i < 4; i++) net.add([i], true);
    await net.runUntil(6_000);
    for (const p of net.procs) {
      expect(p.doppelganger).toBeNull();
      expect(p.endedAt).not.toBeNull();
      expect(p.endedAt as number).toBeGreaterThanOrEqual(1_500);
      expect(p.endedAt as number).toBeLessThan(2_500);
    }
  }, 30_000);

  test("a validator restarting alone among signing validators gets no quorum and keeps its listening rounds", async () => {
    const net = await ListenNet.create(4, seedOf(702));
    for (let i = 0; i < 3; i++) net.add([i], false);
    const restarted = net.add([3], true);
    await net.runUntil(10_000);
    expect(restarted.endedAt).toBeNull();
    expect(restarted.listening).toBe(true);
    expect(net.procs.every((p) => p.doppelganger === null)).toBe(true);
  }, 30_000);

  test("a signing validator whose key a restarted process announces stops signing; the restarted one gets no quorum", async () => {
    const net = await ListenNet.create(4, seedOf(703));
    const original = net.add([1], false);
    for (const i of [0, 2, 3]) net.add([i], true);
    const clone = net.add([1], true);
    await net.runUntil(10_000);
    expect(original.doppelganger).not.toBeNull();
    // Without the original's echoes only 2 of 4 slots are listening: no quorum.
    expect(clone.endedAt).toBeNull();
  }, 30_000);

  for (const seed of [704, 705, 706, 707, 708]) {
    test(`two restarted processes with one key never both end listening, and both see each other (seed ${seed})`, async () => {
      const net = await ListenNet.create(7, seedOf(seed), 200);
      for (let i = 0; i < 7; i++) net.add([i], true);
      const clone = net.add([2], true);
      const first = net.procs[2];
      await net.runUntil(10_000);
      const ended = [first, clone].filter((p) => p?.endedAt !== null);
      expect(ended.length).toBeLessThanOrEqual(1);
      expect(first?.doppelganger).not.toBeNull();
      expect(clone.doppelganger).not.toBeNull();
      // Everyone else still restarts quickly.
      for (const p of net.procs.filter((q) => !q.slots.includes(2))) expect(p.endedAt).not.toBeNull();
    }, 30_000);
  }
});

describe("restart quorum: quorum intersection", () => {
  for (const seed of [711, 712, 713, 714, 715, 716]) {
    test(`two restarted processes with one key that cannot hear each other directly never both end listening (seed ${seed})`, async () => {
      const net = await ListenNet.create(7, seedOf(seed), 300);
      for (let i = 0; i < 7; i++) net.add([i], true);
      const clone = net.add([4], true);
      net.cut(4, clone.id);
      await net.runUntil(10_000);
      const both = [net.procs[4], clone];
      expect(both.filter((p) => p?.endedAt !== null).length).toBeLessThanOrEqual(1);
      // Only the echoes of the others tell them apart, and every honest echo soon names both nonces.
      for (const p of net.procs.filter((q) => !q.slots.includes(4))) expect(p.endedAt).not.toBeNull();
    }, 30_000);
  }
});
