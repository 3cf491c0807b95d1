// Peer management (DESIGN §P2P): at most one connection per peer with a deterministic tie-break,
// reconnect with backoff after a restart, peer exchange, a persisted peer store, the operator
// blocklist and the peer limit.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../../src/store/index.ts";
import { generatePrivateKey } from "../../../src/crypto/index.ts";
import { FrameType } from "../../../src/p2p/_frame.ts";
import { identityOf, orderedKeys, RawPeer, sleep, startNode, stopAll, waitFor, type TestNode } from "./_harness.ts";

afterEach(stopAll);

function events(n: TestNode): string[] {
  const out: string[] = [];
  n.p2p.on("peer:connect", (p) => out.push(`+${p.id}`));
  n.p2p.on("peer:disconnect", (e) => out.push(`-${e.peer.id}:${e.reason}`));
  return out;
}

describe("one connection per peer", () => {
  test("a duplicate keeps the connection dialed by the lower node id, on both sides, without events", async () => {
    const [kLo, kHi] = orderedKeys(2) as [Uint8Array, Uint8Array];
    const lo = await startNode({ key: kLo });
    const hi = await startNode({ key: kHi, bootnodes: [lo.url] }); // hi dials lo first
    await waitFor(() => lo.p2p.peerCount() === 1 && hi.p2p.peerCount() === 1, 3000, "first connection");
    expect(lo.p2p.peers()[0]?.direction).toBe("inbound");
    const evLo = events(lo);
    const evHi = events(hi);
    // lo dials too: its connection (dialed by the lower id) replaces the first on both sides.
    lo.p2p.connect(hi.url);
    await waitFor(() => lo.p2p.peers()[0]?.direction === "outbound" && hi.p2p.peers()[0]?.direction === "inbound", 3000, "switch");
    await waitFor(() => (lo.p2p.getMetrics().disconnects.duplicate ?? 0) >= 1 && (hi.p2p.getMetrics().disconnects.duplicate ?? 0) >= 1, 2000, "old closed");
    // hi dials again: its connection loses the tie-break, the existing one stays.
    hi.p2p.connect(lo.url);
    await waitFor(() => (hi.p2p.getMetrics().disconnects.duplicate ?? 0) >= 2, 2000, "new duplicate closed");
    await sleep(200);
    expect(lo.p2p.peerCount()).toBe(1);
    expect(hi.p2p.peerCount()).toBe(1);
    expect(lo.p2p.peers()[0]?.direction).toBe("outbound");
    expect(evLo).toEqual([]);
    expect(evHi).toEqual([]);
    // The surviving socket carries traffic.
    hi.p2p.handle("ping", () => Uint8Array.of(1));
    expect(await lo.p2p.request(hi.p2p.nodeId, "ping", new Uint8Array(0))).toEqual(Uint8Array.of(1));
  }, 10_000);

  test("simultaneous dials settle on one connection", async () => {
    const [kLo, kHi] = orderedKeys(2) as [Uint8Array, Uint8Array];
    const lo = await startNode({ key: kLo, start: false });
    const hi = await startNode({ key: kHi, bootnodes: [lo.url], start: false });
    lo.p2p.connect(hi.url);
    hi.p2p.start();
    lo.p2p.start();
    await waitFor(() => lo.p2p.peerCount() === 1 && hi.p2p.peerCount() === 1, 3000, "connected");
    await sleep(300);
    expect(lo.p2p.peerCount()).toBe(1);
    expect(hi.p2p.peerCount()).toBe(1);
    const dLo = lo.p2p.peers()[0]?.direction;
    const dHi = hi.p2p.peers()[0]?.direction;
    expect(dLo === "outbound" ? dHi : dLo).toBe("inbound"); // the same socket seen from both ends
  }, 10_000);
});

