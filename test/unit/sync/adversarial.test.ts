// DESIGN §Sync / §P2P: a peer serving a forged commit signature, or a block body that does not match
// its header, is dropped (disconnected and not asked again) and the range is fetched from an honest
// peer; the node ends on the honest chain.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Block, type Header, createBlock, createHeader } from "../../../src/core/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { SyncMethod, createSyncer, type SyncSource } from "../../../src/sync/index.ts";
import { devChain } from "../chain/_helpers.ts";
import { GENESIS, buildSourceChain, committeeVerifier, createCommittee, hashes, memoryLogger, startNetNode, stopAllNodes, waitFor, type SourceChain } from "./_helpers.ts";

let source: SourceChain;

beforeAll(async () => {
  source = await buildSourceChain(300);
}, 60_000);

afterAll(stopAllNodes);

async function syncAgainst(bad: { source: SyncSource; getHeadCommit: (h: Header) => ReturnType<SourceChain["headCommit"]> }) {
  const src = source.chain;
  const genesisHash = src.genesis.hash;
  const honest = await startNetNode({ genesisHash, getHead: () => src.head, serve: { source: src, getHeadCommit: () => source.headCommit() } });
  const liar = await startNetNode({ genesisHash, getHead: () => bad.source.head, serve: bad });
  const chain = await devChain(openStore(":memory:"), GENESIS);
  const client = await startNetNode({ genesisHash, getHead: () => chain.head, bootnodes: [liar.url, honest.url] });
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const syncer = createSyncer({ rangeSize: 32 }, { chain, p2p: client.p2p, verifyCommit: committeeVerifier(source.committee), logger: memoryLogger(lines), clock: { now: () => Date.now() } });
  // Both peers connected before the first run, so the liar is asked.
  await waitFor(() => client.p2p.peerCount() === 2, 5000, "two peers");
  syncer.start();
  await waitFor(() => syncer.isSynced(), 60_000, "synced");
  const liarId = liar.p2p.nodeId;
  return { chain, syncer, lines, liarId, client };
}

describe("bad peers", () => {
  test("a peer announcing a longer chain with forged commit signatures is dropped; sync ends on the honest head", async () => {
    const src = source.chain;
    const impostors = await createCommittee(4);
    // Blocks past the honest head, each "committed" by keys outside the committee.
    const forged: Header[] = [];
    let parent = src.head;
    for (let i = 0; i < 20; i++) {
      const proof = impostors.sign(parent);
      const h = createHeader({ ...parent.toData(), parentHash: parent.hash, number: parent.number + 1n, timestamp: parent.timestamp + 1n, lastCommitSig: proof.sig, lastCommitBitmap: proof.bitmap });
      forged.push(h);
      parent = h;
    }
    const top = forged[forged.length - 1] as Header;
    const base = src.head.number;
    const liarSource: SyncSource = {
      head: top,
      getHeaderByNumber: (n) => (n <= base ? src.getHeaderByNumber(n) : forged[Number(n - base) - 1]),
      getBlockByNumber: (n): Block | undefined => {
        if (n <= base) return src.getBlockByNumber(n);
        const h = forged[Number(n - base) - 1];
        return h === undefined ? undefined : createBlock(h, []);
      },
    };
    const { chain, syncer, lines, liarId, client } = await syncAgainst({ source: liarSource, getHeadCommit: () => impostors.sign(top) });
    expect(client.p2p.peers().length).toBeGreaterThanOrEqual(1);
    expect(chain.head.number).toBe(base);
    expect(hashes(chain, base)).toEqual(hashes(src, base));
    expect(syncer.metrics().peersPenalized).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.msg.includes("invalid data") && l.fields?.peer === liarId && String(l.fields?.reason).includes("commit signature"))).toBe(true);
    // The liar is a bootnode, so it is dialed again; it stays out of the syncer's view for its cooldown.
    await waitFor(() => client.p2p.peers().some((p) => p.id === liarId), 5000, "liar reconnects");
    await waitFor(() => client.p2p.peers().some((p) => p.id === liarId && p.head.number > base), 5000, "liar's head");
    expect(syncer.status()).toMatchObject({ syncing: false, currentBlock: base, highestBlock: base });
    expect(syncer.isSynced()).toBe(true);
    await syncer.stop();
    await chain.close();
    await stopAllNodes();
  }, 90_000);

  test("a peer serving bodies that do not match their headers is dropped; the ranges come from the honest peer", async () => {
    const src = source.chain;
    // Same headers, but each body loses its last transaction (the header's tx root no longer matches).
    const liarSource: SyncSource = {
      get head() {
        return src.head;
      },
      getHeaderByNumber: (n) => src.getHeaderByNumber(n),
      getBlockByNumber: (n) => {
        const b = src.getBlockByNumber(n);
        return b === undefined ? undefined : createBlock(b.header, b.transactions.slice(0, -1));
      },
    };
    const { chain, syncer, lines, liarId } = await syncAgainst({ source: liarSource, getHeadCommit: () => source.headCommit() });
    expect(chain.head.number).toBe(src.head.number);
    expect(hashes(chain, src.head.number)).toEqual(hashes(src, src.head.number));
    expect(syncer.metrics().peersPenalized).toBe(1);
    expect(lines.some((l) => l.msg.includes("invalid data") && l.fields?.peer === liarId && String(l.fields?.reason).includes("tx root"))).toBe(true);
    await syncer.stop();
    await chain.close();
    await stopAllNodes();
  }, 90_000);

  test("a peer that never answers times out; its ranges are fetched again from the honest peer", async () => {
    const src = source.chain;
    const genesisHash = src.genesis.hash;
    const honest = await startNetNode({ genesisHash, getHead: () => src.head, serve: { source: src, getHeadCommit: () => source.headCommit() } });
    const silent = await startNetNode({ genesisHash, getHead: () => src.head });
    for (const m of [SyncMethod.HEADERS, SyncMethod.BLOCKS, SyncMethod.COMMIT]) silent.p2p.handle(m, () => new Promise<Uint8Array>(() => undefined));
    const chain = await devChain(openStore(":memory:"), GENESIS);
    const client = await startNetNode({ genesisHash, getHead: () => chain.head, bootnodes: [silent.url, honest.url] });
    const syncer = createSyncer({ rangeSize: 32, requestTimeoutMs: 300 }, { chain, p2p: client.p2p, verifyCommit: committeeVerifier(source.committee), logger: memoryLogger(), clock: { now: () => Date.now() } });
    await waitFor(() => client.p2p.peerCount() === 2, 5000, "two peers");
    syncer.start();
    await waitFor(() => syncer.isSynced(), 60_000, "synced");
    expect(hashes(chain, src.head.number)).toEqual(hashes(src, src.head.number));
    expect(syncer.metrics().rangeRetries).toBeGreaterThanOrEqual(1);
    expect(syncer.metrics().peersPenalized).toBe(0);
    // p2p scores a request timeout down by itself.
    expect(client.p2p.scoreOf(silent.p2p.nodeId)).toBeLessThan(0);
    await syncer.stop();
    await chain.close();
    await stopAllNodes();
  }, 90_000);
});
