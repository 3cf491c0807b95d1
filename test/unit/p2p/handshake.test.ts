// DESIGN §P2P handshake: both sides prove their node key over a fresh challenge and exchange network
// id, genesis hash, shard and head; mismatches, bad signatures and silence are rejected.
import { afterEach, describe, expect, test } from "bun:test";
import { generatePrivateKey } from "../../../src/crypto/index.ts";
import { CloseCode, type PeerInfo } from "../../../src/p2p/index.ts";
import { FrameType, encodeFrame } from "../../../src/p2p/_frame.ts";
import { identityOf, RawPeer, sleep, startNode, stopAll, waitFor } from "./_harness.ts";

afterEach(stopAll);

describe("handshake", () => {
  test("two nodes connect, learn each other's id, URL and head", async () => {
    const b = await startNode();
    b.head.number = 42n;
    b.head.hash = new Uint8Array(32).fill(0xab);
    const a = await startNode({ bootnodes: [b.url] });
    const connected: PeerInfo[] = [];
    a.p2p.on("peer:connect", (p) => connected.push(p));
    await waitFor(() => a.p2p.peerCount() === 1 && b.p2p.peerCount() === 1, 3000, "connection");
    const [pa] = a.p2p.peers();
    const [pb] = b.p2p.peers();
    expect(pa?.id).toBe(b.p2p.nodeId);
    expect(pa?.url).toBe(b.url);
    expect(pa?.direction).toBe("outbound");
    expect(pa?.head.number).toBe(42n);
    expect(pb?.id).toBe(a.p2p.nodeId);
    expect(pb?.direction).toBe("inbound");
    expect(connected.map((p) => p.id)).toEqual([b.p2p.nodeId]);
    // A later head change reaches the peer through STATUS.
    const heads: bigint[] = [];
    a.p2p.on("peer:head", (p) => heads.push(p.head.number));
    b.head.number = 43n;
    await waitFor(() => heads.includes(43n), 2000, "STATUS");
    expect(a.p2p.getMetrics().handshakesOk).toBe(1);
  }, 10_000);

  for (const [what, over, reason] of [
    ["network id", { networkId: 1 }, "network_mismatch"],
    ["genesis hash", { genesisHash: new Uint8Array(32).fill(1) }, "genesis_mismatch"],
    ["shard", { shardId: 1 }, "shard_mismatch"],
  ] as const) {
    test(`a peer with another ${what} is rejected on both sides`, async () => {
      const b = await startNode();
      const a = await startNode({ ...over, bootnodes: [b.url] });
      await waitFor(() => (b.p2p.getMetrics().disconnects[reason] ?? 0) >= 1 && (a.p2p.getMetrics().disconnects[reason] ?? 0) >= 1, 3000, reason);
      expect(a.p2p.peerCount()).toBe(0);
      expect(b.p2p.peerCount()).toBe(0);
      expect(b.p2p.getMetrics().handshakesFailed).toBeGreaterThanOrEqual(1);
      expect(b.p2p.getMetrics().handshakesOk).toBe(0);
    }, 10_000);
  }

  test("a mismatched raw peer is closed with INCOMPATIBLE and a reason", async () => {
    const b = await startNode();
    const raw = new RawPeer(b.url);
    await raw.handshake(identityOf(generatePrivateKey(), { networkId: 5 }));
    const info = await raw.closed;
    expect(info.code).toBe(CloseCode.INCOMPATIBLE);
    expect(info.reason).toBe("network_mismatch");
  }, 10_000);

  test("an invalid handshake signature is rejected and the peer never counts", async () => {
    const b = await startNode();
    const raw = new RawPeer(b.url);
    await raw.handshake(identityOf(generatePrivateKey()), { badSignature: true });
    const info = await raw.closed;
    expect(info.code).toBe(CloseCode.BAD_AUTH);
    expect(info.reason).toBe("bad_signature");
    expect(b.p2p.peerCount()).toBe(0);
    expect(b.p2p.getMetrics().handshakesFailed).toBe(1);
  }, 10_000);

  test("a valid raw handshake completes (the harness speaks the protocol)", async () => {
    const b = await startNode();
    const raw = new RawPeer(b.url);
    const id = identityOf(generatePrivateKey());
    await raw.handshake(id);
    await waitFor(() => b.p2p.peerCount() === 1, 2000, "raw peer accepted");
    expect(b.p2p.peers()[0]?.id).toBe(id.nodeId);
    expect(raw.frames.some((f) => f.type === FrameType.AUTH)).toBe(true);
    raw.close();
    await waitFor(() => b.p2p.peerCount() === 0, 2000, "raw peer gone");
  }, 10_000);

  test("a silent peer is dropped at the handshake timeout", async () => {
    const b = await startNode({ handshakeTimeoutMs: 300 });
    const raw = new RawPeer(b.url);
    await raw.open();
    const t0 = Date.now();
    const info = await raw.closed;
    expect(info.code).toBe(CloseCode.HANDSHAKE_TIMEOUT);
    expect(Date.now() - t0).toBeLessThan(2000);
  }, 10_000);

  test("data before the handshake is a protocol violation", async () => {
    const b = await startNode();
    const raw = new RawPeer(b.url);
    await raw.open();
    raw.send(encodeFrame(FrameType.GOSSIP, ["blocks", new Uint8Array([1])]));
    const info = await raw.closed;
    expect(info.code).toBe(CloseCode.PROTOCOL);
    expect(info.reason).toBe("unexpected_frame");
  }, 10_000);

  test("dialing our own URL is detected and not repeated", async () => {
    // It advertises one URL and is dialed under another (as a peer exchange might hand it back).
    const a = await startNode({ advertise: (port) => `ws://localhost:${port}/p2p` });
    a.p2p.connect(`ws://127.0.0.1:${a.port}/p2p`);
    await waitFor(() => (a.p2p.getMetrics().disconnects.self ?? 0) >= 2, 2000, "self detection on both ends");
    expect(a.p2p.peerCount()).toBe(0);
    const dials = a.p2p.getMetrics().dials;
    await sleep(300);
    expect(a.p2p.getMetrics().dials).toBe(dials);
  }, 10_000);
});
