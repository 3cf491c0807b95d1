// Per-client limits of the RPC server: the request rate limit (token bucket per address, -32005 /
// HTTP 429), WebSocket connection caps (in total and per address, refused before the upgrade), and
// the rate limit's default (on for a non-loopback listener).
import { afterAll, describe, expect, test } from "bun:test";
import { createRateLimiter } from "../../../src/rpc/rateLimiter.ts";
import { startHarness, type Harness } from "./_harness.ts";
import { openJsonWs, type JsonWs } from "./_wsClient.ts";

const started: Harness[] = [];
const sockets: JsonWs[] = [];
afterAll(async () => {
  for (const s of sockets) s.ws.close();
  for (const h of started) await h.server.stop();
});
async function harness(opts: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const h = await startHarness(opts);
  started.push(h);
  return h;
}
const call = (id: number) => ({ jsonrpc: "2.0", id, method: "eth_chainId", params: [] });

describe("rate limiter", () => {
  test("a bucket per client: burst, refill at the rate, batches cost their size, 0 = off", () => {
    let t = 0;
    const l = createRateLimiter({ perSecond: 4, now: () => t });
    for (let i = 0; i < 4; i++) expect(l.take("a")).toBe(true);
    expect(l.take("a")).toBe(false);
    expect(l.take("b")).toBe(true); // another address has its own bucket
    t = 500; // half a second: two tokens back
    expect(l.take("a", 2)).toBe(true);
    expect(l.take("a")).toBe(false);
    t = 5_000;
    expect(l.take("a", 3)).toBe(true);
    expect(l.take("a", 2)).toBe(false); // refused whole: nothing taken
    expect(l.take("a", 1)).toBe(true);
    // A batch larger than the burst passes only from a full bucket.
    t = 10_000;
    expect(l.take("a", 50)).toBe(true);
    expect(l.take("a")).toBe(false);
    expect(l.refused()).toBe(4);
    const off = createRateLimiter({ perSecond: 0 });
    for (let i = 0; i < 1000; i++) expect(off.take("a")).toBe(true);
    expect(() => createRateLimiter({ perSecond: -1 })).toThrow(RangeError);
  });
});

describe("server limits", () => {
  test("over the rate: HTTP 429 with -32005 (id kept), WebSocket messages get -32005", async () => {
    const h = await harness({ rateLimitPerSec: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.post(call(i))).status);
    expect(statuses).toEqual([200, 200, 200]);
    const r = await h.post(call(7));
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ jsonrpc: "2.0", id: 7, error: { code: -32005, message: "request rate limit exceeded" } });
    const ws = await openJsonWs(h.server.wsUrl);
    sockets.push(ws);
    const m = await ws.call("eth_chainId");
    expect(m.error).toEqual({ code: -32005, message: "request rate limit exceeded" });
    expect(h.server.clientStats().rateLimited).toBe(2);
  });

  test("no limit on a loopback listener unless asked", async () => {
    const h = await harness({});
    const batch = Array.from({ length: 100 }, (_, i) => call(i));
    for (let i = 0; i < 3; i++) expect((await h.post(batch)).status).toBe(200);
    expect(h.server.clientStats().rateLimited).toBe(0);
  });

  test("on by default for a non-loopback listener (100/s per address)", async () => {
    const h = await harness({ host: "0.0.0.0" });
    const url = h.server.url.replace("0.0.0.0", "127.0.0.1");
    const post = (body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post(Array.from({ length: 100 }, (_, i) => call(i)))).status).toBe(200);
    const r = await post(call(1));
    expect(r.status).toBe(429);
    expect((await r.json()).error.code).toBe(-32005);
  });

  test("WebSocket caps: per address → 429 before the upgrade; in total → 503; a closed socket frees its slot", async () => {
    const perIP = await harness({ wsMaxPerIP: 2, wsMaxConnections: 10 });
    const a = await openJsonWs(perIP.server.wsUrl);
    const b = await openJsonWs(perIP.server.wsUrl);
    sockets.push(a, b);
    const refused = await fetch(perIP.server.wsUrl.replace("ws:", "http:"), {
      headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" },
    });
    expect(refused.status).toBe(429);
    await expect(openJsonWs(perIP.server.wsUrl)).rejects.toThrow();
    expect(perIP.server.clientStats()).toMatchObject({ wsConnections: 2, wsRefused: 2 });
    a.ws.close();
    await a.closed;
    for (let i = 0; i < 50 && perIP.server.clientStats().wsConnections > 1; i++) await Bun.sleep(10);
    const c = await openJsonWs(perIP.server.wsUrl);
    sockets.push(c);
    expect((await c.call("eth_chainId")).result).toBeDefined();

    const total = await harness({ wsMaxPerIP: 10, wsMaxConnections: 1 });
    sockets.push(await openJsonWs(total.server.wsUrl));
    const full = await fetch(total.server.wsUrl.replace("ws:", "http:"), {
      headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" },
    });
    expect(full.status).toBe(503);
  });

  test("filters over HTTP count against the client's own budget", async () => {
    const h = await harness({ filtersPerClient: 2 });
    expect((await h.rpc("eth_newBlockFilter")).result).toBeString();
    expect((await h.rpc("eth_newBlockFilter")).result).toBeString();
    expect((await h.rpc("eth_newBlockFilter")).error).toEqual({ code: -32005, message: "too many filters for this client (max 2)" });
  });
});
