// DESIGN §P2P gossip: a bounded mesh per topic, each message handled and relayed once (seen-cache),
// lazy IHAVE/IWANT so gaps heal, direct messages never relayed, invalid messages score the sender down.
import { afterEach, describe, expect, test } from "bun:test";
import { LOCAL_PEER, ValidationResult, type GossipMessage, type PeerId } from "../../../src/p2p/index.ts";
import { sleep, startNode, stopAll, waitFor, type NodeOptions, type TestNode } from "./_harness.ts";

afterEach(stopAll);

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Start nodes in a line (each dials the previous one), optionally without peer exchange. */
async function line(n: number, o: NodeOptions = {}): Promise<TestNode[]> {
  const nodes: TestNode[] = [];
  for (let i = 0; i < n; i++) nodes.push(await startNode({ ...o, bootnodes: i === 0 ? [] : [(nodes[i - 1] as TestNode).url] }));
  return nodes;
}

/** Subscribe every node to `topic`, recording what each receives. */
function record(nodes: TestNode[], topic: string, verdict: (m: GossipMessage, node: number) => ValidationResult = () => "ACCEPT") {
  const got = nodes.map(() => [] as { data: string; from: PeerId; direct: boolean }[]);
  nodes.forEach((node, i) =>
    node.p2p.subscribe(topic, (m, from) => {
      got[i]?.push({ data: dec(m.data), from, direct: m.direct });
      return verdict(m, i);
    }),
  );
  return got;
}

