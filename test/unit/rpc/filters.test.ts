// Installed filters: eth_newFilter / eth_newBlockFilter / eth_newPendingTransactionFilter, polling,
// eth_getFilterLogs, eth_uninstallFilter, and expiry after the idle timeout.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { RpcHeader, RpcTransaction } from "../../../src/rpc/backend.ts";
import type { EventHub } from "../../../src/rpc/events.ts";
import { createFilterManager } from "../../../src/rpc/filterManager.ts";
import { toData } from "../../../src/rpc/hex.ts";
import { startHarness, type Harness } from "./_harness.ts";
import { ALICE, BOB, TARGET } from "./_testBackend.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.server.stop());

describe("filters over HTTP", () => {
  test("block filter returns each new block hash once", async () => {
    const id = (await h.rpc("eth_newBlockFilter")).result;
    expect(id).toMatch(/^0x[0-9a-f]+$/);
    const b1 = h.chain.mine();
    const b2 = h.chain.mine();
    expect((await h.rpc("eth_getFilterChanges", [id])).result).toEqual([toData(b1.header.hash), toData(b2.header.hash)]);
    expect((await h.rpc("eth_getFilterChanges", [id])).result).toEqual([]);
    expect((await h.rpc("eth_uninstallFilter", [id])).result).toBe(true);
    expect((await h.rpc("eth_uninstallFilter", [id])).result).toBe(false);
    expect((await h.rpc("eth_getFilterChanges", [id])).error).toEqual({ code: -32000, message: "filter not found" });
  });

  test("log filter: matching logs since the last poll; getFilterLogs re-queries its range", async () => {
    const from = h.chain.headNumber() + 1n;
    const id = (await h.rpc("eth_newFilter", [{ fromBlock: `0x${from.toString(16)}`, address: [toData(TARGET.token)] }])).result;
    await h.chain.sendRawTransaction(h.chain.signTx(0, { to: TARGET.token, data: BOB }).serialize());
    await h.chain.sendRawTransaction(h.chain.signTx(1, { to: ALICE, value: 1n, gasLimit: 21_000n }).serialize());
    h.chain.mine();
    const changes = (await h.rpc("eth_getFilterChanges", [id])).result;
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ address: expect.stringMatching(/^0x0{36}1001$/i), removed: false });
    expect((await h.rpc("eth_getFilterChanges", [id])).result).toEqual([]);
    const all = (await h.rpc("eth_getFilterLogs", [id])).result;
    expect(all).toEqual(changes);
    // Ids are quantities: the same id with different letter case or leading zeros names the same filter.
    expect((await h.rpc("eth_getFilterChanges", [id.toUpperCase().replace("0X", "0x")])).result).toEqual([]);
    expect((await h.rpc("eth_uninstallFilter", [id])).result).toBe(true);
  });

  test("pending transaction filter returns hashes (or full objects) of admitted transactions", async () => {
    const id = (await h.rpc("eth_newPendingTransactionFilter")).result;
    const full = (await h.rpc("eth_newPendingTransactionFilter", [true])).result;
    const hash = toData(await h.chain.sendRawTransaction(h.chain.signTx(1, { to: ALICE, value: 2n, gasLimit: 21_000n }).serialize()));
    expect((await h.rpc("eth_getFilterChanges", [id])).result).toEqual([hash]);
    expect((await h.rpc("eth_getFilterChanges", [full])).result).toEqual([expect.objectContaining({ hash, blockNumber: null, value: "0x2" })]);
    expect((await h.rpc("eth_getFilterLogs", [id])).error).toEqual({ code: -32000, message: "filter not found" });
    h.chain.mine();
  });
});

function createFakeHub() {
  const heads = new Set<(h: RpcHeader) => void>();
  const hub: EventHub = {
    onHead: (cb) => (heads.add(cb), () => void heads.delete(cb)),
    onLogs: () => () => {},
    onPendingTx: (_cb: (t: RpcTransaction) => void) => () => {},
    stop: () => heads.clear(),
  };
  const emitHead = (n: number) => {
    for (const cb of heads) cb({ hash: new Uint8Array(32).fill(n) } as RpcHeader);
  };
  return { hub, emitHead, listeners: () => heads.size };
}

describe("filter manager", () => {
  test("a filter idle for longer than the timeout is removed; polling keeps it alive", () => {
    let now = 0;
    const { hub } = createFakeHub();
    const m = createFilterManager({ timeoutMs: 5 * 60_000, maxBacklog: 10, maxFilters: 10, now: () => now }, hub);
    const polled = m.newBlockFilter();
    const idle = m.newBlockFilter();
    now = 4 * 60_000;
    m.getChanges(polled);
    now = 5 * 60_000 + 1;
    expect(m.sweep()).toBe(1);
    expect(() => m.getChanges(idle)).toThrow("filter not found");
    expect(m.getChanges(polled)).toEqual([]);
    m.stop();
  });

  test("each client has its own filter budget; removing a filter frees its slot", () => {
    let now = 0;
    const { hub, emitHead } = createFakeHub();
    const m = createFilterManager({ timeoutMs: 60_000, maxBacklog: 2, maxFilters: 100, maxFiltersPerClient: 2, now: () => now }, hub);
    const a1 = m.newBlockFilter("10.0.0.1");
    m.newPendingTxFilter(false, "10.0.0.1");
    expect(() => m.newBlockFilter("10.0.0.1")).toThrow("too many filters for this client (max 2)");
    // Another address is not affected by the first one's use.
    const b1 = m.newBlockFilter("10.0.0.2");
    m.newBlockFilter("10.0.0.2");
    expect(() => m.newBlockFilter("10.0.0.2")).toThrow("too many filters for this client (max 2)");
    expect(m.uninstall(a1)).toBe(true);
    const a3 = m.newBlockFilter("10.0.0.1");
    // A filter dropped for its backlog, or by the idle sweep, gives its slot back too.
    for (let i = 0; i < 3; i++) emitHead(i);
    expect(() => m.getChanges(a3)).toThrow("filter not found");
    expect(() => m.getChanges(b1)).toThrow("filter not found");
    m.newBlockFilter("10.0.0.2");
    now = 120_000;
    m.sweep();
    expect(m.size()).toBe(0);
    m.newBlockFilter("10.0.0.1");
    m.newBlockFilter("10.0.0.1");
    m.stop();
  });

  test("backlog and filter-count limits", () => {
    const { hub, emitHead } = createFakeHub();
    const m = createFilterManager({ timeoutMs: 60_000, maxBacklog: 3, maxFilters: 2 }, hub);
    const a = m.newBlockFilter();
    m.newBlockFilter();
    expect(() => m.newBlockFilter()).toThrow("too many filters (max 2)");
    for (let i = 0; i < 3; i++) emitHead(i);
    expect(m.getChanges(a)).toHaveLength(3);
    for (let i = 0; i < 4; i++) emitHead(i);
    // Past its backlog the filter is dropped rather than growing; the client installs a new one.
    expect(() => m.getChanges(a)).toThrow("filter not found");
    expect(m.size()).toBe(0);
    m.stop();
  });

  test("stop unsubscribes from the hub", () => {
    const fake = createFakeHub();
    const m = createFilterManager({ timeoutMs: 60_000, maxBacklog: 3, maxFilters: 2 }, fake.hub);
    expect(fake.listeners()).toBe(1);
    m.stop();
    expect(fake.listeners()).toBe(0);
  });
});
