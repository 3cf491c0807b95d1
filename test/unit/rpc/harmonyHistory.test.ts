// Harmony's transaction history (an explorer node's: --rpc-tx-history) on real dev chains over
// JSON-RPC: hmy_/hmyv2_getTransactionsHistory ({ transactions: hashes | Harmony's transaction JSON }),
// paging (default 100, at most 1000), ASC/DESC, SENT/RECEIVED/ALL, 0x and one1 addresses,
// getTransactionsCount, -32602 for bad params, "explorer service not started" without the index and
// "explorer db not ready" while older blocks are still being indexed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateAddress } from "@ethereumjs/util";
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import { Chain } from "../../../src/chain/index.ts";
import { createDevGenesis } from "../../../src/core/index.ts";
import { addressToBech32 } from "../../../src/crypto/bech32.ts";
import { createRpcBackend } from "../../../src/node/index.ts";
import { createRPCServer } from "../../../src/rpc/index.ts";
import { type KVStore, openStore } from "../../../src/store/index.ts";
import { createTxPool } from "../../../src/txpool/index.ts";
import { hexToBytes } from "../../../src/util/index.ts";
import { GWEI, addrs, produce, tx } from "../chain/_helpers.ts";
import { createMemoryLogger } from "./_harness.ts";

type Rpc = (method: string, params?: unknown[]) => Promise<{ result?: any; error?: { code: number; message: string }; text: string }>;

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
const a = (i: number) => addrs[i] as Uint8Array;
const DEPLOY = hexToBytes("0x6001600c60003960016000f300");
const stops: (() => Promise<void>)[] = [];

const open = (kv: KVStore, txHistory: boolean) => Chain.open(kv, { genesis: createDevGenesis(), senderPool: null, txHistory });

async function serve(chain: Chain): Promise<Rpc> {
  const pool = createTxPool(
    { chainId: 31337n, minGasPrice: GWEI, blockGasLimit: 30_000_000n },
    { state: { getNonce: (x) => chain.stateAt().getNonce(x), getBalance: (x) => chain.stateAt().getBalance(x), nextBaseFee: () => chain.config.nextBaseFee(chain.head) } },
  );
  const backend = createRpcBackend(chain, pool, { peerCount: () => 0, syncStatus: () => ({ syncing: false, startingBlock: 0n, currentBlock: 0n, highestBlock: 0n }) });
  const server = await createRPCServer({ host: "127.0.0.1", port: 0 }, { backend, adapter: await getRuntimeAdapter(), logger: createMemoryLogger() });
  stops.push(() => server.stop());
  return async (method, params = []) => {
    const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    const text = await res.text();
    return { ...JSON.parse(text), text };
  };
}

let rpc: Rpc;
let plainRpc: Rpc;
/** Block 1: 0→1, 1→2, 3→3, 0 creates a contract; blocks 2 and 3: 105 transfers 4→5. */
let h: { t01: string; t12: string; t33: string; create: string; created: Uint8Array; t45: string[] };

beforeAll(async () => {
  const chain = await open(openStore(":memory:"), true);
  const b1 = await produce(chain, [tx(0, 0n, { to: a(1), value: 1n }), tx(1, 0n, { to: a(2), value: 2n }), tx(3, 0n, { to: a(3), value: 3n }), tx(0, 1n, { data: DEPLOY, gasLimit: 100_000n })]);
  const t45: string[] = [];
  for (const [from, to] of [[0, 55], [55, 105]] as const) {
    const b = await produce(chain, Array.from({ length: to - from }, (_, i) => tx(4, BigInt(from + i), { to: a(5), value: 5n })));
    t45.push(...b.block.transactions.map((t) => hex(t.hash())));
  }
  expect(t45).toHaveLength(105);
  const [t01, t12, t33, create] = b1.block.transactions.map((t) => hex(t.hash())) as [string, string, string, string];
  h = { t01, t12, t33, create, created: generateAddress(a(0), Uint8Array.of(1)), t45 };
  rpc = await serve(chain);
  plainRpc = await serve(await open(openStore(":memory:"), false));
});
afterAll(async () => {
  for (const s of stops) await s();
});