describe("reconnect and discovery", () => {
  test("a bootnode that restarts on the same port is redialed", async () => {
    const b = await startNode();
    const a = await startNode({ bootnodes: [b.url] });
    await waitFor(() => a.p2p.peerCount() === 1, 3000, "connected");
    const ev = events(a);
    const { port, key } = b;
    await b.stop();
    await waitFor(() => a.p2p.peerCount() === 0, 2000, "disconnect seen");
    await sleep(300); // a few failed dials: backoff grows
    expect(a.p2p.getMetrics().dialFailures).toBeGreaterThan(0);
    const b2 = await startNode({ key, port });
    await waitFor(() => a.p2p.peerCount() === 1, 4000, "reconnected");
    expect(a.p2p.peers()[0]?.id).toBe(b2.p2p.nodeId);
    expect(ev[0]).toBe(`-${b2.p2p.nodeId}:shutdown`);
    expect(ev.at(-1)).toBe(`+${b2.p2p.nodeId}`);
  }, 10_000);

  test("an inbound peer that restarts is redialed at the URL it advertised", async () => {
    const a = await startNode();
    const b = await startNode({ bootnodes: [a.url] });
    await waitFor(() => a.p2p.peerCount() === 1, 3000, "connected");
    const { port, key } = b;
    await b.stop();
    await waitFor(() => a.p2p.peerCount() === 0, 2000, "gone");
    await startNode({ key, port }); // no bootnodes: only a can restore the link
    await waitFor(() => a.p2p.peerCount() === 1, 4000, "a redials b");
    expect(a.p2p.peers()[0]?.direction).toBe("outbound");
  }, 10_000);

  test("peer exchange finds the rest of the network; the peer store keeps it across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "p2p-store-"));
    try {
      const b = await startNode();
      const c = await startNode({ bootnodes: [b.url] });
      await waitFor(() => b.p2p.peerCount() === 1, 3000, "b-c");
      let store = openStore(join(dir, "store.sqlite"));
      const a = await startNode({ store, bootnodes: [b.url] });
      await waitFor(() => a.p2p.peerCount() === 2, 4000, "a finds c through b");
      a.p2p.block("0x" + "ab".repeat(20));
      const key = a.key;
      await a.stop();
      store.close();
      store = openStore(join(dir, "store.sqlite"));
      const a2 = await startNode({ store, key }); // no bootnodes at all
      await waitFor(() => a2.p2p.peerCount() === 2, 4000, "reconnect from the store");
      expect(new Set(a2.p2p.peers().map((p) => p.id))).toEqual(new Set([b.p2p.nodeId, c.p2p.nodeId]));
      expect(a2.p2p.isBlocked("0x" + "AB".repeat(20))).toBe(true);
      await a2.stop();
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15_000);
});

describe("limits and the operator blocklist", () => {
  test("a node id on the configured blocklist is refused and not redialed", async () => {
    const b = await startNode();
    const a = await startNode({ bootnodes: [b.url], blocklist: [b.p2p.nodeId.toUpperCase().replace("0X", "0x")] });
    await waitFor(() => (a.p2p.getMetrics().disconnects.blocked ?? 0) >= 1, 2000, "refused");
    const dials = a.p2p.getMetrics().dials;
    await sleep(300);
    expect(a.p2p.getMetrics().dials).toBe(dials);
    expect(a.p2p.peerCount()).toBe(0);
    expect(b.p2p.peerCount()).toBe(0);
  }, 10_000);

  test("block(url) disconnects a peer, unblock lets it back", async () => {
    const b = await startNode();
    const a = await startNode({ bootnodes: [b.url] });
    await waitFor(() => a.p2p.peerCount() === 1, 3000, "connected");
    a.p2p.block(b.url);
    await waitFor(() => a.p2p.peerCount() === 0 && b.p2p.peerCount() === 0, 2000, "blocked");
    await sleep(300);
    expect(a.p2p.peerCount()).toBe(0);
    a.p2p.unblock(b.url);
    await waitFor(() => a.p2p.peerCount() === 1, 3000, "back");
    expect(() => a.p2p.block("not a peer")).toThrow(TypeError);
  }, 10_000);

  test("maxPeers is enforced on inbound peers", async () => {
    const a = await startNode({ maxPeers: 1 });
    const b = await startNode({ bootnodes: [a.url], peerExchange: false });
    await waitFor(() => a.p2p.peerCount() === 1, 3000, "first");
    const c = await startNode({ bootnodes: [a.url], peerExchange: false });
    await waitFor(() => (c.p2p.getMetrics().disconnects.too_many_peers ?? 0) >= 1, 2000, "second refused");
    expect(a.p2p.peerCount()).toBe(1);
    expect(a.p2p.peers()[0]?.id).toBe(b.p2p.nodeId);
    expect(identityOf(c.key).nodeId).toBe(c.p2p.nodeId);
  }, 10_000);

  test("a silent peer is closed at the idle timeout; honest peers keep each other alive", async () => {
    const a = await startNode({ idleTimeoutMs: 400, statusIntervalMs: 50 });
    const b = await startNode({ idleTimeoutMs: 400, statusIntervalMs: 50, bootnodes: [a.url] });
    const raw = new RawPeer(a.url);
    await raw.handshake(identityOf(generatePrivateKey()));
    await waitFor(() => a.p2p.peerCount() === 2, 2000, "both peers");
    const info = await raw.closed;
    expect(info.reason).toBe("idle");
    await sleep(500);
    expect(a.p2p.peers().map((p) => p.id)).toEqual([b.p2p.nodeId]);
    expect(raw.frames.filter((f) => f.type === FrameType.STATUS).length).toBeGreaterThan(0); // keepalive STATUS
  }, 10_000);
});
