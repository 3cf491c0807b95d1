// The consensus side of p2p over real p2p nodes (issue 4): peers learn which keys a node holds from
// its signed identity binding, votes go directly to the leader's peer, gossip is checked before it
// is relayed (a bad signature is REJECTed and its relayer scored down), and so are direct votes (a
// forged one never reaches the state machine and costs its sender until it is disconnected, issue 8
// item 3), a forged binding is refused.
import { afterEach, describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import { type ConsensusMessage, type Prepare, bitmapFromSlots, createCommittee, preparePayload, signingBytes } from "../../../src/consensus/index.ts";
import { createBLS } from "../../../src/crypto/index.ts";
import { IDENTITY_TOPIC, createBLSVerifierPool, createConsensusNet, identityPayload } from "../../../src/node/index.ts";
import { startNode, stopAll, waitFor } from "../p2p/_harness.ts";
import { memoryLogger } from "./_helpers.ts";

afterEach(stopAll);

async function setup() {
  const bls = await createBLS("native");
  const sks = [1, 2, 3].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
  const committee = createCommittee({ keys: sks.map((k) => bls.secretToPublic(k)) });
  const verifier = createBLSVerifierPool(bls, { size: 0 }, { logger: memoryLogger() });
  const genesisHash = new Uint8Array(32).fill(7);
  const a = await startNode();
  const b = await startNode({ bootnodes: [a.url] });
  const got: { a: { m: ConsensusMessage; from: string; verified: boolean }[]; b: { m: ConsensusMessage; from: string; verified: boolean }[] } = { a: [], b: [] };
  // One committee in every epoch up to 1; epoch 2 never settles (a message of it waits, then is ignored).
  const ec = { epoch: 0n, committee, addresses: [], mySlots: [], secretKeys: new Map(), blocksPerLeader: null };
  const committees = {
    epochOfHeight: (h: bigint) => h / 100n,
    isEpochCertain: () => true,
    at: (e: bigint) => (e <= 1n ? ec : undefined),
    waitFor: async (e: bigint, ms: number) => (e <= 1n ? ec : (await Bun.sleep(Math.min(ms, 200)), undefined)),
  };
  const mk = (p2p: typeof a.p2p, slot: number) =>
    createConsensusNet(
      { committees, ownKeys: [committee.keys[slot] as Uint8Array], genesisHash, sign: (m) => bls.sign(sks[slot] as Uint8Array, m), currentHeight: () => 1n, nextEpochWaitMs: 200 },
      { p2p, verifier, logger: memoryLogger() },
    );
  const netA = mk(a.p2p, 0);
  const netB = mk(b.p2p, 1);
  netA.start((m, from, verified) => got.a.push({ m, from, verified }));
  netB.start((m, from, verified) => got.b.push({ m, from, verified }));
  await waitFor(() => a.p2p.peerCount() === 1 && b.p2p.peerCount() === 1, 3000, "connection");
  return { bls, sks, committee, a, b, netA, netB, got, genesisHash };
}

function prepare(bls: Awaited<ReturnType<typeof createBLS>>, sk: Uint8Array, slot: number, n: number): Prepare {
  const blockHash = new Uint8Array(32).fill(9);
  return { kind: "prepare", height: 1n, view: 0n, signers: bitmapFromSlots(n, [slot]), blockHash, signature: bls.sign(sk, preparePayload(blockHash)) };
}

describe("consensus net", () => {
  test("slot bindings, direct votes, verified gossip", async () => {
    const { bls, sks, committee, a, b, netA, netB, got } = await setup();
    await waitFor(() => netA.peerOfKey(committee.keys[1] as Uint8Array) === b.p2p.nodeId && netB.peerOfKey(committee.keys[0] as Uint8Array) === a.p2p.nodeId, 3000, "slot bindings");
    // A vote to slot 0 goes directly to A's peer, verified on the way in like gossip.
    netB.send(0, prepare(bls, sks[1] as Uint8Array, 1, 3));
    await waitFor(() => got.a.length === 1, 3000, "the vote");
    expect(got.a[0]).toMatchObject({ from: b.p2p.nodeId, verified: true });
    expect(netB.stats().fallbacks).toBe(0);
    // A vote to a slot nobody announced falls back to gossip, which is verified before delivery.
    netA.send(2, prepare(bls, sks[0] as Uint8Array, 0, 3));
    await waitFor(() => got.b.length === 1, 3000, "the gossiped vote");
    expect(got.b[0]).toMatchObject({ from: a.p2p.nodeId, verified: true });
    expect(netA.stats().fallbacks).toBe(1);
  });

  test("gossip with a bad signature is rejected, not delivered, and scores the sender down", async () => {
    const { bls, sks, committee, a, b, got } = await setup();
    const announce = { kind: "announce" as const, height: 1n, view: 0n, signers: bitmapFromSlots(3, [0]), signature: new Uint8Array(96), blockHash: new Uint8Array(32).fill(1), block: Uint8Array.of(1, 2, 3) };
    const forged = { ...announce, signature: bls.sign(sks[2] as Uint8Array, signingBytes(announce)) }; // signed by slot 2, claims slot 0
    const { encodeConsensusMessage } = await import("../../../src/consensus/index.ts");
    // Wait for B's subscription to reach A's mesh, then gossip the forgery.
    let h = 1n;
    await waitFor(() => a.p2p.publish("consensus", encodeConsensusMessage({ ...forged, height: h++ })).peers > 0, 3000, "a mesh peer");
    await waitFor(() => b.p2p.getMetrics().gossipRejected >= 1, 3000, "rejection");
    expect(got.b.length).toBe(0);
    expect(b.p2p.scoreOf(a.p2p.nodeId)).toBeLessThan(0);
    expect(committee.size).toBe(3);
  });

  test("direct votes with a bad signature are rejected before the state machine; the sender is disconnected", async () => {
    const { bls, sks, committee, a, b, netA, netB, got } = await setup();
    await waitFor(() => netB.peerOfKey(committee.keys[0] as Uint8Array) === a.p2p.nodeId && netA.peerOfKey(committee.keys[1] as Uint8Array) === b.p2p.nodeId, 3000, "slot bindings");
    // B claims slot 2 (not its own) with its own key's signature: well formed, does not verify.
    const forged = { ...prepare(bls, sks[1] as Uint8Array, 1, 3), signers: bitmapFromSlots(3, [1, 2]) };
    const honest = prepare(bls, sks[1] as Uint8Array, 1, 3);
    netB.send(0, forged);
    netB.send(0, honest);
    await waitFor(() => got.a.length === 1, 3000, "the honest vote");
    expect(got.a[0]?.m).toEqual(honest);
    expect(a.p2p.scoreOf(b.p2p.nodeId)).toBeLessThan(0);
    for (let i = 0; i < 4 && a.p2p.peerCount() > 0; i++) {
      netB.send(0, { ...forged, height: BigInt(2 + i) });
      await Bun.sleep(100);
    }
    await waitFor(() => a.p2p.peerCount() === 0, 3000, "disconnect of the forger");
    expect(got.a).toHaveLength(1);
  });

  test("a forged identity binding is refused", async () => {
    const { bls, sks, committee, a, b, netB, genesisHash } = await setup();
    // A claims key 2 with a signature by key 0 over its own id: does not verify.
    const forged = RLP.encode([[committee.keys[2] as Uint8Array], bls.sign(sks[0] as Uint8Array, identityPayload(genesisHash, a.p2p.nodeId))]);
    a.p2p.sendTo(b.p2p.nodeId, IDENTITY_TOPIC, forged);
    await waitFor(() => b.p2p.scoreOf(a.p2p.nodeId) < 0, 3000, "penalty");
    expect(netB.peerOfKey(committee.keys[2] as Uint8Array)).toBeUndefined();
  });

  test("a message of an epoch whose committee does not settle is ignored, not delivered and not held against its sender", async () => {
    const { bls, sks, a, b, got } = await setup();
    const vote = { ...prepare(bls, sks[0] as Uint8Array, 0, 3), height: 250n }; // epoch 2
    const { encodeConsensusMessage } = await import("../../../src/consensus/index.ts");
    await waitFor(() => a.p2p.publish("consensus", encodeConsensusMessage(vote)).peers > 0, 3000, "a mesh peer");
    await waitFor(() => b.p2p.getMetrics().gossipIgnored >= 1, 3000, "ignored");
    expect(got.b).toHaveLength(0);
    expect(b.p2p.scoreOf(a.p2p.nodeId)).toBeGreaterThanOrEqual(0);
  });
});
