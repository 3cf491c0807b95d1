// Which shards a validator runs: the beacon, its home shard, and the shards its keys are dealt to in
// the beacon's latest settled epoch or the one before; opened as the beacon deals them, closed after.
import { describe, expect, test } from "bun:test";
import type { ShardState } from "../../../src/core/index.ts";
import { dealtShards, startDealtSides, wantedShards } from "../../../src/node/dealtShards.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";
import { memoryLogger } from "../p2p/_harness.ts";

const key = (b: number) => new Uint8Array(48).fill(b);
const ours = key(7);
const slot = (k: Uint8Array) => ({ blsKey: k, validator: new Uint8Array(20), effectiveStake: 1n });
// Epoch e deals our key to shard e % 4.
const stateAt = (e: bigint): ShardState => ({
  epoch: e,
  shards: [0, 1, 2, 3].map((s) => ({ shardId: s, slots: [slot(key(s + 1)), ...(BigInt(s) === e % 4n ? [slot(ours)] : [])] })),
});

describe("dealt shards", () => {
  test("the shards whose committee holds one of our keys; wanted = beacon + home + dealt now or in the epoch before", () => {
    const keys = new Set([bytesToHex(ours)]);
    expect([...dealtShards([stateAt(2n)], keys)]).toEqual([2]);
    expect([...wantedShards({ home: 1, keys, settled: 3n, shardStateAt: stateAt })].sort()).toEqual([0, 1, 2, 3]);
    expect([...wantedShards({ home: 1, keys, settled: 5n, shardStateAt: stateAt })].sort()).toEqual([0, 1]);
    expect([...wantedShards({ home: 2, keys, settled: 0n, shardStateAt: stateAt })].sort()).toEqual([0, 2]);
  });

  test("sides open as the beacon deals our keys and close when no epoch in reach deals them there", async () => {
    let settled = 2n;
    const heads = new Set<() => void>();
    const running = new Set([0, 1]);
    const log: string[] = [];
    const stop = startDealtSides({ home: 1, keys: [ours] }, {
      beacon: { settledEpoch: () => settled, shardStateAt: stateAt, onHead: (fn) => (heads.add(fn), () => heads.delete(fn)) },
      running: () => running,
      open: async (s) => void (running.add(s), log.push(`open ${s}`)),
      close: async (s) => void (running.delete(s), log.push(`close ${s}`)),
      logger: memoryLogger(),
    });
    const head = async (e: bigint) => {
      settled = e;
      for (const f of heads) f();
      await Bun.sleep(10);
    };
    await Bun.sleep(10);
    expect(log).toEqual(["open 2"]); // epoch 2 deals shard 2 (epoch 1: shard 1, home)
    await head(3n);
    expect(log).toEqual(["open 2", "open 3"]);
    await head(4n); // epochs 3, 4 deal shards 3 and 0: shard 2 closes, home and beacon stay
    expect(log).toEqual(["open 2", "open 3", "close 2"]);
    await head(6n); // epochs 5, 6 deal shards 1 (home) and 2
    expect(log).toEqual(["open 2", "open 3", "close 2", "open 2", "close 3"]);
    await stop();
    await head(7n);
    expect(log.length).toBe(5);
  });
});
