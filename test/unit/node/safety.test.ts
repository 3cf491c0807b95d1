// The durable safety record file, the fail point after persisting it, and the doppelganger guard
// (DESIGN §Consensus: a node never signs conflicting messages, even after a crash).
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConsensusError, createSafetyRecord, recordCommit, recordPrepare } from "../../../src/consensus/index.ts";
import { createMemorySafetyStore, createSafetyFile, failpointFromEnv } from "../../../src/node/index.ts";
import { findOwnKeysInChain } from "../../../src/node/_doppelgangerScan.ts";
import { type TestNode, startTestNetwork, waitFor } from "./_net.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-safety-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const H = new Uint8Array(32).fill(5);

describe("safety record file", () => {
  test("round-trips, replaces atomically, and refuses a corrupt file", () => {
    const path = join(dir, "a", "safety.rlp");
    const f = createSafetyFile(path);
    expect(f.load()).toBeNull();
    const r1 = recordPrepare(createSafetyRecord(7n, 2n), 7n, 2n, H);
    f.save(r1);
    expect(f.load()).toEqual(r1);
    const r2 = recordCommit(r1, 7n, 2n, { hash: H, blockView: 2n, proof: { block: Uint8Array.of(1, 2), cert: { signature: new Uint8Array(96), bitmap: Uint8Array.of(7) } } });
    f.save(r2);
    expect(createSafetyFile(path).load()).toEqual(r2);
    expect(() => readFileSync(`${path}.tmp`)).toThrow();
    writeFileSync(path, Uint8Array.of(1, 2, 3));
    expect(() => f.load()).toThrow(ConsensusError);
  });

  test("fail point configuration from the environment", () => {
    expect(failpointFromEnv({})).toBeUndefined();
    expect(failpointFromEnv({ HARMONY_FAILPOINT: "after-persist-safety" })).toEqual({ name: "after-persist-safety", height: undefined });
    expect(failpointFromEnv({ HARMONY_FAILPOINT: "after-persist-safety", HARMONY_FAILPOINT_HEIGHT: "12" })).toEqual({ name: "after-persist-safety", height: 12n });
    expect(() => failpointFromEnv({ HARMONY_FAILPOINT: "nope" })).toThrow(RangeError);
    expect(() => failpointFromEnv({ HARMONY_FAILPOINT: "after-persist-safety", HARMONY_FAILPOINT_HEIGHT: "x" })).toThrow(RangeError);
  });

  test("the fail point kills right after the first record of its height and the message it covers", async () => {
    let kills = 0;
    const net = await startTestNetwork();
    try {
      const victim = net.nodes[2]!;
      const safety = createMemorySafetyStore();
      // Restart node 2's driver with the fail point at height 2 and an observable kill.
      await victim.driver.stop();
      victim.down = true;
      const clone = await net.addNode([2], { failpoint: { name: "after-persist-safety", height: 2n }, safety, kill: () => kills++ });
      for (const x of net.nodes) if (!x.down) x.driver.start();
      await waitFor(() => clone.sent.some((s) => s.record?.height === 2n), 15_000, "a signature at height 2");
      await new Promise((r) => setTimeout(r, 200));
      const at2 = clone.sent.filter((s) => s.message.height >= 2n);
      // Exactly one message left after the record of height 2, and it is covered by that record.
      expect(at2.length).toBe(1);
      expect(at2[0]!.record!.height).toBe(2n);
      expect(clone.logs.some((l) => l.msg.startsWith("fail point"))).toBe(true);
      expect(safety.writes).toBeGreaterThan(0);
    } finally {
      await net.stop();
    }
    expect(kills).toBe(1);
  }, 30_000);
});

/** Commit `src`'s blocks with their proofs into `dst` (a node that caught up before it starts). */
async function copyChain(src: TestNode["chain"], dst: TestNode["chain"]): Promise<void> {
  for (let h = 1n; h <= src.head.number; h++) {
    const b = src.getBlockByNumber(h)!;
    const p = src.getCommitProof(b.hash);
    if (p === undefined) break;
    await dst.commitBlock(b, p);
  }
}

