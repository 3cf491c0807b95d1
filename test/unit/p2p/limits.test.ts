// p2p limits (issue 8 item 6): unauthenticated inbound sockets bounded per address and in total,
// the advertised URL in the handshake and peer exchange (never 0.0.0.0), a bounded blocklist with
// operator blocks that survive a restart and a list of what is blocked.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../../src/store/index.ts";
import { generatePrivateKey } from "../../../src/crypto/index.ts";
import { CloseCode } from "../../../src/p2p/index.ts";
import { Blocklist } from "../../../src/p2p/_blocklist.ts";
import { PeerStore } from "../../../src/p2p/_peerStore.ts";
import { PendingInbound, addressKey } from "../../../src/p2p/_pendingInbound.ts";
import { decodePeerList, encodePeerList } from "../../../src/p2p/_peerExchange.ts";
import { RawPeer, sleep, startNode, stopAll, waitFor } from "./_harness.ts";

afterEach(stopAll);

describe("pending inbound sockets", () => {
  test("per address: the oldest of the same address goes; other addresses are untouched", () => {
    const p = new PendingInbound<string>(2, 10);
    expect(p.add("a1", "10.0.0.1")).toEqual([]);
    expect(p.add("b1", "10.0.0.2")).toEqual([]);
    expect(p.add("a2", "::ffff:10.0.0.1")).toEqual([]);
    expect(p.add("a3", "10.0.0.1")).toEqual(["a1"]);
    expect(p.count("10.0.0.1")).toBe(2);
    expect(p.count("10.0.0.2")).toBe(1);
    p.remove("a2");
    expect(p.add("a4", "10.0.0.1")).toEqual([]);
    expect(p.size).toBe(3);
  });

  test("in total: the oldest of the address holding the most goes, never the newcomer", () => {
    const p = new PendingInbound<string>(3, 4);
    for (const x of ["x1", "x2", "x3"]) p.add(x, "10.0.0.9");
    expect(p.add("y1", "10.0.0.8")).toEqual([]);
    expect(p.add("z1", "10.0.0.7")).toEqual(["x1"]);
    const q = new PendingInbound<string>(1, 2);
    q.add("a", "1.1.1.1");
    q.add("b", "2.2.2.2");
    expect(q.add("c", "3.3.3.3")).toEqual(["a"]);
    expect(() => new PendingInbound(0, 4)).toThrow(RangeError);
    expect(() => new PendingInbound(4, 3)).toThrow(RangeError);
  });

  test("IPv6 addresses count by /64, IPv4-mapped ones as IPv4", () => {
    expect(addressKey("2001:db8:1:2::5")).toBe(addressKey("2001:db8:1:2:aaaa::1"));
    expect(addressKey("2001:db8:1:2::5")).not.toBe(addressKey("2001:db8:1:3::5"));
    expect(addressKey("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(addressKey("[::1]")).toBe(addressKey("::1"));
  });

  test("many silent sockets from 127.0.0.1 are cut to the bound and a real peer still connects", async () => {
    const a = await startNode({ maxPendingPerAddress: 4, maxPendingInbound: 16, handshakeTimeoutMs: 30_000 });
    const silent = Array.from({ length: 40 }, () => new RawPeer(a.url));
    await Promise.all(silent.map((s) => s.open().catch(() => undefined)));
    await waitFor(() => silent.filter((s) => s.closeInfo === undefined).length <= 4, 5000, "silent sockets evicted down to 4");
    const evicted = silent.filter((s) => s.closeInfo !== undefined);
    expect(evicted.length).toBeGreaterThanOrEqual(36);
    expect(evicted.every((s) => s.closeInfo?.code === CloseCode.TOO_MANY_PENDING)).toBe(true);
    expect(a.p2p.getMetrics().disconnects.too_many_pending).toBeGreaterThanOrEqual(36);
    // The remaining four stay open (the handshake timeout is long here): a peer gets in all the same.
    const b = await startNode({ bootnodes: [a.url] });
    await waitFor(() => a.p2p.peerCount() === 1 && b.p2p.peerCount() === 1, 5000, "the real peer connected");
    expect(a.p2p.peers()[0]?.id).toBe(b.p2p.nodeId);
    for (const s of silent) s.close();
  });
});

describe("advertised URL", () => {
  test("the advertised URL, not the address dialed, is what the peer sees and shares by peer exchange", async () => {
    const a = await startNode({ advertise: (port) => `ws://localhost:${port}/p2p` });
    const b = await startNode({ bootnodes: [`ws://127.0.0.1:${a.port}/p2p`] });
    await waitFor(() => b.p2p.peerCount() === 1, 3000, "b connected to a");
    expect(b.p2p.peers()[0]?.url).toBe(`ws://localhost:${a.port}/p2p`);
    const c = await startNode({ bootnodes: [b.url], targetPeers: 5 });
    await waitFor(() => c.p2p.peers().some((p) => p.id === a.p2p.nodeId), 5000, "c found a through b's peer exchange");
    expect(c.p2p.peers().find((p) => p.id === a.p2p.nodeId)?.url).toBe(`ws://localhost:${a.port}/p2p`);
  });

  test("a node that advertises none still connects out; peers show no URL and never share one", async () => {
    const hub = await startNode();
    // targetPeers 1: quiet dials nobody but the hub, so any link from late to quiet would come from a shared URL.
    const quiet = await startNode({ advertise: () => "", bootnodes: [hub.url], targetPeers: 1 });
    await waitFor(() => hub.p2p.peerCount() === 1, 3000, "quiet connected");
    expect(hub.p2p.peers()[0]?.url).toBe("");
    expect(quiet.p2p.listenUrl).toBe("");
    const late = await startNode({ bootnodes: [hub.url], targetPeers: 5 });
    await waitFor(() => late.p2p.peerCount() === 1, 3000, "late connected");
    await sleep(600);
    expect(late.p2p.peers().some((p) => p.id === quiet.p2p.nodeId)).toBe(false);
  });

  test("0.0.0.0 and [::] are refused as our URL and dropped from peer exchange", async () => {
    await expect(startNode({ advertise: (port) => `ws://0.0.0.0:${port}/p2p` })).rejects.toThrow(/names no machine/);
    await expect(startNode({ advertise: (port) => `ws://[::]:${port}/p2p` })).rejects.toThrow(/names no machine/);
    expect(decodePeerList(encodePeerList(["ws://0.0.0.0:1/p2p", "ws://[::]:2/p2p", "ws://10.0.0.1:3/p2p"]))).toEqual(["ws://10.0.0.1:3/p2p"]);
  });
});

describe("bounded blocklist", () => {
  const clockAt = (t: { now: number }) => ({ now: () => t.now });
  const id = (i: number) => `0x${i.toString(16).padStart(40, "0")}`;

  test("expired entries go first, then cooldowns, then the ban ending soonest; operator blocks beyond the bound are refused", () => {
    const t = { now: 1_000 };
    const bl = new Blocklist(new PeerStore(undefined, "p2p/", 10), clockAt(t), 4);
    bl.add(id(1), "operator");
    bl.add(id(2), "ban", { durationMs: 500 });
    bl.add(id(3), "ban", { durationMs: 100 });
    bl.add(id(4), "cooldown", { durationMs: 50_000 });
    bl.add(id(5), "operator"); // full: the cooldown goes
    expect(bl.isBlocked(id(4))).toBe(false);
    bl.add(id(6), "ban", { durationMs: 10_000 }); // full: the ban that ends first (3) goes
    expect([bl.isBlocked(id(2)), bl.isBlocked(id(3)), bl.isBlocked(id(6))]).toEqual([true, false, true]);
    t.now += 600; // 2 expires
    bl.add(id(7), "operator");
    expect(bl.size).toBe(4);
    expect(bl.list()).toEqual([
      { entry: id(1), kind: "operator" },
      { entry: id(5), kind: "operator" },
      { entry: id(6), kind: "ban" },
      { entry: id(7), kind: "operator" },
    ]);
    bl.add(id(8), "operator"); // displaces the last ban
    expect(() => bl.add(id(9), "operator")).toThrow(/blocklist is full: 4 operator blocks/);
    expect(bl.add(id(9), "ban", { durationMs: 1000 })).toBeUndefined();
    expect(bl.isBlocked(id(9))).toBe(false);
    expect(bl.add(id(1), "operator")).toBe("operator"); // already there: no room needed
    expect(bl.remove(id(1))).toBe("operator");
    expect(bl.remove(id(1))).toBeUndefined();
  });

  test("operator blocks persist across a restart, are listed, and unblock says whether one was lifted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "p2p-block-"));
    try {
      const store = openStore(join(dir, "db"));
      const key = generatePrivateKey();
      const victim = `0x${"ee".repeat(20)}`;
      const a = await startNode({ key, store, blocklist: [`0x${"cc".repeat(20)}`] });
      a.p2p.block(victim);
      a.p2p.block("ws://10.1.1.1:9500/p2p");
      expect(() => a.p2p.block("ws://")).toThrow(TypeError);
      expect(a.p2p.blockedPeers()).toEqual([
        { entry: `0x${"cc".repeat(20)}`, kind: "operator" },
        { entry: victim, kind: "operator" },
        { entry: "ws://10.1.1.1:9500/p2p", kind: "operator" },
      ]);
      await a.stop();
      const a2 = await startNode({ key, store });
      // The config entry lives in the config; the admin blocks came back from the store.
      expect(a2.p2p.blockedPeers().map((b) => b.entry)).toEqual([victim, "ws://10.1.1.1:9500/p2p"]);
      expect(a2.p2p.unblock(victim.toUpperCase().replace("0X", "0x"))).toBe(true);
      expect(a2.p2p.unblock(victim)).toBe(false);
      expect(a2.p2p.isBlocked(victim)).toBe(false);
      await a2.stop();
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a blocked peer is cut at once and refused both ways until unblocked", async () => {
    const a = await startNode();
    const b = await startNode({ bootnodes: [a.url] });
    await waitFor(() => a.p2p.peerCount() === 1, 3000, "connected");
    a.p2p.block(b.p2p.nodeId);
    await waitFor(() => a.p2p.peerCount() === 0 && b.p2p.peerCount() === 0, 2000, "disconnected");
    a.p2p.connect(b.url); // outbound refused too
    await sleep(500);
    expect(a.p2p.peerCount()).toBe(0);
    expect(a.p2p.unblock(b.p2p.nodeId)).toBe(true);
    await waitFor(() => a.p2p.peerCount() === 1, 5000, "reconnected after unblock");
  });
});
