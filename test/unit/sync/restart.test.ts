// DESIGN §Sync: a syncing node stopped mid-sync (its store closed) resumes from its stored head after
// a restart and completes, with the same chain as the source.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../../src/store/index.ts";
import { createSyncer } from "../../../src/sync/index.ts";
import { devChain } from "../chain/_helpers.ts";
import { GENESIS, buildSourceChain, committeeVerifier, hashes, memoryLogger, startNetNode, stopAllNodes, waitFor, type SourceChain } from "./_helpers.ts";

let source: SourceChain;
const dir = mkdtempSync(join(tmpdir(), "harmony-sync-"));

beforeAll(async () => {
  source = await buildSourceChain(400);
}, 60_000);

afterAll(async () => {
  await stopAllNodes();
  rmSync(dir, { recursive: true, force: true });
});

async function startSyncing(file: string, serverUrl: string) {
  const kv = openStore(file);
  const chain = await devChain(kv, GENESIS);
  const client = await startNetNode({ genesisHash: chain.genesis.hash, getHead: () => chain.head, bootnodes: [serverUrl] });
  const syncer = createSyncer({ rangeSize: 32, maxRangesInFlight: 2 }, { chain, p2p: client.p2p, verifyCommit: committeeVerifier(source.committee), logger: memoryLogger(), clock: { now: () => Date.now() } });
  syncer.start();
  return { kv, chain, client, syncer };
}

describe("restart", () => {
  test("sync resumes from the stored head after the syncing node restarts", async () => {
    const src = source.chain;
    const server = await startNetNode({ genesisHash: src.genesis.hash, getHead: () => src.head, serve: { source: src, getHeadCommit: () => source.headCommit() } });
    const file = join(dir, "chain.db");

    const first = await startSyncing(file, server.url);
    await waitFor(() => first.chain.head.number >= 150n, 30_000, "150 blocks");
    const t0 = Date.now();
    await first.syncer.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    const stoppedAt = first.chain.head.number;
    expect(stoppedAt).toBeLessThan(400n);
    await first.client.stop();
    await first.chain.close();
    first.kv.close();

    const second = await startSyncing(file, server.url);
    expect(second.chain.head.number).toBe(stoppedAt);
    await waitFor(() => second.syncer.status().syncing, 10_000, "second run");
    expect(second.syncer.status().startingBlock).toBe(stoppedAt);
    await waitFor(() => second.syncer.isSynced(), 60_000, "synced after restart");
    expect(second.chain.head.number).toBe(400n);
    expect(hashes(second.chain, 400n)).toEqual(hashes(src, 400n));
    expect(second.syncer.metrics().blocksImported).toBe(Number(400n - stoppedAt));
    await second.syncer.stop();
    await second.client.stop();
    await second.chain.close();
    second.kv.close();
  }, 120_000);
});
