// Issue 11 target 5 (pipelined stages): a fetched range's senders are recovered on workers in one
// batch while earlier ranges execute, and blocks are imported with them (the chain recovers none);
// when that batch fails, every block recovers its own senders and the sync result is the same.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SignedTransaction } from "../../../src/core/index.ts";
import { SenderRecoveryPool } from "../../../src/execution/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { createSyncer } from "../../../src/sync/index.ts";
import { devChain } from "../chain/_helpers.ts";
import { GENESIS, buildSourceChain, committeeVerifier, hashes, memoryLogger, startNetNode, stopAllNodes, waitFor, type SourceChain } from "./_helpers.ts";

const BLOCKS = 150n;
let source: SourceChain;

beforeAll(async () => {
  source = await buildSourceChain(Number(BLOCKS));
}, 60_000);

afterAll(stopAllNodes);

class CountingPool extends SenderRecoveryPool {
  calls = 0;
  jobs = 0;
  constructor(readonly fail: boolean) {
    super(1);
  }
  override recover(jobs: Uint8Array): Promise<Uint8Array> {
    this.calls++;
    this.jobs += jobs.length / 97;
    return this.fail ? Promise.reject(new Error("pool down")) : super.recover(jobs);
  }
}

async function syncWith(pool: CountingPool) {
  const src = source.chain;
  const genesisHash = src.genesis.hash;
  const server = await startNetNode({ genesisHash, getHead: () => src.head, serve: { source: src, getHeadCommit: () => source.headCommit() } });
  const chain = await devChain(openStore(":memory:"), GENESIS);
  const client = await startNetNode({ genesisHash, getHead: () => chain.head, bootnodes: [server.url] });
  const syncer = createSyncer(
    { rangeSize: 32 },
    { chain, p2p: client.p2p, verifyCommit: committeeVerifier(source.committee), logger: memoryLogger(), clock: { now: () => Date.now() }, senderPool: pool },
  );
  syncer.start();
  await waitFor(() => chain.head.number === BLOCKS, 60_000, "sync to the source head");
  await syncer.stop();
  expect(hashes(chain, BLOCKS)).toEqual(hashes(src, BLOCKS));
  expect(chain.head.stateRoot).toEqual(src.head.stateRoot);
  const stats = { ...chain.senderRecoveryStats };
  await chain.close();
  pool.close();
  return stats;
}

function txCount(): number {
  let n = 0;
  for (let h = 1n; h <= BLOCKS; h++) n += (source.chain.getBlockByNumber(h)?.transactions as SignedTransaction[]).length;
  return n;
}

describe("sync sender recovery", () => {
  test("senders of each range are recovered in one batch ahead of execution; the chain recovers none", async () => {
    const pool = new CountingPool(false);
    const stats = await syncWith(pool);
    const total = txCount();
    expect(pool.jobs).toBe(total);
    expect(pool.calls).toBeLessThanOrEqual(Math.ceil(Number(BLOCKS) / 32) + 1);
    expect(stats.recovered).toBe(0);
    expect(stats.reused).toBe(total);
  }, 120_000);

  test("when the batch fails, each block recovers its own senders and the synced chain is the same", async () => {
    const pool = new CountingPool(true);
    const stats = await syncWith(pool);
    expect(pool.calls).toBeGreaterThan(0);
    expect(stats.recovered).toBe(txCount());
  }, 120_000);
});
