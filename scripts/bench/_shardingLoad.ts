/**
 * Transfer throughput of an S-shard devnet for `make bench sharding` (issue 10 acceptance 5). Each
 * shard's RPC node gets plain transfers from 100 senders (funded by the ten dev accounts, which exist
 * on every shard), in JSON-RPC batches of 100 signed before the devnet starts (on the fly past
 * PRESIGNED; this process's CPU is reported), keeping BACKLOG transfers submitted but not yet in a
 * block, so every shard always has more than it can take. After a warm-up, a fixed window counts the
 * transfers in the blocks each shard's RPC node stores (heads polled, blocks read), and the CPU time
 * (utime + stime from /proc) of every node process, per shard (its validators and RPC node). Epochs
 * are long (EPOCH_BLOCKS) so no election, VDF or resharding falls in the window: it measures transfers.
 */
import { bytesToHex, hexToBytes } from "@ethereumjs/util";
import { privateKeyToAddress } from "viem/accounts";
import { DEV_ACCOUNTS } from "../../src/core/index.ts";
import { type TestDevnet, startDevnet, toNumber, waitFor } from "../../test/e2e/_devnet.ts";
import { type Sender, RPC_BATCH, benchSenderKey, processCpuMs, rpcBatch, signTransfer } from "./_shardingRpc.ts";

const SENDERS = 100;
// Per shard: more than a block takes here; more makes each block longer to build and verify than a
// loaded 2-core machine finishes within a view's timeout (view changes then cut the rate, not load).
const BACKLOG = 1000;
const WARMUP_MS = 12_000;
/**
 * Transfers signed before the devnet starts, over all shards (≈ 1,000 tx/s through warm-up and window):
 * signing on the fly takes ~0.3 ms of this machine's CPU per transfer, away from the nodes.
 */
const PRESIGNED = 42_000;
const WINDOW_MS = 30_000;
/** Blocks per epoch: the VRF cut-off (E/2) and so the VDF fall well after the window at 1 s blocks. */
export const EPOCH_BLOCKS = 240;
export const BLOCK_TIME_S = 1;
const NETWORK_ID = 31337n;
const SINK = hexToBytes("0x000000000000000000000000000000000000dEaD");

/** What one S-shard network carried in the window. */
export interface Throughput {
  shards: number;
  processes: number;
  windowMs: number;
  /** Transfers in the window's blocks, per shard. */
  transfers: number[];
  /** Blocks in the window, per shard. */
  blocks: number[];
  /** CPU ms of each shard's node processes (its validators and RPC node) in the window. */
  cpuMs: number[];
  /** CPU ms of this process (signing and submitting the load) in the window. */
  generatorCpuMs: number;
  /** Submissions the RPC nodes refused (with the first reason). */
  refused: number;
  firstRefusal?: string;
}

/** One shard's load: its RPC URL, senders and counters. */
interface ShardLoad {
  rpc: string;
  chainId: bigint;
  senders: Sender[];
  /** Batches signed ahead, one nonce level of every sender each. */
  signed: string[][];
  submitted: number;
  included: number;
  head: number;
  /** Transfers per block number, as read. */
  txsAt: Map<number, number>;
}

const rpcOf = (d: TestDevnet, s: number): string => {
  const n = d.manifest().shards[s]?.nodes.find((x) => !x.validator);
  if (!n) throw new Error(`devnet.json lists no RPC node of shard ${s}`);
  return n.rpc;
};

async function fund(load: ShardLoad): Promise<void> {
  const perDev = SENDERS / DEV_ACCOUNTS.length;
  const raws: string[] = [];
  for (const [i, a] of DEV_ACCOUNTS.entries()) {
    const dev: Sender = { key: hexToBytes(a.privateKey as `0x${string}`), nonce: 0n };
    for (let j = 0; j < perDev; j++) raws.push(signTransfer(dev, load.chainId, hexToBytes(privateKeyToAddress(bytesToHex(benchSenderKey(i * perDev + j)) as `0x${string}`)), 10n ** 21n));
  }
  const answers = await rpcBatch(load.rpc, raws.map((r) => ({ method: "eth_sendRawTransaction", params: [r] })));
  const bad = answers.find((a) => "error" in a);
  if (bad) throw new Error(`funding transfer refused on ${load.rpc}: ${JSON.stringify(bad)}`);
  const addrs = load.senders.map((s) => privateKeyToAddress(bytesToHex(s.key) as `0x${string}`));
  await waitFor(`the ${SENDERS} senders funded on ${load.rpc}`, 120_000, async () => {
    const bal = await rpcBatch(load.rpc, addrs.map((a) => ({ method: "eth_getBalance", params: [a, "latest"] })));
    return bal.every((b) => "result" in b && BigInt(b.result as string) > 0n);
  }, 500);
}

/** Read the blocks the shard's RPC node stored since the last look. */
async function readBlocks(load: ShardLoad): Promise<void> {
  const head = await headOf(load);
  for (let from = load.head + 1; from <= head; from += RPC_BATCH) {
    const nums = Array.from({ length: Math.min(RPC_BATCH, head - from + 1) }, (_, i) => from + i);
    const blocks = await rpcBatch(load.rpc, nums.map((n) => ({ method: "eth_getBlockByNumber", params: [`0x${n.toString(16)}`, false] })));
    blocks.forEach((b, i) => {
      const txs = "result" in b ? ((b.result as { transactions?: unknown[] } | null)?.transactions?.length ?? 0) : 0;
      load.txsAt.set(nums[i] as number, txs);
      load.included += txs;
    });
  }
  load.head = Math.max(load.head, head);
}

