// Request/response on the peer socket (issue 4: sync asks peers for headers/bodies by range and hash).
import { afterEach, describe, expect, test } from "bun:test";
import { P2PError, P2PErrorCode, PeerAction } from "../../../src/p2p/index.ts";
import { sleep, startNode, stopAll, waitFor, type TestNode } from "./_harness.ts";

afterEach(stopAll);

async function pair(): Promise<[TestNode, TestNode]> {
  const b = await startNode();
  const a = await startNode({ bootnodes: [b.url] });
  await waitFor(() => a.p2p.peerCount() === 1 && b.p2p.peerCount() === 1, 3000, "pair");
  return [a, b];
}

async function rejection(p: Promise<unknown>): Promise<P2PError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof P2PError) return e;
    throw e;
  }
  throw new Error("expected a rejection");
}

describe("request/response", () => {
  test("a request gets its handler's answer, concurrently and in any order", async () => {
    const [a, b] = await pair();
    let calls = 0;
    b.p2p.handle("headersByRange", async (data, from) => {
      calls++;
      expect(from).toBe(a.p2p.nodeId);
      await sleep(data[0] === 1 ? 50 : 0);
      return Uint8Array.of(data[0] as number, 0xee);
    });
    const out = await Promise.all([1, 2, 3].map((i) => a.p2p.request(b.p2p.nodeId, "headersByRange", Uint8Array.of(i))));
    expect(out).toEqual([Uint8Array.of(1, 0xee), Uint8Array.of(2, 0xee), Uint8Array.of(3, 0xee)]);
    expect(calls).toBe(3);
    expect(a.p2p.getMetrics().requestsOut).toBeGreaterThanOrEqual(3); // plus the peer exchange
  }, 10_000);

  test("a slow handler times out, and the slow peer is scored down", async () => {
    const [a, b] = await pair();
    b.p2p.handle("bodiesByHash", async () => {
      await sleep(500);
      return new Uint8Array(1);
    });
    const t0 = Date.now();
    const e = await rejection(a.p2p.request(b.p2p.nodeId, "bodiesByHash", new Uint8Array(0), { timeoutMs: 100 }));
    expect(e.code).toBe(P2PErrorCode.REQUEST_TIMEOUT);
    expect(e.action).toBe(PeerAction.IGNORE);
    expect(Date.now() - t0).toBeLessThan(400);
    expect(a.p2p.scoreOf(b.p2p.nodeId)).toBeLessThan(0);
    expect(a.p2p.getMetrics().requestTimeouts).toBe(1);
    await sleep(600); // the late answer is dropped, not an error
    expect(a.p2p.getMetrics().drops.unsolicited_response).toBe(1);
    expect(a.p2p.peerCount()).toBe(1);
  }, 10_000);

  test("unknown method, failing handler, unknown peer", async () => {
    const [a, b] = await pair();
    expect((await rejection(a.p2p.request(b.p2p.nodeId, "nope", new Uint8Array(0)))).code).toBe(P2PErrorCode.UNKNOWN_METHOD);
    b.p2p.handle("fails", () => {
      throw new Error("no such block");
    });
    const e = await rejection(a.p2p.request(b.p2p.nodeId, "fails", new Uint8Array(0)));
    expect(e.code).toBe(P2PErrorCode.REMOTE_ERROR);
    expect(e.message).toContain("no such block");
    expect((await rejection(a.p2p.request("0x" + "22".repeat(20), "x", new Uint8Array(0)))).code).toBe(P2PErrorCode.PEER_NOT_CONNECTED);
  }, 10_000);

  test("a handler that throws a REJECT error scores the requester down", async () => {
    const [a, b] = await pair();
    b.p2p.handle("strict", () => {
      throw new P2PError({ code: P2PErrorCode.MALFORMED_FRAME, action: PeerAction.REJECT, reason: "bad range" }, "bad range");
    });
    await rejection(a.p2p.request(b.p2p.nodeId, "strict", new Uint8Array(0)));
    expect(b.p2p.scoreOf(a.p2p.nodeId)).toBeLessThan(0);
  }, 10_000);

  test("pending requests fail when the peer goes away", async () => {
    const [a, b] = await pair();
    b.p2p.handle("hang", () => new Promise<Uint8Array>(() => {}));
    const p = rejection(a.p2p.request(b.p2p.nodeId, "hang", new Uint8Array(0), { timeoutMs: 5000 }));
    await sleep(50);
    await b.stop();
    expect((await p).code).toBe(P2PErrorCode.PEER_DISCONNECTED);
  }, 10_000);

  test("the p2p/ namespace is reserved and a method has one handler", async () => {
    const a = await startNode({ start: false });
    expect(() => a.p2p.handle("p2p/peers", () => new Uint8Array(0))).toThrow(TypeError);
    a.p2p.handle("m", () => new Uint8Array(0));
    expect(() => a.p2p.handle("m", () => new Uint8Array(0))).toThrow(TypeError);
  });
});
