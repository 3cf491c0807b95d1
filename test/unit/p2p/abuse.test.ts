// Issue 4 acceptance 4: garbage frames, oversize frames, invalid signatures and floods get the peer
// scored down and disconnected or banned, while honest traffic between other peers goes on.
import { afterEach, describe, expect, test } from "bun:test";
import { generatePrivateKey } from "../../../src/crypto/index.ts";
import { CloseCode } from "../../../src/p2p/index.ts";
import { FrameType, encodeFrame } from "../../../src/p2p/_frame.ts";
import { identityOf, MAX_MESSAGE, RawPeer, sleep, startNode, stopAll, waitFor, type NodeOptions, type TestNode } from "./_harness.ts";

afterEach(stopAll);

const enc = (s: string) => new TextEncoder().encode(s);

interface Scene {
  target: TestNode;
  honest: TestNode;
  /** Messages the target accepted from the honest node. */
  got: string[];
  /** Publish from the honest node and wait until the target has it. */
  roundTrip(msg: string): Promise<void>;
}

async function scene(o: NodeOptions = {}): Promise<Scene> {
  const target = await startNode(o);
  const honest = await startNode({ bootnodes: [target.url] });
  await waitFor(() => target.p2p.peerCount() === 1, 3000, "honest peer");
  const got: string[] = [];
  target.p2p.subscribe("consensus", (m) => {
    got.push(new TextDecoder().decode(m.data));
    return "ACCEPT";
  });
  honest.p2p.subscribe("consensus", () => "ACCEPT");
  await sleep(150);
  return {
    target,
    honest,
    got,
    async roundTrip(msg) {
      honest.p2p.publish("consensus", enc(msg));
      await waitFor(() => got.includes(msg), 2000, `honest message ${msg}`);
    },
  };
}

async function attacker(target: TestNode): Promise<{ raw: RawPeer; id: string; key: Uint8Array }> {
  const key = generatePrivateKey();
  return { raw: await attackerWith(target, key), id: identityOf(key).nodeId, key };
}

async function attackerWith(target: TestNode, key: Uint8Array): Promise<RawPeer> {
  const raw = new RawPeer(target.url);
  const identity = identityOf(key);
  await raw.handshake(identity);
  await waitFor(() => target.p2p.peers().some((p) => p.id === identity.nodeId), 2000, "attacker accepted");
  return raw;
}