/** One nonce level of every sender: a batch, so that no sender runs more than BACKLOG / SENDERS ahead. */
function nextLevel(load: ShardLoad): string[] {
  return load.senders.map((s) => signTransfer(s, load.chainId, SINK, 1n));
}

/** Keep BACKLOG transfers outstanding at the shard until `stop()`; refusals are counted in `stats`. */
async function drive(load: ShardLoad, stop: () => boolean, stats: { refused: number; firstRefusal?: string }): Promise<void> {
  while (!stop()) {
    if (load.submitted - load.included >= BACKLOG) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const raws = load.signed.shift() ?? nextLevel(load);
    const answers = await rpcBatch(load.rpc, raws.map((r) => ({ method: "eth_sendRawTransaction", params: [r] })));
    for (const a of answers) {
      if ("result" in a) continue;
      stats.refused++;
      stats.firstRefusal ??= a.error.message;
    }
    load.submitted += raws.length;
  }
}

/** Read the shard's new blocks every 200 ms until `stop()`. */
async function follow(load: ShardLoad, stop: () => boolean): Promise<void> {
  while (!stop()) {
    await readBlocks(load);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function headOf(load: ShardLoad): Promise<number> {
  const [h] = await rpcBatch(load.rpc, [{ method: "eth_blockNumber", params: [] }]);
  const n = h && "result" in h ? toNumber(h.result as string) : undefined;
  if (n === undefined) throw new Error(`eth_blockNumber at ${load.rpc}: ${JSON.stringify(h)}`);
  return n;
}

function cpuOf(pids: number[]): number {
  return pids.reduce((sum, p) => sum + (processCpuMs(p) ?? 0), 0);
}

/**
 * Run an S-shard devnet (2 validators × 1 key and 1 RPC node per shard), load it, measure the window.
 * @throws {Error} when the devnet does not start or the funding transfers are refused.
 */
export async function measureThroughput(shards: number): Promise<Throughput> {
  const loads: ShardLoad[] = Array.from({ length: shards }, (_, s) => ({
    rpc: "", chainId: NETWORK_ID + BigInt(s), senders: Array.from({ length: SENDERS }, (_, i) => ({ key: benchSenderKey(i), nonce: 0n })),
    signed: [], submitted: 0, included: 0, head: 0, txsAt: new Map(),
  }));
  for (const l of loads) l.signed = Array.from({ length: Math.ceil(PRESIGNED / shards / SENDERS) }, () => nextLevel(l));
  const d = await startDevnet({ shards, validators: 2, keysPerNode: 1, rpcNodes: 1, blockTime: BLOCK_TIME_S, extraArgs: ["--epoch-blocks", String(EPOCH_BLOCKS)], timeoutMs: 180_000 });
  try {
    loads.forEach((l, s) => (l.rpc = rpcOf(d, s)));
    for (const l of loads) await waitFor(`shard ${l.chainId - NETWORK_ID} height 2`, 120_000, async () => (await readBlocks(l), l.head >= 2), 300);
    await Promise.all(loads.map(fund));
    for (const l of loads) {
      await readBlocks(l);
      l.included = 0;
    }
    const pidsOf = (s: number) => (d.manifest().shards[s]?.nodes ?? []).map((n) => n.pid as number);
    let stopped = false;
    const stats: { refused: number; firstRefusal?: string } = { refused: 0 };
    const running = [...loads.map((l) => drive(l, () => stopped, stats)), ...loads.map((l) => follow(l, () => stopped))];
    try {
      await new Promise((r) => setTimeout(r, WARMUP_MS));
      const h0 = await Promise.all(loads.map(headOf));
      const c0 = loads.map((_, s) => cpuOf(pidsOf(s)));
      const g0 = process.cpuUsage();
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const h1 = await Promise.all(loads.map(headOf));
      const windowMs = performance.now() - t0;
      const g = process.cpuUsage(g0);
      const c1 = loads.map((_, s) => cpuOf(pidsOf(s)));
      stopped = true;
      await Promise.allSettled(running);
      await Promise.all(loads.map(readBlocks));
      const sumTxs = (l: ShardLoad, a: number, b: number) => {
        let n = 0;
        for (let k = a + 1; k <= b; k++) n += l.txsAt.get(k) ?? 0;
        return n;
      };
      return {
        shards, processes: d.nodes().length, windowMs,
        transfers: loads.map((l, s) => sumTxs(l, h0[s] as number, h1[s] as number)),
        blocks: loads.map((_, s) => (h1[s] as number) - (h0[s] as number)),
        cpuMs: c1.map((c, s) => c - (c0[s] as number)),
        generatorCpuMs: (g.user + g.system) / 1000,
        refused: stats.refused,
        ...(stats.firstRefusal !== undefined ? { firstRefusal: stats.firstRefusal } : {}),
      };
    } finally {
      stopped = true;
      await Promise.allSettled(running);
    }
  } finally {
    await d.stop();
  }
}