describe("gossip", () => {
  test("5 nodes in a line: every message reaches every node exactly once", async () => {
    const nodes = await line(5, { peerExchange: false });
    await waitFor(() => nodes.every((n, i) => n.p2p.peerCount() === (i === 0 || i === 4 ? 1 : 2)), 3000, "line topology");
    const got = record(nodes, "blocks");
    // Let SUBSCRIPTIONS and GRAFTs settle so the first message already has a mesh.
    await sleep(150);
    const msgs = Array.from({ length: 20 }, (_, i) => `block ${i}`);
    for (const m of msgs) nodes[0]?.p2p.publish("blocks", enc(m));
    await waitFor(() => got.slice(1).every((g) => g.length === msgs.length), 3000, "delivery to all");
    await sleep(400); // several heartbeats of IHAVE/IWANT: still no second delivery
    expect(got[0]).toEqual([]); // our own messages are not delivered to ourselves
    for (const g of got.slice(1)) expect(g.map((x) => x.data).sort()).toEqual([...msgs].sort());
    // Node 2 heard each from node 1, its only upstream.
    expect(new Set(got[2]?.map((x) => x.from))).toEqual(new Set([nodes[1]?.p2p.nodeId as string]));
    const m0 = nodes[0]?.p2p.getMetrics();
    expect(m0?.gossipOut).toBe(msgs.length);
    // Republishing the same bytes is a duplicate and goes nowhere.
    expect(nodes[0]?.p2p.publish("blocks", enc("block 0")).duplicate).toBe(true);
  }, 15_000);

  test("publish with local delivery: our own handler gets it once (not a repeat, not a message already heard); its verdict penalizes no one", async () => {
    const nodes = await line(2, { peerExchange: false });
    await waitFor(() => nodes.every((n) => n.p2p.peerCount() === 1), 3000, "the peers to connect");
    const got = record(nodes, "cx/1", (m) => (dec(m.data) === "bad" ? ValidationResult.REJECT : ValidationResult.ACCEPT));
    await sleep(150);
    const [a, b] = nodes as [TestNode, TestNode];
    expect(a.p2p.publish("cx/1", enc("proof 1"), { local: true }).duplicate).toBe(false);
    expect(a.p2p.publish("cx/1", enc("proof 1"), { local: true }).duplicate).toBe(true);
    // Heard from the peer first: publishing it again hands nothing to our handler.
    b.p2p.publish("cx/1", enc("proof 2"));
    await waitFor(() => (got[0]?.length ?? 0) === 2, 3000, "our own copy and the peer's");
    a.p2p.publish("cx/1", enc("proof 2"), { local: true });
    a.p2p.publish("cx/1", enc("bad"), { local: true });
    await waitFor(() => got[1]?.some((x) => x.data === "bad") === true, 3000, "the peer to judge the bad one");
    await sleep(100);
    expect(got[0]?.map((x) => [x.data, x.from])).toEqual([["proof 1", LOCAL_PEER], ["proof 2", b.p2p.nodeId], ["bad", LOCAL_PEER]]);
    // Without the option our handler hears nothing of our own.
    a.p2p.publish("cx/1", enc("proof 3"));
    await waitFor(() => got[1]?.some((x) => x.data === "proof 3") === true, 3000, "the peer to hear proof 3");
    expect(got[0]?.length).toBe(3);
    // The local REJECT scored nobody down: the peer is still connected with its score intact.
    expect(a.p2p.peerCount()).toBe(1);
  }, 15_000);

  test("a full mesh of 4 delivers once per node even though every node hears each message several times", async () => {
    const a = await startNode();
    const others = [await startNode({ bootnodes: [a.url] }), await startNode({ bootnodes: [a.url] }), await startNode({ bootnodes: [a.url] })];
    const nodes = [a, ...others];
    await waitFor(() => nodes.every((n) => n.p2p.peerCount() === 3), 5000, "full mesh via peer exchange");
    const got = record(nodes, "txs");
    await sleep(150);
    for (let i = 0; i < 10; i++) nodes[i % 4]?.p2p.publish("txs", enc(`tx ${i}`));
    const expected = nodes.map((_, i) => Array.from({ length: 10 }, (_, k) => k).filter((k) => k % 4 !== i).map((k) => `tx ${k}`));
    await waitFor(() => got.every((g, i) => g.length === expected[i]?.length), 3000, "delivery");
    await sleep(300);
    got.forEach((g, i) => expect(g.map((x) => x.data).sort()).toEqual(expected[i]?.sort() as string[]));
    const dups = nodes.reduce((s, n) => s + n.p2p.getMetrics().gossipDuplicates, 0);
    expect(dups).toBeGreaterThan(0);
  }, 15_000);

  test("with a mesh degree of 1, IHAVE/IWANT heals the gaps", async () => {
    const gossip = { D: 1, Dlo: 1, Dhi: 1, Dlazy: 6 };
    const a = await startNode({ gossip });
    const others = await Promise.all([1, 2, 3, 4].map(() => startNode({ gossip, bootnodes: [a.url] })));
    const nodes = [a, ...others];
    await waitFor(() => nodes.every((n) => n.p2p.peerCount() === 4), 5000, "full mesh");
    const got = record(nodes, "consensus");
    await sleep(300);
    for (let i = 0; i < 5; i++) a.p2p.publish("consensus", enc(`vote ${i}`));
    await waitFor(() => got.slice(1).every((g) => g.length === 5), 4000, "healed delivery");
    await sleep(300);
    for (const g of got.slice(1)) expect(g.length).toBe(5);
    const served = nodes.reduce((s, n) => s + n.p2p.getMetrics().iwantServed, 0);
    expect(served).toBeGreaterThan(0);
  }, 15_000);

  test("IGNORE and REJECT are not relayed; REJECT scores the sender down until it is disconnected", async () => {
    const [a, b, c] = await line(3, { peerExchange: false });
    await waitFor(() => b?.p2p.peerCount() === 2, 3000, "line of 3");
    const got = record([a, b, c] as TestNode[], "blocks", (m, i) => (i !== 1 ? "ACCEPT" : dec(m.data).startsWith("bad") ? "REJECT" : dec(m.data).startsWith("old") ? "IGNORE" : "ACCEPT"));
    await sleep(150);
    a?.p2p.publish("blocks", enc("old 1"));
    a?.p2p.publish("blocks", enc("good 1"));
    await waitFor(() => got[2]?.length === 1, 2000, "good message relayed");
    expect(got[2]?.[0]?.data).toBe("good 1");
    a?.p2p.publish("blocks", enc("bad 1"));
    await waitFor(() => (b?.p2p.scoreOf(a?.p2p.nodeId as string) ?? 0) < -10, 2000, "score down");
    expect(b?.p2p.peerCount()).toBe(2);
    a?.p2p.publish("blocks", enc("bad 2"));
    a?.p2p.publish("blocks", enc("bad 3"));
    await waitFor(() => b?.p2p.peerCount() === 1, 2000, "A disconnected by B");
    expect(b?.p2p.isBlocked(a?.p2p.nodeId as string)).toBe(true); // cooldown
    expect(got[2]?.map((x) => x.data)).toEqual(["good 1"]);
    expect(b?.p2p.getMetrics().gossipRejected).toBe(3);
    expect(b?.p2p.getMetrics().gossipIgnored).toBe(1);
    await sleep(300); // A keeps redialing B; B keeps refusing during the cooldown
    expect(b?.p2p.peerCount()).toBe(1);
  }, 15_000);

  test("sendTo delivers to one peer only, marked direct, never relayed", async () => {
    const [a, b, c] = await line(3, { peerExchange: false });
    await waitFor(() => b?.p2p.peerCount() === 2, 3000, "line of 3");
    const got = record([a, b, c] as TestNode[], "consensus");
    await sleep(150);
    expect(a?.p2p.sendTo(b?.p2p.nodeId as string, "consensus", enc("vote for leader"))).toBe(true);
    await waitFor(() => got[1]?.length === 1, 2000, "direct delivery");
    await sleep(200);
    expect(got[1]?.[0]).toEqual({ data: "vote for leader", from: a?.p2p.nodeId as string, direct: true });
    expect(got[2]).toEqual([]);
    expect(a?.p2p.sendTo("0x" + "11".repeat(20), "consensus", enc("x"))).toBe(false);
  }, 10_000);

  test("a message larger than maxMessageBytes is refused locally", async () => {
    const a = await startNode();
    expect(() => a.p2p.publish("blocks", new Uint8Array(300 * 1024))).toThrow(RangeError);
  });
});