describe("doppelganger guard", () => {
  test("blocks committed above our record with our key give another instance away; below it they are ours", async () => {
    const net = await startTestNetwork();
    try {
      for (const x of net.nodes) x.driver.start();
      await waitFor(() => net.nodes.every((x) => x.chain.head.number >= 4n), 15_000, "4 blocks");
      const chain = net.nodes[1]!.chain;
      // Slot 0 signed (almost) every block; with a record at the head nothing is above it.
      const at = (h: bigint) => createSafetyRecord(h, 0n);
      expect(findOwnKeysInChain(chain, { record: at(chain.head.number), ownSlotsAt: () => ({ mySlots: [0], committee: { size: 4 } }) })).toBeUndefined();
      const signedBySlot = (slot: number) => {
        for (let h = 1n; h < chain.head.number; h++) if (((chain.getHeaderByNumber(h + 1n)!.lastCommitBitmap[0] ?? 0) >> slot) & 1) return true;
        return false;
      };
      const slot = [0, 1, 2, 3].find(signedBySlot)!;
      expect(findOwnKeysInChain(chain, { record: at(0n), ownSlotsAt: () => ({ mySlots: [slot], committee: { size: 4 } }) })).toContain("while we were down");
      // Without a record (a new data dir) nothing can be told apart.
      expect(findOwnKeysInChain(chain, { record: null, ownSlotsAt: () => ({ mySlots: [slot], committee: { size: 4 } }) })).toBeUndefined();
    } finally {
      await net.stop();
    }
  }, 30_000);

  test("a node restored from an old data dir refuses while its keys sign elsewhere, and signs again once a window of blocks shows no other instance", async () => {
    const net = await startTestNetwork();
    try {
      for (const x of net.nodes) x.driver.start();
      await waitFor(() => net.nodes.every((x) => x.chain.head.number >= 4n), 15_000, "4 blocks");
      // The original instance of slot 1 is gone for good; its copy comes back with a record of height 1.
      const original = net.nodes[1]!;
      original.down = true;
      await original.driver.stop();
      const copy = await net.addNode([1], { safety: createMemorySafetyStore(createSafetyRecord(1n, 0n)), doppelgangerClearBlocks: 5, doppelgangerViews: 1, takeOver: true });
      const src = net.nodes[0]!.chain;
      await copyChain(src, copy.chain);
      copy.driver.start();
      expect(copy.driver.status().doppelganger).toBe("detected");
      expect(copy.logs.some((l) => l.msg.startsWith("DOPPELGANGER"))).toBe(true);
      const liftedAt = () => copy.logs.findIndex((l) => l.msg.startsWith("no other instance of our keys"));
      await waitFor(() => liftedAt() >= 0, 30_000, "the refusal lifted");
      // Signing again: a COMMIT for a block above the head it had when the refusal was lifted.
      const from = copy.chain.head.number;
      await waitFor(() => copy.sent.some((x) => x.message.kind === "commit" && x.message.height > from), 30_000, "slot 1 signing again");
      expect(copy.driver.status().doppelganger).not.toBe("detected");
    } finally {
      await net.stop();
    }
  }, 60_000);

  test("the start-up scan's refusal stays while the other instance keeps signing", async () => {
    const net = await startTestNetwork();
    try {
      for (const x of net.nodes) x.driver.start();
      await waitFor(() => net.nodes.every((x) => x.chain.head.number >= 4n), 15_000, "4 blocks");
      const copy = await net.addNode([1], { safety: createMemorySafetyStore(createSafetyRecord(1n, 0n)), doppelgangerClearBlocks: 12 });
      const src = net.nodes[0]!.chain;
      await copyChain(src, copy.chain);
      copy.driver.start();
      const start = src.head.number;
      await waitFor(() => src.head.number >= start + 24n, 30_000, "24 more blocks");
      expect(copy.logs.some((l) => l.msg.startsWith("no other instance of our keys"))).toBe(false);
      expect(copy.sent.filter((x) => x.message.kind === "prepare" || x.message.kind === "commit").length).toBe(0);
    } finally {
      await net.stop();
    }
  }, 60_000);

  test("a second instance of a running validator's key detects it and never signs", async () => {
    const net = await startTestNetwork();
    try {
      for (const x of net.nodes) x.driver.start();
      await waitFor(() => net.nodes.every((x) => x.chain.head.number >= 2n), 15_000, "2 blocks");
      const clone = await net.addNode([0], { doppelgangerViews: 3 });
      const src0 = net.nodes[1]!.chain;
      // The clone starts from a synced chain (as a node does after catching up).
      const src = src0;
      await copyChain(src, clone.chain);
      clone.driver.start();
      expect(clone.driver.status().mode).toBe("listening");
      await waitFor(() => clone.driver.status().doppelganger === "detected", 15_000, "detection");
      await new Promise((r) => setTimeout(r, 500));
      expect(clone.sent.filter((s) => s.message.kind !== "announce").length).toBe(0);
      expect(clone.sent.length).toBe(0);
      expect(clone.driver.status().isLeader).toBe(false);
      expect(clone.logs.some((l) => l.level === "error" && l.msg.startsWith("DOPPELGANGER"))).toBe(true);
      expect(clone.driver.status().mode).toBe("listening");
    } finally {
      await net.stop();
    }
  }, 30_000);
});
