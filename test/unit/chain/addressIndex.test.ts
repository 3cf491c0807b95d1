// The transaction history index by address (--rpc-tx-history, src/chain/addressIndex.ts and
// addressHistory.ts): key layout and order, the ops of a block (sender, recipient, created contract,
// transfer to oneself), the marker's resume rules, entries in the block's own batch, and the
// background indexing of older blocks — resumed after a simulated kill with no duplicate and no gap.
import { describe, expect, test } from "bun:test";
import { generateAddress } from "@ethereumjs/util";
import {
  AddressHistory,
  Chain,
  ChainError,
  HISTORY_RECEIVED,
  HISTORY_SENT,
  addressIndexKey,
  addressIndexOps,
  decodeAddressIndexEntry,
  loadAddressIndexMarker,
  resumeAddressIndexMarker,
} from "../../../src/chain/index.ts";
import { createDevGenesis } from "../../../src/core/index.ts";
import { type BatchOp, type KVStore, openStore } from "../../../src/store/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";
import { addrs, produce, tx } from "./_helpers.ts";

const a = (i: number) => addrs[i] as Uint8Array;
const hex = bytesToHex;
/** Init code whose deployed runtime is one STOP byte, and init code that reverts. */
const DEPLOY = hexToBytes("0x6001600c60003960016000f300");
const REVERT = hexToBytes("0x60006000fd");

const open = (kv: KVStore, txHistory: boolean) => Chain.open(kv, { genesis: createDevGenesis(), senderPool: null, txHistory });

/** Every index entry of the store, as hex key → hex value. */
function dump(kv: KVStore): Map<string, string> {
  return new Map([...kv.iterate({ prefix: new TextEncoder().encode("cA") })].map(([k, v]) => [hex(k), hex(v)]));
}

/** Blocks 1..n on `chain`: transfers 0→1 and 1→2, a transfer to oneself, and a contract creation in block 2. */
async function blocks(chain: Chain, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) {
    const k = BigInt(n - 1);
    const txs = [tx(0, k * 2n, { to: a(1), value: 1n }), tx(1, k, { to: a(2), value: 2n }), tx(3, k, { to: a(3), value: 3n })];
    if (n === 2) txs.push(tx(0, k * 2n + 1n, { data: DEPLOY, gasLimit: 100_000n }));
    else txs.push(tx(0, k * 2n + 1n, { to: a(4), value: 4n }));
    await produce(chain, txs);
  }
}

