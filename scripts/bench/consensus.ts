/**
 * `make bench consensus` (issue 4, acceptance 6), on real processes over loopback:
 * - finality latency: signed transfers sent with eth_sendRawTransaction to the RPC node of a 4-validator
 *   devnet with 1 s blocks, timed until the receipt is served (every stored block is final under FBFT);
 * - consensus rounds with 252 BLS keys over 4 processes (`--keys-per-node 63`), at 1 s blocks and at 0.1 s
 *   (where the interval is the round's own cost): block interval, and the mean round and per-phase
 *   durations the nodes export on /metrics;
 * - the baseline in this process: aggregating and verifying 250 commit signatures with createBLS.
 * Each devnet is started and stopped here; the section takes about three minutes.
 */
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ACCOUNTS } from "../../src/core/index.ts";
import { commitPayload } from "../../src/consensus/index.ts";
import { type BLS, createBLS } from "../../src/crypto/index.ts";
import { type TestDevnet, blockAt, blockNumber, startDevnet, toNumber, waitFor, waitForHeight } from "../../test/e2e/_devnet.ts";
import { printTable, timeIt, type Row } from "./_table.ts";

const TXS = 30;
const TX_SPACING_MS = 300;
const ROUND_BLOCKS = 12;
const SINK = "0x000000000000000000000000000000000000dEaD";

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

/** Submit TXS transfers, TX_SPACING_MS apart, round-robin over dev accounts #1..#3; ms from send to receipt. */
async function finalityLatencies(d: TestDevnet, rpcNode: string): Promise<number[]> {
  const senders = DEV_ACCOUNTS.slice(1, 4).map((a) => privateKeyToAccount(a.privateKey as `0x${string}`));
  const nonces = await Promise.all(senders.map(async (s) => toNumber(await d.rpc(rpcNode, "eth_getTransactionCount", [s.address, "pending"])) ?? 0));
  const latencies: Promise<number>[] = [];
  for (let i = 0; i < TXS; i++) {
    const k = i % senders.length;
    const signer = senders[k] as (typeof senders)[number];
    const raw = await signer.signTransaction({
      chainId: 31337, type: "eip1559", to: SINK, value: BigInt(i + 1), gas: 21000n,
      maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, nonce: nonces[k] as number,
    });
    nonces[k] = (nonces[k] as number) + 1;
    const t0 = performance.now();
    const hash = (await d.rpc(rpcNode, "eth_sendRawTransaction", [raw])) as string;
    latencies.push(
      waitFor(`receipt of ${hash}`, 30_000, async () => ((await d.rpc(rpcNode, "eth_getTransactionReceipt", [hash])) ? performance.now() - t0 : undefined), 10),
    );
    await new Promise((r) => setTimeout(r, TX_SPACING_MS));
  }
  return Promise.all(latencies);
}

/** Block intervals (ms, observed at the RPC node) over `blocks` blocks. */
async function blockIntervals(d: TestDevnet, rpcNode: string, blocks: number): Promise<number[]> {
  let h = await blockNumber(d, rpcNode);
  let t = performance.now();
  const out: number[] = [];
  while (out.length < blocks) {
    const n = await waitForHeight(d, rpcNode, h + 1, 30_000);
    const now = performance.now();
    out.push((now - t) / (n - h));
    h = n;
    t = now;
  }
  return out;
}

/** Mean round and per-phase durations (ms, Prometheus summary sum ÷ count) from one node's /metrics, when it exposes them. */
async function phaseDurations(rpcUrl: string): Promise<Record<string, number>> {
  const text = await fetch(`${rpcUrl}metrics`).then((r) => (r.ok ? r.text() : ""), () => "");
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(\w*phase\w*)_(sum|count)\{([^}]*)\}\s+([0-9.eE+-]+)$/.exec(line);
    if (!m) continue;
    const phase = /phase="([^"]+)"/.exec(m[3] ?? "")?.[1];
    if (!phase) continue;
    (m[2] === "sum" ? sums : counts).set(phase, Number(m[4]));
  }
  const round = /^harmony_consensus_round_duration_seconds_sum\s+([0-9.eE+-]+)$/m.exec(text);
  const rounds = /^harmony_consensus_round_duration_seconds_count\s+([0-9.eE+-]+)$/m.exec(text);
  const out: Record<string, number> = {};
  if (round && rounds && Number(rounds[1]) > 0) out.round = (Number(round[1]) / Number(rounds[1])) * 1000;
  for (const [phase, sum] of sums) {
    const c = counts.get(phase);
    if (c) out[phase] = (sum / c) * 1000;
  }
  return out;
}