const history = (ns: "hmy" | "hmyv2", args: Record<string, unknown>) => rpc(`${ns}_getTransactionsHistory`, [args]);

describe("getTransactionsHistory", () => {
  test("hashes, oldest first by default, the same in both namespaces and for 0x and one1 addresses", async () => {
    const want = { transactions: [h.t01, h.create] };
    expect((await history("hmy", { address: hex(a(0)) })).result).toEqual(want);
    expect((await history("hmyv2", { address: addressToBech32(a(0)) })).result).toEqual(want);
    expect((await history("hmyv2", { address: hex(a(1)), order: "DESC" })).result).toEqual({ transactions: [h.t12, h.t01] });
    expect((await history("hmyv2", { address: hex(h.created) })).result).toEqual({ transactions: [h.create] });
    expect((await history("hmy", { address: hex(a(9)) })).result).toEqual({ transactions: [] });
  });

  test("txType: SENT, RECEIVED, ALL (a transfer to oneself is both, listed once)", async () => {
    const of = async (address: Uint8Array, txType: string) => (await history("hmyv2", { address: hex(address), txType })).result.transactions;
    expect(await of(a(1), "SENT")).toEqual([h.t12]);
    expect(await of(a(1), "RECEIVED")).toEqual([h.t01]);
    expect(await of(a(1), "ALL")).toEqual([h.t01, h.t12]);
    expect(await of(a(1), "")).toEqual([h.t01, h.t12]);
    expect(await of(a(3), "SENT")).toEqual([h.t33]);
    expect(await of(a(3), "RECEIVED")).toEqual([h.t33]);
    expect(await of(a(3), "ALL")).toEqual([h.t33]);
    expect(await of(a(0), "RECEIVED")).toEqual([]);
  });

  test("paging: 100 by default, pageIndex × pageSize skipped, in either order", async () => {
    const page = async (o: Record<string, unknown>) => (await history("hmy", { address: addressToBech32(a(5)), ...o })).result.transactions as string[];
    expect(await page({})).toEqual(h.t45.slice(0, 100));
    expect(await page({ pageIndex: 1 })).toEqual(h.t45.slice(100));
    expect(await page({ pageIndex: 2 })).toEqual([]);
    expect(await page({ pageSize: 10, pageIndex: 3 })).toEqual(h.t45.slice(30, 40));
    expect(await page({ pageSize: 0 })).toEqual(h.t45.slice(0, 100));
    expect(await page({ pageSize: 1000 })).toEqual(h.t45);
    expect(await page({ pageSize: 4, order: "DESC" })).toEqual(h.t45.slice(-4).reverse());
    expect(await page({ pageSize: 4, pageIndex: 26, order: "DESC" })).toEqual([h.t45[0] as string]);
    expect(await page({ pageSize: 7, pageIndex: 4, txType: "SENT" })).toEqual([]);
  });

  test("fullTx: each namespace's transaction JSON, as its getTransactionByHash answers", async () => {
    for (const ns of ["hmy", "hmyv2"] as const) {
      const r = await history(ns, { address: hex(a(0)), fullTx: true, order: "DESC" });
      const byHash = await Promise.all([h.create, h.t01].map(async (x) => (await rpc(`${ns}_getTransactionByHash`, [x])).result));
      expect(r.result).toEqual({ transactions: byHash });
    }
    const v2 = await history("hmyv2", { address: hex(a(1)), fullTx: true, pageSize: 1 });
    expect(v2.result.transactions[0]).toMatchObject({ hash: h.t01, blockNumber: 1, transactionIndex: 0, from: addressToBech32(a(0)), to: addressToBech32(a(1)), value: 1 });
    const v1 = await history("hmy", { address: hex(a(1)), fullTx: true, pageSize: 1 });
    expect(v1.result.transactions[0]).toMatchObject({ hash: h.t01, blockNumber: "0x1", transactionIndex: "0x0", value: "0x1" });
  });
});

