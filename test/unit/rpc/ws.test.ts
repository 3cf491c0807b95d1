// JSON-RPC over WebSocket: requests, eth_subscribe payloads (newHeads, logs, newPendingTransactions),
// back-pressure on slow subscribers, and the HTTP side routes (/health, /ready, extraRoutes).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { WebSocketProvider } from "ethers";
import { createPublicClient, webSocket, type Block } from "viem";
import { toData } from "../../../src/rpc/hex.ts";
import { startHarness, type Harness } from "./_harness.ts";
import { ALICE, BOB, TARGET, TRANSFER_TOPIC } from "./_testBackend.ts";
import { openJsonWs, openRawWs, parseFrames } from "./_wsClient.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    wsMaxBufferedBytes: 256 * 1024,
    maxBodyBytes: 128 * 1024,
    extraRoutes: (app) => {
      app.get("/metrics", (c) => c.text("harmony_up 1\n"));
      app.get("/", (c) => c.html("<h1>status</h1>"));
    },
  });
});
afterAll(() => h.server.stop());

const port = () => Number(new URL(h.server.url).port);

describe("requests over WebSocket", () => {
  test("single, batch, errors, and upgrade on / as well as /ws", async () => {
    for (const url of [h.server.wsUrl, h.server.url.replace("http", "ws")]) {
      const c = await openJsonWs(url);
      expect(await c.call("eth_chainId")).toEqual({ jsonrpc: "2.0", id: expect.any(Number), result: "0x7a69" });
      c.send([{ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" }, { jsonrpc: "2.0", id: 2, method: "nope" }]);
      const batch = await c.next();
      expect(batch[0].result).toBe(`0x${h.chain.headNumber().toString(16)}`);
      expect(batch[1].error.code).toBe(-32601);
      c.send("{oops");
      expect((await c.next()).error.code).toBe(-32700);
      c.send(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "web3_sha3", params: [`0x${"00".repeat(70_000)}`] }));
      expect((await c.next()).error).toEqual({ code: -32600, message: "message too large (max 131072 bytes)" });
      expect((await c.call("eth_chainId")).result).toBe("0x7a69");
      c.ws.close();
    }
  });
});

describe("subscriptions", () => {
  test("newHeads: the standard header payload, equal to the block's header fields", async () => {
    const c = await openJsonWs(h.server.wsUrl);
    const sub = (await c.call("eth_subscribe", ["newHeads"])).result as string;
    expect(sub).toMatch(/^0x[0-9a-f]+$/);
    const block = h.chain.mine();
    const n = await c.next();
    expect(n.method).toBe("eth_subscription");
    expect(n.params.subscription).toBe(sub);
    const full = (await h.rpc("eth_getBlockByNumber", [`0x${block.header.number.toString(16)}`, false])).result;
    const { transactions: _t, uncles: _u, size: _s, totalDifficulty: _d, ...header } = full;
    expect(n.params.result).toEqual(header);
    for (const k of ["parentHash", "sha3Uncles", "miner", "stateRoot", "transactionsRoot", "receiptsRoot", "logsBloom", "difficulty", "number", "gasLimit", "gasUsed", "timestamp", "extraData", "mixHash", "nonce", "baseFeePerGas", "hash"]) {
      expect(n.params.result).toHaveProperty(k);
    }
    expect((await c.call("eth_unsubscribe", [sub])).result).toBe(true);
    expect((await c.call("eth_unsubscribe", [sub])).result).toBe(false);
    h.chain.mine();
    await expect(c.next(200)).rejects.toThrow("timeout");
    c.ws.close();
  });

  test("logs: address/topic filters, one notification per log, removed: false", async () => {
    const c = await openJsonWs(h.server.wsUrl);
    const byToken = (await c.call("eth_subscribe", ["logs", { address: toData(TARGET.token), topics: [toData(TRANSFER_TOPIC)] }])).result;
    const byOther = (await c.call("eth_subscribe", ["logs", { address: toData(TARGET.needy) }])).result;
    const toBob = (await c.call("eth_subscribe", ["logs", { topics: [null, null, `0x${"00".repeat(12)}${toData(BOB).slice(2)}`] }])).result;
    expect((await c.call("eth_subscribe", ["logs", { fromBlock: "0x1" }])).error.code).toBe(-32602);
    await h.chain.sendRawTransaction(h.chain.signTx(0, { to: TARGET.token, data: BOB }).serialize());
    await h.chain.sendRawTransaction(h.chain.signTx(0, { to: TARGET.token, data: ALICE }).serialize());
    const block = h.chain.mine();
    const got = [await c.next(), await c.next(), await c.next()];
    const bySub = (id: string) => got.filter((m) => m.params.subscription === id).map((m) => m.params.result);
    expect(bySub(byToken)).toHaveLength(2);
    expect(bySub(byOther)).toHaveLength(0);
    expect(bySub(toBob)).toHaveLength(1);
    const [first, second] = bySub(byToken);
    expect(first).toMatchObject({ removed: false, logIndex: "0x0", transactionIndex: "0x0", blockHash: toData(block.header.hash) });
    expect(second).toMatchObject({ logIndex: "0x1", transactionIndex: "0x1" });
    c.ws.close();
  });

  test("newPendingTransactions: hashes, or full objects with true", async () => {
    const c = await openJsonWs(h.server.wsUrl);
    const hashesSub = (await c.call("eth_subscribe", ["newPendingTransactions"])).result;
    const fullSub = (await c.call("eth_subscribe", ["newPendingTransactions", true])).result;
    const hash = toData(await h.chain.sendRawTransaction(h.chain.signTx(1, { to: ALICE, value: 1n, gasLimit: 21_000n }).serialize()));
    const got = [await c.next(), await c.next()];
    const of = (id: string) => got.find((m) => m.params.subscription === id)?.params.result;
    expect(of(hashesSub)).toBe(hash);
    expect(of(fullSub)).toMatchObject({ hash, blockHash: null, from: expect.stringMatching(new RegExp(toData(BOB).slice(2), "i")) });
    h.chain.mine();
    c.ws.close();
  });

  test("viem watchBlocks and ethers WebSocketProvider parse newHeads", async () => {
    const client = createPublicClient({ transport: webSocket(h.server.wsUrl) });
    const seen: Block[] = [];
    const unwatch = client.watchBlocks({ onBlock: (b) => void seen.push(b) });
    const provider = new WebSocketProvider(h.server.wsUrl);
    const ethersSeen: number[] = [];
    await provider.on("block", (n: number) => void ethersSeen.push(n));
    await Bun.sleep(100);
    const mined = h.chain.mine();
    for (let i = 0; i < 50 && (seen.length === 0 || ethersSeen.length === 0); i++) await Bun.sleep(20);
    unwatch();
    await provider.destroy();
    await (await client.transport.getRpcClient()).close();
    expect(seen.at(-1)?.number).toBe(mined.header.number);
    expect(seen.at(-1)?.hash).toBe(toData(mined.header.hash) as `0x${string}`);
    expect(ethersSeen).toContain(Number(mined.header.number));
  });

  test("closing the socket tears its subscriptions down", async () => {
    const c = await openJsonWs(h.server.wsUrl);
    await c.call("eth_subscribe", ["newHeads"]);
    c.ws.close();
    await c.closed;
    await Bun.sleep(20);
    // A block after the close reaches nobody and breaks nothing.
    h.chain.mine();
    expect((await h.rpc("eth_chainId")).result).toBe("0x7a69");
  });
});

describe("back-pressure", () => {
  test("a subscriber that stops reading is closed with 1008 while others keep receiving", async () => {
    const slow = await openRawWs(port());
    slow.sendText(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["logs"] }));
    for (let i = 0; i < 100 && parseFrames(slow.received()).length === 0; i++) await Bun.sleep(10);
    expect(JSON.parse(parseFrames(slow.received())[0]?.payload.toString() ?? "{}").result).toMatch(/^0x/);
    slow.sock.pause();

    const fast = await openJsonWs(h.server.wsUrl);
    await fast.call("eth_subscribe", ["logs"]);
    let fastCount = 0;
    fast.ws.onmessage = () => void fastCount++;

    const data = new Uint8Array(64 * 1024).fill(0xab);
    const log = { address: TARGET.token, topics: [TRANSFER_TOPIC], data, blockNumber: 1n, blockHash: new Uint8Array(32), transactionHash: new Uint8Array(32), transactionIndex: 0, logIndex: 0 };
    const floods = 320; // ~42 MB of notifications: more than the kernel buffers of a loopback socket
    for (let i = 0; i < floods; i++) {
      h.chain.emitLogs([log]);
      if (i % 8 === 7) await Bun.sleep(2);
    }
    for (let i = 0; i < 500 && fastCount < floods; i++) await Bun.sleep(10);
    expect(fastCount).toBe(floods);

    slow.sock.resume();
    await Promise.race([slow.ended, Bun.sleep(10_000)]);
    const frames = parseFrames(slow.received());
    const close = frames.find((f) => f.opcode === 0x8);
    expect(close).toBeDefined();
    expect(close?.payload.readUInt16BE(0)).toBe(1008);
    expect(close?.payload.subarray(2).toString()).toBe("subscriber too slow");
    // It was closed early, not after receiving everything.
    expect(frames.filter((f) => f.opcode === 0x1).length).toBeLessThan(floods);
    fast.ws.close();
  }, 30_000);
});

describe("HTTP routes", () => {
  test("/health is 200 while alive; /ready follows the sync status", async () => {
    const health = await fetch(new URL("/health", h.server.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect((await fetch(new URL("/ready", h.server.url))).status).toBe(200);
    h.chain.sync = { syncing: true, startingBlock: 0n, currentBlock: 1n, highestBlock: 50n };
    const notReady = await fetch(new URL("/ready", h.server.url));
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ready: false, syncing: true, highestBlock: "50" });
    h.chain.sync = { ...h.chain.sync, syncing: false };
    expect((await fetch(new URL("/ready", h.server.url))).status).toBe(200);
  });

  test("extraRoutes mount on the same listener; GET /ws without upgrade is 426", async () => {
    expect(await (await fetch(new URL("/metrics", h.server.url))).text()).toBe("harmony_up 1\n");
    expect(await (await fetch(h.server.url)).text()).toBe("<h1>status</h1>");
    expect((await fetch(h.server.wsUrl.replace("ws", "http"))).status).toBe(426);
    expect((await fetch(new URL("/nothing", h.server.url))).status).toBe(404);
  });

  test("CORS preflight for browser dapps", async () => {
    const res = await fetch(h.server.url, { method: "OPTIONS", headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "POST" } });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});