describe("bad p2p input", () => {
  test("a garbage frame: scored down, disconnected, kept out for the cooldown; honest gossip continues", async () => {
    const s = await scene();
    await s.roundTrip("before");
    const { raw, id, key } = await attacker(s.target);
    raw.send(Uint8Array.of(FrameType.GOSSIP, 0xff, 0x00, 0x13, 0x37));
    const info = await raw.closed;
    expect(info.code).toBe(CloseCode.PROTOCOL);
    expect(info.reason).toBe("malformed_frame");
    expect(s.target.p2p.scoreOf(id)).toBeLessThanOrEqual(-50);
    expect(s.target.p2p.isBlocked(id)).toBe(true);
    expect(s.target.p2p.getMetrics().drops.malformed_frame).toBe(1);
    // Reconnecting during the cooldown is refused after the handshake proves who it is.
    const again = new RawPeer(s.target.url);
    await again.handshake(identityOf(key));
    expect((await again.closed).code).toBe(CloseCode.BLOCKED);
    await s.roundTrip("after");
    expect(s.target.p2p.peerCount()).toBe(1);
  }, 10_000);

  test("unknown frame types and text frames are garbage too", async () => {
    const s = await scene();
    const a1 = await attacker(s.target);
    a1.raw.send(Uint8Array.of(0x7f, 0xc0));
    expect((await a1.raw.closed).reason).toBe("malformed_frame");
    const a2 = await attacker(s.target);
    a2.raw.send("hello");
    expect((await a2.raw.closed).reason).toBe("malformed_frame");
    const a3 = await attacker(s.target);
    a3.raw.send(encodeFrame(FrameType.HELLO, [1])); // a second HELLO after the handshake
    expect((await a3.raw.closed).reason).toBe("unexpected_frame");
    await s.roundTrip("still fine");
  }, 10_000);

  test("an oversize frame is refused before decoding and the peer is disconnected", async () => {
    const s = await scene();
    const { raw, id } = await attacker(s.target);
    raw.send(encodeFrame(FrameType.GOSSIP, ["consensus", new Uint8Array(MAX_MESSAGE)]));
    const info = await raw.closed;
    expect(info.code).toBe(CloseCode.TOO_LARGE);
    expect(info.reason).toBe("frame_too_large");
    expect(s.target.p2p.scoreOf(id)).toBeLessThanOrEqual(-50);
    expect(s.target.p2p.getMetrics().drops.frame_too_large).toBe(1);
    await s.roundTrip("after oversize");
  }, 10_000);

  test("invalid handshake signatures never get in and do not disturb the honest peer", async () => {
    const s = await scene();
    for (let i = 0; i < 3; i++) {
      const raw = new RawPeer(s.target.url);
      await raw.handshake(identityOf(generatePrivateKey()), { badSignature: true });
      expect((await raw.closed).code).toBe(CloseCode.BAD_AUTH);
    }
    expect(s.target.p2p.getMetrics().handshakesFailed).toBe(3);
    expect(s.target.p2p.peerCount()).toBe(1);
    await s.roundTrip("after bad signatures");
  }, 10_000);

  test("a flood over the rate limit is dropped and the flooder disconnected; a second flood gets it banned", async () => {
    const s = await scene({ rateLimits: { messagesPerSec: 50, bytesPerSec: 1024 * 1024, burstSec: 1 }, scoring: { cooldownMs: 300, halfLifeMs: 2000 } });
    const { raw, id, key } = await attacker(s.target);
    const flood = (r: RawPeer, tag: string) => {
      for (let i = 0; i < 400; i++) r.send(encodeFrame(FrameType.GOSSIP, ["consensus", enc(`spam ${tag} ${i}`)]));
    };
    flood(raw, "1");
    const info = await raw.closed;
    expect(info.code).toBe(CloseCode.LOW_SCORE);
    const m = s.target.p2p.getMetrics();
    expect(m.drops.rate_limited).toBeGreaterThanOrEqual(25);
    expect(s.target.p2p.isBlocked(id)).toBe(true); // cooldown
    // No more spam got through than the bucket holds.
    expect(s.got.filter((x) => x.startsWith("spam")).length).toBeLessThanOrEqual(51);
    await s.roundTrip("between the floods");
    // After the cooldown it may come back, with its score still low: the next flood is a ban.
    await waitFor(() => !s.target.p2p.isBlocked(id) && s.target.p2p.scoreOf(id) > -50, 3000, "cooldown over, score recovered");
    const again = await attackerWith(s.target, key);
    flood(again, "2");
    const info2 = await again.closed;
    expect(info2.code).toBe(CloseCode.BLOCKED);
    expect(info2.reason).toBe("banned");
    expect(s.target.p2p.getMetrics().bans).toBe(1);
    expect(s.target.p2p.scoreOf(id)).toBeGreaterThan(-100); // banned for the second score disconnect, not the score
    await sleep(400); // longer than the cooldown: a ban lasts
    const third = new RawPeer(s.target.url);
    await third.handshake(identityOf(key));
    expect((await third.closed).reason).toBe("blocked");
    await s.roundTrip("after the floods");
    expect(s.target.p2p.peers().map((p) => p.id)).toEqual([s.honest.p2p.nodeId]);
  }, 10_000);

  test("flooding before the handshake closes the socket", async () => {
    const s = await scene({ rateLimits: { messagesPerSec: 30, bytesPerSec: 1024 * 1024, burstSec: 1 } });
    const raw = new RawPeer(s.target.url);
    await raw.open();
    for (let i = 0; i < 100; i++) raw.send(Uint8Array.of(0x7e));
    const info = await raw.closed;
    expect(info.code).toBe(CloseCode.PROTOCOL);
    await s.roundTrip("after pre-handshake flood");
  }, 10_000);
});