describe("getTransactionsCount", () => {
  test("a JSON number in both namespaces, per type", async () => {
    expect((await rpc("hmy_getTransactionsCount", [hex(a(5)), "ALL"])).text).toContain('"result":105');
    expect((await rpc("hmyv2_getTransactionsCount", [addressToBech32(a(5)), "RECEIVED"])).result).toBe(105);
    expect((await rpc("hmyv2_getTransactionsCount", [hex(a(5)), "SENT"])).result).toBe(0);
    expect((await rpc("hmyv2_getTransactionsCount", [hex(a(3)), "SENT"])).result).toBe(1);
    expect((await rpc("hmy_getTransactionsCount", [hex(a(0))])).result).toBe(2);
    expect((await rpc("hmy_getTransactionsCount", [hex(a(9)), ""])).result).toBe(0);
  });
});

describe("errors", () => {
  test("bad params are -32602", async () => {
    const addr = hex(a(0));
    const bad: [string, unknown[]][] = [
      ["hmyv2_getTransactionsHistory", []],
      ["hmyv2_getTransactionsHistory", [addr]],
      ["hmy_getTransactionsHistory", [{}]],
      ["hmy_getTransactionsHistory", [{ address: "0x12" }]],
      ["hmy_getTransactionsHistory", [{ address: "one1xyz" }]],
      ["hmyv2_getTransactionsHistory", [{ address: addr, pageSize: 1001 }]],
      ["hmyv2_getTransactionsHistory", [{ address: addr, pageSize: -1 }]],
      ["hmyv2_getTransactionsHistory", [{ address: addr, pageIndex: "1" }]],
      ["hmyv2_getTransactionsHistory", [{ address: addr, pageIndex: 1.5 }]],
      ["hmyv2_getTransactionsHistory", [{ address: addr, pageIndex: 2 ** 32 }]],
      ["hmyv2_getTransactionsHistory", [{ address: addr, fullTx: "yes" }]],
      ["hmyv2_getTransactionsHistory", [{ address: addr, txType: "sent" }]],
      ["hmyv2_getTransactionsHistory", [{ address: addr, order: "asc" }]],
      ["hmyv2_getTransactionsHistory", [{ address: addr }, 1]],
      ["hmy_getTransactionsCount", []],
      ["hmy_getTransactionsCount", [addr, "BOTH"]],
      ["hmyv2_getTransactionsCount", [addr, "ALL", 1]],
    ];
    for (const [m, p] of bad) {
      const r = await rpc(m, p);
      expect({ m, p, code: r.error?.code }).toEqual({ m, p, code: -32602 });
    }
    expect((await rpc("hmyv2_getTransactionsHistory", [{ address: addr, pageSize: 1001 }])).error?.message).toContain("pageSize must be at most 1000");
    expect((await rpc("hmyv2_getTransactionsHistory", [{ address: addr, order: "asc" }])).error?.message).toContain('order must be "ASC" or "DESC"');
  });

  test("a node without the index: Harmony's 'explorer service not started', naming the flag", async () => {
    for (const [m, p] of [["hmy_getTransactionsHistory", [{ address: hex(a(0)) }]], ["hmyv2_getTransactionsCount", [hex(a(0)), "ALL"]]] as const) {
      const r = await plainRpc(m, [...p]);
      expect(r.error?.code).toBe(-32000);
      expect(r.error?.message).toContain("explorer service not started");
      expect(r.error?.message).toContain("--rpc-tx-history");
    }
  });

  test("while older blocks are indexed: 'explorer db not ready' with the progress, then answers", async () => {
    const kv = openStore(":memory:");
    const before = await open(kv, false);
    for (let n = 0n; n < 3n; n++) await produce(before, [tx(0, n, { to: a(1), value: 1n })]);
    await before.close();
    const chain = await open(kv, true);
    const r = await serve(chain);
    const q = () => r("hmyv2_getTransactionsHistory", [{ address: hex(a(1)) }]);
    expect((await q()).error).toMatchObject({ code: -32000, message: expect.stringContaining("explorer db not ready") });
    expect((await q()).error?.message).toContain("0 of 3 blocks indexed");
    chain.addressHistory?.backfill({ maxBlocks: 2, maxEntries: 100 });
    expect((await r("hmy_getTransactionsCount", [hex(a(1))])).error?.message).toContain("2 of 3 blocks indexed");
    chain.addressHistory?.backfill({ maxBlocks: 2, maxEntries: 100 });
    expect((await q()).result.transactions).toHaveLength(3);
  });
});