describe("address index: keys and ops", () => {
  test("key = cA ‖ address ‖ number(8, BE) ‖ index(4, BE): sorts by block, then position; decodes back", () => {
    const k = addressIndexKey(a(0), 0x0102n, 7);
    expect(hex(k)).toBe(`0x6341${hex(a(0)).slice(2)}0000000000000102${"00000007"}`);
    const keys = [addressIndexKey(a(0), 2n, 0), addressIndexKey(a(0), 1n, 300), addressIndexKey(a(0), 1n, 2), addressIndexKey(a(0), 256n, 1)];
    const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sorted.map((x) => decodeAddressIndexEntry(x, Uint8Array.of(1, ...new Uint8Array(32))))).toMatchObject([
      { blockNumber: 1n, index: 2 }, { blockNumber: 1n, index: 300 }, { blockNumber: 2n, index: 0 }, { blockNumber: 256n, index: 1 },
    ]);
    const value = Uint8Array.of(3, ...new Uint8Array(32).fill(9));
    expect(decodeAddressIndexEntry(k, value)).toEqual({ blockNumber: 0x0102n, index: 7, flags: 3, txHash: new Uint8Array(32).fill(9) });
    expect(() => decodeAddressIndexEntry(k, Uint8Array.of(0, ...new Uint8Array(32)))).toThrow(ChainError);
    expect(() => decodeAddressIndexEntry(k.subarray(1), value)).toThrow(ChainError);
    expect(() => decodeAddressIndexEntry(k, value.subarray(1))).toThrow(ChainError);
  });

  test("a block's ops: sender sent, recipient received, a transfer to oneself once with both, a created contract only when created", () => {
    const t = [tx(0, 0n, { to: a(1) }), tx(2, 0n, { to: a(2) }), tx(0, 1n, { data: DEPLOY, gasLimit: 100_000n }), tx(0, 2n, { data: REVERT, gasLimit: 100_000n })];
    const senders = [a(0), a(2), a(0), a(0)];
    const receipts = [1, 1, 1, 0].map((status) => ({ status, cumulativeGasUsed: 0n, logsBloom: new Uint8Array(256), logs: [] })) as never;
    const ops = addressIndexOps(5n, { transactions: t, senders, receipts: () => receipts }) as Extract<BatchOp, { type: "put" }>[];
    const got = ops.map((o) => ({ ...decodeAddressIndexEntry(o.key, o.value), address: hex(o.key.subarray(2, 22)) }));
    const created = hex(generateAddress(a(0), Uint8Array.of(1)));
    const h = (i: number) => t[i]!.hash();
    expect(got).toEqual([
      { address: hex(a(0)), blockNumber: 5n, index: 0, flags: HISTORY_SENT, txHash: h(0) },
      { address: hex(a(1)), blockNumber: 5n, index: 0, flags: HISTORY_RECEIVED, txHash: h(0) },
      { address: hex(a(2)), blockNumber: 5n, index: 1, flags: HISTORY_SENT | HISTORY_RECEIVED, txHash: h(1) },
      { address: hex(a(0)), blockNumber: 5n, index: 2, flags: HISTORY_SENT, txHash: h(2) },
      { address: created, blockNumber: 5n, index: 2, flags: HISTORY_RECEIVED, txHash: h(2) },
      { address: hex(a(0)), blockNumber: 5n, index: 3, flags: HISTORY_SENT, txHash: h(3) },
    ]);
    // Receipts are read only for a block with a creation.
    expect(addressIndexOps(6n, { transactions: [t[0]!], senders: [a(0)], receipts: () => { throw new Error("receipts read"); } })).toHaveLength(2);
  });

  test("resume: a new index backfills [1, head]; a gap while off joins the backfill; a marker past the head is corruption", () => {
    expect(resumeAddressIndexMarker(undefined, 0n)).toEqual({ low: 1n, liveFrom: 1n, liveTo: 0n });
    expect(resumeAddressIndexMarker(undefined, 9n)).toEqual({ low: 1n, liveFrom: 10n, liveTo: 9n });
    const running = { low: 4n, liveFrom: 10n, liveTo: 15n };
    expect(resumeAddressIndexMarker(running, 15n)).toBe(running);
    // Complete, then off for blocks 16..20: those are the backfill's range now.
    expect(resumeAddressIndexMarker({ low: 10n, liveFrom: 10n, liveTo: 15n }, 20n)).toEqual({ low: 16n, liveFrom: 21n, liveTo: 20n });
    // Incomplete and off: the backfill goes on from 4 and covers 10..20 again (same keys).
    expect(resumeAddressIndexMarker(running, 20n)).toEqual({ low: 4n, liveFrom: 21n, liveTo: 20n });
    expect(() => resumeAddressIndexMarker(running, 14n)).toThrow(ChainError);
    expect(() => resumeAddressIndexMarker({ low: 0n, liveFrom: 1n, liveTo: 3n }, 3n)).toThrow(ChainError);
  });
});

