// The serving side (src/sync/handlers.ts) over real p2p sockets: ranges bounded by the head, the count
// limits and the byte budget; commit proofs from the next header or, at the head, from the node;
// malformed requests answered with an error and the requester scored down.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeBlock, decodeHeader } from "../../../src/core/index.ts";
import { P2PError, P2PErrorCode } from "../../../src/p2p/index.ts";
import {
  SyncMethod,
  decodeCommitResponse,
  decodeItems,
  encodeCommitRequest,
  encodeRangeRequest,
} from "../../../src/sync/index.ts";
import { buildSourceChain, startNetNode, stopAllNodes, waitFor, type NetNode, type SourceChain } from "./_helpers.ts";

let source: SourceChain;
let server: NetNode;
let client: NetNode;
const BUDGET = 30_000;

beforeAll(async () => {
  source = await buildSourceChain(40, { txsPerBlock: 2 });
  const src = source.chain;
  const genesisHash = src.genesis.hash;
  // A byte budget that holds every header but not every block; scores that never disconnect, to
  // watch each penalty.
  server = await startNetNode({
    genesisHash,
    getHead: () => src.head,
    serve: { source: src, getHeadCommit: () => source.headCommit(), maxResponseBytes: BUDGET },
    p2p: { scoring: { disconnectThreshold: -1e6, banThreshold: -2e6 } },
  });
  client = await startNetNode({ genesisHash, getHead: () => src.genesis, bootnodes: [server.url] });
  await waitFor(() => client.p2p.peerCount() === 1, 5000, "connected");
}, 60_000);

afterAll(stopAllNodes);

const ask = (method: string, body: Uint8Array) => client.p2p.request(server.p2p.nodeId, method, body, { timeoutMs: 3000 });

describe("sync handlers", () => {
  test("sync/headers: consecutive headers from `from`, cut at the head", async () => {
    const got = decodeItems(await ask(SyncMethod.HEADERS, encodeRangeRequest({ from: 0n, count: 512 })), 512).map(decodeHeader);
    expect(41 * ((got[0]?.encoded.length ?? 0) + 9)).toBeLessThan(BUDGET);
    expect(got.length).toBe(41);
    got.forEach((h, i) => expect(h.hash).toEqual(source.chain.getHeaderByNumber(BigInt(i))?.hash as Uint8Array));
    expect(decodeItems(await ask(SyncMethod.HEADERS, encodeRangeRequest({ from: 38n, count: 10 })), 10).length).toBe(3);
    expect(decodeItems(await ask(SyncMethod.HEADERS, encodeRangeRequest({ from: 41n, count: 10 })), 10)).toEqual([]);
  });

  test("sync/blocks: whole blocks within the byte budget (at least one)", async () => {
    const items = decodeItems(await ask(SyncMethod.BLOCKS, encodeRangeRequest({ from: 1n, count: 128 })), 128);
    expect(items.length).toBeGreaterThanOrEqual(1);
    expect(items.length).toBeLessThan(40);
    expect(items.reduce((n, b) => n + b.length, 0)).toBeLessThanOrEqual(BUDGET);
    items.forEach((b, i) => {
      const block = decodeBlock(b, source.chain.common);
      expect(block.hash).toEqual(source.chain.getHeaderByNumber(BigInt(i + 1))?.hash as Uint8Array);
      expect(block.transactions.length).toBe(2);
    });
  });

  test("sync/commit: the next header's lastCommitSig below the head, the node's proof at the head, none above", async () => {
    const src = source.chain;
    const below = decodeCommitResponse(await ask(SyncMethod.COMMIT, encodeCommitRequest(10n)));
    expect(below?.sig).toEqual(src.getHeaderByNumber(11n)?.lastCommitSig as Uint8Array);
    expect(below?.bitmap).toEqual(Uint8Array.of(0x0f));
    const head = decodeCommitResponse(await ask(SyncMethod.COMMIT, encodeCommitRequest(40n)));
    expect(head).toEqual(source.headCommit());
    expect(decodeCommitResponse(await ask(SyncMethod.COMMIT, encodeCommitRequest(41n)))).toBeUndefined();
  });

  test("a malformed request or a count over the limit is refused and scores the requester down", async () => {
    for (const [method, body] of [
      [SyncMethod.HEADERS, encodeRangeRequest({ from: 0n, count: 513 })],
      [SyncMethod.BLOCKS, encodeRangeRequest({ from: 0n, count: 129 })],
      [SyncMethod.COMMIT, Uint8Array.of(0xff)],
    ] as const) {
      const before = server.p2p.scoreOf(client.p2p.nodeId);
      const e = await ask(method, body).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(P2PError);
      expect((e as P2PError).code).toBe(P2PErrorCode.REMOTE_ERROR);
      expect(server.p2p.scoreOf(client.p2p.nodeId)).toBeLessThan(before);
    }
  });
});
