// DESIGN §Sync, issue 4 acceptance 5: a node 600 blocks behind catches up over real p2p sockets,
// verifying every commit signature, reports eth_syncing progress meanwhile, and then keeps following.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openStore } from "../../../src/store/index.ts";
import { createSyncer, type SyncStatus } from "../../../src/sync/index.ts";
import { devChain } from "../chain/_helpers.ts";
import { GENESIS, buildSourceChain, committeeVerifier, hashes, memoryLogger, startNetNode, stopAllNodes, waitFor, type SourceChain } from "./_helpers.ts";

let source: SourceChain;

beforeAll(async () => {
  source = await buildSourceChain(600);
}, 60_000);

afterAll(stopAllNodes);

describe("syncer", () => {
  test("an empty node syncs 600 blocks with identical hashes and roots, shows progress, then follows new blocks", async () => {
    const src = source.chain;
    const genesisHash = src.genesis.hash;
    const server = await startNetNode({ genesisHash, getHead: () => src.head, serve: { source: src, getHeadCommit: () => source.headCommit() } });
    const chain = await devChain(openStore(":memory:"), GENESIS);
    const client = await startNetNode({ genesisHash, getHead: () => chain.head, bootnodes: [server.url] });
    const calls = { n: 0 };
    const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    // Once a terminal line shows progress (the node's status line), the periodic log line drops to debug.
    let shownElsewhere = false;
    let shownFrom = -1;
    const syncer = createSyncer(
      { progressIntervalMs: 200, rangeSize: 64 },
      {
        chain, p2p: client.p2p, verifyCommit: committeeVerifier(source.committee, calls), logger: memoryLogger(lines), clock: { now: () => Date.now() },
        progressShownElsewhere: () => shownElsewhere,
      },
    );
    const syncedEvents: bigint[] = [];
    syncer.on("synced", (e) => syncedEvents.push(e.head.number));
    expect(syncer.isSynced()).toBe(false);
    syncer.start();

    const seen: SyncStatus[] = [];
    await waitFor(() => {
      seen.push(syncer.status());
      if (!shownElsewhere && lines.some((l) => l.msg === "sync progress" && l.level === "info")) {
        shownElsewhere = true;
        shownFrom = lines.length;
      }
      return syncer.isSynced() && chain.head.number === src.head.number;
    }, 60_000, "sync to the source head");

    expect(hashes(chain, 600n)).toEqual(hashes(src, 600n));
    expect(chain.head.stateRoot).toEqual(src.head.stateRoot);
    for (const n of [1n, 299n, 600n]) expect(chain.getHeaderByNumber(n)?.stateRoot).toEqual(src.getHeaderByNumber(n)?.stateRoot);
    // Balances through the synced state, not only the header claims.
    const probe = source.chain.getBlockByNumber(600n)?.transactions[0]?.to?.bytes as Uint8Array;
    expect(chain.stateAt().getBalance(probe)).toBe(src.stateAt().getBalance(probe));
    // Observed mid-sync, as eth_syncing would report it.
    const mid = seen.find((s) => s.syncing && s.currentBlock > 0n && s.currentBlock < s.highestBlock);
    expect(mid).toBeDefined();
    expect(mid?.startingBlock).toBe(0n);
    expect(mid?.highestBlock).toBe(600n);
    // While syncing the status carries the rate and an ETA (eth_syncing's extra fields).
    expect(seen.some((s) => s.syncing && (s.blocksPerSecond ?? 0) > 0 && typeof s.etaSeconds === "number" && s.etaSeconds > 0)).toBe(true);
    expect(syncer.status()).toEqual({ syncing: false, startingBlock: 0n, currentBlock: 600n, highestBlock: 600n });
    // Every header's commit of its parent (blocks 1..599) plus the head's proof from sync/commit.
    expect(calls.n).toBeGreaterThanOrEqual(600);
    expect(syncedEvents).toEqual([600n]);
    expect(syncer.latestCommit()?.number).toBe(600n);
    expect(syncer.latestCommit()?.sig).toEqual(source.headCommit()?.sig as Uint8Array);
    expect(syncer.metrics()).toMatchObject({ blocksImported: 600, peersPenalized: 0, lag: 0n });
    expect(lines.some((l) => l.msg === "sync progress" && l.level === "info" && typeof l.fields?.blocksPerSec === "number" && typeof l.fields?.eta === "string")).toBe(true);
    expect(shownFrom).toBeGreaterThan(0);
    expect(lines.slice(shownFrom).filter((l) => l.msg === "sync progress").every((l) => l.level === "debug")).toBe(true);

    // Following: the source produces 5 more blocks and announces its head; the syncer catches up again.
    await source.extend(5, 2);
    await waitFor(() => chain.head.number === 605n, 15_000, "follow to 605");
    await syncer.whenIdle();
    expect(hashes(chain, 605n)).toEqual(hashes(src, 605n));
    expect(syncer.latestCommit()?.number).toBe(605n);
    await waitFor(() => syncer.isSynced(), 5000, "synced again");

    await syncer.stop();
    await chain.close();
  }, 120_000);

  test("options are checked; a node alone is synced only when it needs no peers", async () => {
    const chain = await devChain(openStore(":memory:"), GENESIS);
    const node = await startNetNode({ genesisHash: chain.genesis.hash, getHead: () => chain.head });
    const modules = { chain, p2p: node.p2p, verifyCommit: () => false, logger: memoryLogger(), clock: { now: () => Date.now() } };
    expect(() => createSyncer({ rangeSize: 129 }, modules)).toThrow(RangeError);
    expect(() => createSyncer({ maxRangesInFlight: 0 }, modules)).toThrow(RangeError);
    expect(() => createSyncer({ minPeers: -1 }, modules)).toThrow(RangeError);
    const needsPeer = createSyncer({ recheckIntervalMs: 20 }, modules);
    const alone = createSyncer({ minPeers: 0 }, modules);
    const events: string[] = [];
    alone.on("synced", (e) => events.push(`synced ${e.head.number} ${e.commit === undefined}`));
    needsPeer.start();
    alone.start();
    await waitFor(() => alone.isSynced(), 2000, "alone synced");
    await new Promise((r) => setTimeout(r, 100));
    expect(needsPeer.isSynced()).toBe(false);
    expect(events).toEqual(["synced 0 true"]);
    expect(alone.status()).toEqual({ syncing: false, startingBlock: 0n, currentBlock: 0n, highestBlock: 0n });
    await Promise.all([needsPeer.stop(), alone.stop()]);
    await chain.close();
  }, 20_000);
});
