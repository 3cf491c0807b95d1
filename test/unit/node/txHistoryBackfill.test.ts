// The background indexing of --rpc-tx-history (src/node/txHistoryBackfill.ts): on a store whose
// blocks were committed without the index it indexes them in bounded ticks while blocks keep coming,
// stops by itself when complete, stops at once when asked, and retries a failed step.
import { describe, expect, test } from "bun:test";
import { Chain } from "../../../src/chain/index.ts";
import { createDevGenesis } from "../../../src/core/index.ts";
import { startTxHistoryBackfill } from "../../../src/node/txHistoryBackfill.ts";
import { type KVStore, openStore } from "../../../src/store/index.ts";
import { addrs, produce, tx } from "../chain/_helpers.ts";
import { createMemoryLogger } from "../rpc/_harness.ts";

const open = (kv: KVStore, txHistory: boolean) => Chain.open(kv, { genesis: createDevGenesis(), senderPool: null, txHistory });

async function storeWithBlocks(n: number, kv: KVStore = openStore(":memory:")): Promise<KVStore> {
  const chain = await open(kv, false);
  for (let i = 0n; i < BigInt(n); i++) await produce(chain, [tx(0, i, { to: addrs[1], value: 1n })]);
  await chain.close();
  return kv;
}

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await Bun.sleep(5);
  }
}

describe("txHistory backfill", () => {
  test("indexes the older blocks one bounded step per tick, alongside new blocks, then stops", async () => {
    const chain = await open(await storeWithBlocks(6), true);
    const h = chain.addressHistory!;
    const logs: { level: string; msg: string }[] = [];
    let steps = 0;
    const backfill = h.backfill.bind(h);
    h.backfill = (l) => {
      steps++;
      return backfill(l);
    };
    const stop = startTxHistoryBackfill(h, createMemoryLogger(logs), { limits: { maxBlocks: 2, maxEntries: 100 }, intervalMs: 1 });
    await produce(chain, [tx(0, 6n, { to: addrs[1], value: 1n })]);
    await until(() => h.progress().complete);
    expect(steps).toBe(3);
    expect(h.progress()).toEqual({ complete: true, indexedBlocks: 7n, headBlock: 7n });
    expect(h.count(addrs[1]!, "RECEIVED")).toBe(7);
    await Bun.sleep(20);
    expect(steps).toBe(3);
    expect(logs.map((l) => l.msg)).toEqual(["indexing the transaction history of older blocks", "transaction history indexed"]);
    stop();
  });

  test("stop halts it before the next step; a complete index starts nothing", async () => {
    const kv = await storeWithBlocks(3);
    const chain = await open(kv, true);
    const stop = startTxHistoryBackfill(chain.addressHistory!, createMemoryLogger(), { limits: { maxBlocks: 1, maxEntries: 100 } });
    stop();
    await Bun.sleep(20);
    expect(chain.addressHistory!.progress()).toMatchObject({ complete: false, indexedBlocks: 0n });
    const fresh = await open(openStore(":memory:"), true);
    const logs: { level: string; msg: string }[] = [];
    startTxHistoryBackfill(fresh.addressHistory!, createMemoryLogger(logs))();
    expect(logs).toEqual([]);
  });

  test("a failed step is logged and retried", async () => {
    const chain = await open(await storeWithBlocks(2), true);
    const h = chain.addressHistory!;
    const backfill = h.backfill.bind(h);
    let failures = 1;
    h.backfill = (l) => {
      if (failures-- > 0) throw new Error("disk busy");
      return backfill(l);
    };
    const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    const stop = startTxHistoryBackfill(h, createMemoryLogger(logs), { retryMs: 10 });
    await until(() => h.progress().complete);
    stop();
    expect(logs.find((l) => l.level === "error")).toMatchObject({ msg: "transaction history indexing failed; retrying", fields: { error: "disk busy" } });
  });
});