describe("address index on a chain", () => {
  test("with txHistory each block's entries and the marker land in its own batch", async () => {
    const inner = openStore(":memory:");
    const batches: BatchOp[][] = [];
    const kv: KVStore = { get: (k) => inner.get(k), has: (k) => inner.has(k), put: (k, v) => inner.put(k, v), del: (k) => inner.del(k), iterate: (o) => inner.iterate(o), close: () => inner.close(),
      batch: (ops) => {
        batches.push(ops);
        inner.batch(ops);
      } };
    const chain = await open(kv, true);
    expect(chain.addressHistory?.progress()).toEqual({ complete: true, indexedBlocks: 0n, headBlock: 0n });
    batches.length = 0;
    await blocks(chain, 1, 1);
    // One batch: the block (its header key cH ‖ hash), its 7 entries and the marker.
    expect(batches).toHaveLength(1);
    const keys = (batches[0] as BatchOp[]).map((o) => Buffer.from(o.key).toString("latin1"));
    expect(keys).toContain(`cH${Buffer.from(chain.head.hash).toString("latin1")}`);
    expect(keys.filter((k) => k.startsWith("cA"))).toHaveLength(7);
    expect(keys).toContain("cMaddressIndex");
    await blocks(chain, 2, 3);
    expect(loadAddressIndexMarker(kv)).toEqual({ low: 1n, liveFrom: 1n, liveTo: 3n });
    // Per block: 0→1 (2 entries), 1→2 (2), 3→3 (1), and 0→4 (2) or a creation (2).
    expect(dump(kv).size).toBe(3 * 7);
    const h = chain.addressHistory as AddressHistory;
    expect(h.progress()).toEqual({ complete: true, indexedBlocks: 3n, headBlock: 3n });
    expect(h.count(a(0), "ALL")).toBe(6);
    expect(h.count(a(0), "RECEIVED")).toBe(0);
    expect(h.count(a(1), "SENT")).toBe(3);
    expect(h.count(a(1), "RECEIVED")).toBe(3);
    expect(h.count(a(3), "SENT")).toBe(3);
    expect(h.count(a(3), "RECEIVED")).toBe(3);
    expect(h.count(a(3), "ALL")).toBe(3);
    const created = generateAddress(a(0), Uint8Array.of(3));
    expect(h.transactions(created, { type: "ALL", order: "ASC", offset: 0, limit: 10 }).map(hex)).toEqual([hex(chain.getBlockByNumber(2n)!.transactions[3]!.hash())]);
    // Pages in both orders: account 1 sent at (1,1), (2,1), (3,1) and received at (1,0), (2,0), (3,0).
    const at = (n: bigint, i: number) => hex(chain.getBlockByNumber(n)!.transactions[i]!.hash());
    const page = (o: Partial<Parameters<AddressHistory["transactions"]>[1]>) => h.transactions(a(1), { type: "ALL", order: "ASC", offset: 0, limit: 100, ...o }).map(hex);
    expect(page({})).toEqual([at(1n, 0), at(1n, 1), at(2n, 0), at(2n, 1), at(3n, 0), at(3n, 1)]);
    expect(page({ order: "DESC", offset: 1, limit: 2 })).toEqual([at(3n, 0), at(2n, 1)]);
    expect(page({ type: "SENT", offset: 1, limit: 5 })).toEqual([at(2n, 1), at(3n, 1)]);
    expect(page({ type: "RECEIVED", order: "DESC" })).toEqual([at(3n, 0), at(2n, 0), at(1n, 0)]);
    expect(page({ offset: 6 })).toEqual([]);
    expect(page({ limit: 0 })).toEqual([]);
    expect(h.transactions(a(9), { type: "ALL", order: "ASC", offset: 0, limit: 10 })).toEqual([]);
  });

  test("without txHistory nothing is indexed; switched on later, old blocks are indexed in bounded steps, resumed after a kill, no duplicate and no gap", async () => {
    const reference = await open(openStore(":memory:"), true);
    await blocks(reference, 1, 12);
    const want = dump(reference.kv);

    const inner = openStore(":memory:");
    let failBatches = false;
    const kv: KVStore = { get: (k) => inner.get(k), has: (k) => inner.has(k), put: (k, v) => inner.put(k, v), del: (k) => inner.del(k), iterate: (o) => inner.iterate(o), close: () => inner.close(),
      batch: (ops) => {
        if (failBatches) throw new Error("killed");
        inner.batch(ops);
      } };
    const plain = await open(kv, false);
    await blocks(plain, 1, 6);
    expect(dump(kv).size).toBe(0);
    expect(loadAddressIndexMarker(kv)).toBeUndefined();
    await plain.close();

    // On at head 6: blocks 1..6 to backfill; block 7 is indexed live before the backfill is done.
    let chain = await open(kv, true);
    let h = chain.addressHistory as AddressHistory;
    expect(h.progress()).toEqual({ complete: false, indexedBlocks: 0n, headBlock: 6n, nextBlock: 1n });
    await blocks(chain, 7, 7);
    expect(h.progress()).toEqual({ complete: false, indexedBlocks: 1n, headBlock: 7n, nextBlock: 1n });
    expect(h.backfill({ maxBlocks: 2, maxEntries: 1000 })).toBe(2);
    expect(loadAddressIndexMarker(kv)).toEqual({ low: 3n, liveFrom: 7n, liveTo: 7n });
    // The entry bound stops a step after the block that reaches it.
    expect(h.backfill({ maxBlocks: 100, maxEntries: 1 })).toBe(1);
    // Killed during the next step: its batch never lands, the stored marker stays at 4.
    failBatches = true;
    expect(() => h.backfill({ maxBlocks: 2, maxEntries: 1000 })).toThrow("killed");
    failBatches = false;
    expect(loadAddressIndexMarker(kv)).toEqual({ low: 4n, liveFrom: 7n, liveTo: 7n });

    // Restart (the old chain object is dropped, not closed): the marker resumes at 4.
    chain = await open(kv, true);
    h = chain.addressHistory as AddressHistory;
    expect(h.progress()).toEqual({ complete: false, indexedBlocks: 4n, headBlock: 7n, nextBlock: 4n });
    await blocks(chain, 8, 8);
    let steps = 0;
    while (h.backfill({ maxBlocks: 2, maxEntries: 1000 }) > 0) steps++;
    expect(steps).toBe(2);
    expect(h.progress()).toEqual({ complete: true, indexedBlocks: 8n, headBlock: 8n });
    expect(h.backfill({ maxBlocks: 2, maxEntries: 1000 })).toBe(0);
    await chain.close();

    // Off for blocks 9..10, on again: the gap is indexed, everything equals an index kept from genesis.
    const off = await open(kv, false);
    await blocks(off, 9, 10);
    await off.close();
    chain = await open(kv, true);
    h = chain.addressHistory as AddressHistory;
    expect(h.marker).toEqual({ low: 9n, liveFrom: 11n, liveTo: 10n });
    await blocks(chain, 11, 12);
    while (h.backfill({ maxBlocks: 1, maxEntries: 1000 }) > 0);
    expect(hex(chain.head.hash)).toBe(hex(reference.head.hash));
    expect(dump(kv)).toEqual(want);
    expect(h.count(a(0), "ALL")).toBe(24);
  });
});