async function blsBaseline(bls: BLS): Promise<Row[]> {
  const n = 250;
  const sks = Array.from({ length: n }, (_, i) => bls.keygen(new Uint8Array(32).fill(i + 1)));
  const pks = sks.map((sk) => bls.secretToPublic(sk));
  const msg = commitPayload(1234n, new Uint8Array(32).fill(7), 1234n);
  const sigs = sks.map((sk) => bls.sign(sk, msg));
  const agg = bls.aggregateSignatures(sigs);
  if (!bls.fastAggregateVerify(pks, msg, agg)) throw new Error("aggregate does not verify");
  const opts = { minMs: 500, minIters: 3 };
  const rows: Row[] = [];
  const add = (what: string, us: number) => rows.push({ backend: bls.backend, what, "ms": us / 1000 });
  add("aggregate 250 signatures", await timeIt(() => bls.aggregateSignatures(sigs), opts));
  add("aggregate 250 public keys", await timeIt(() => bls.aggregatePublicKeys(pks), opts));
  add("fastAggregateVerify, 250 keys", await timeIt(() => bls.fastAggregateVerify(pks, msg, agg), opts));
  add("verify 250 one by one", await timeIt(() => sigs.every((s, i) => bls.verify(pks[i] as Uint8Array, msg, s)), { minMs: 1, minIters: 2 }));
  add("batch-verify 250 sets", await timeIt(() => bls.verifyMultipleSignatures(sigs.map((signature, i) => ({ publicKey: pks[i] as Uint8Array, message: msg, signature }))), opts));
  return rows;
}

async function withDevnet<T>(opts: Parameters<typeof startDevnet>[0], fn: (d: TestDevnet) => Promise<T>): Promise<T> {
  const d = await startDevnet(opts);
  try {
    return await fn(d);
  } finally {
    await d.stop();
  }
}

/** Print the consensus tables. */
export async function run(): Promise<void> {
  const rpcNode = "node4";
  const lat = await withDevnet({ validators: 4, keysPerNode: 1, blockTime: 1, rpcNodes: 1 }, async (d) => {
    await waitForHeight(d, rpcNode, 2, 60_000);
    return finalityLatencies(d, rpcNode);
  });
  printTable(`consensus: finality latency, 4 validators, 1 s blocks (${TXS} transfers, submit → receipt in a final block)`, [
    { txs: String(lat.length), "p50 ms": percentile(lat, 50), "p95 ms": percentile(lat, 95), "min ms": Math.min(...lat), "max ms": Math.max(...lat) },
  ]);

  // At 1 s blocks the round is paced by the block time; at 0.1 s the interval is the round's own cost.
  const roundRows: Row[] = [];
  for (const blockTime of [1, 0.1]) {
    const round = await withDevnet({ validators: 4, keysPerNode: 63, blockTime, rpcNodes: 1, timeoutMs: 180_000 }, async (d) => {
      await waitForHeight(d, rpcNode, 3, 120_000);
      const intervals = await blockIntervals(d, rpcNode, ROUND_BLOCKS);
      const head = await blockNumber(d, rpcNode);
      const bitmap = (await blockAt(d, rpcNode, head))?.lastCommitBitmap;
      const signers = typeof bitmap === "string" ? [...bitmap.slice(2)].reduce((a, c) => a + (Number.parseInt(c, 16).toString(2).split("1").length - 1), 0) : Number.NaN;
      return { intervals, signers, phases: await phaseDurations(d.node("node0").rpc) };
    });
    const row: Row = {
      "block time": `${blockTime} s`, blocks: String(round.intervals.length),
      "interval p50 ms": percentile(round.intervals, 50), "interval p95 ms": percentile(round.intervals, 95), "signers in last bitmap": String(round.signers),
    };
    for (const [phase, ms] of Object.entries(round.phases)) row[`${phase} ms`] = ms;
    roundRows.push(row);
  }
  printTable("consensus: rounds with 252 BLS keys over 4 processes (--keys-per-node 63; phase means from node0's /metrics)", roundRows);

  const rows: Row[] = [];
  for (const backend of ["native", "wasm"] as const) {
    try {
      rows.push(...(await blsBaseline(await createBLS(backend))));
    } catch (e) {
      rows.push({ backend, what: `unavailable: ${(e as Error).message}`, ms: Number.NaN });
    }
  }
  printTable("consensus: BLS cost of one quorum of 250 commit signatures (in-process baseline)", rows);
}

if (import.meta.main) await run();
