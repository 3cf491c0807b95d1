/**
 * `make bench consensus` (issue 4 acceptance 6, issue 11 target 6), on real processes over loopback:
 * - finality: signed transfers sent with eth_sendRawTransaction to the RPC node at random moments,
 *   each timed until the RPC node announces (WebSocket newHeads) the final block holding it — every
 *   stored block is final under FBFT; on a 4-validator devnet with one key each (the baseline), with
 *   252 keys over the same 4 processes (`--keys-per-node 63`) at 0.5 s blocks, and with 252 keys and
 *   50 ms one-way latency between the processes at 1 s blocks (scripts/bench/_delayNet.ts);
 * - the block rate, the mean per-phase durations node0 exports on /metrics, and the CPU time of every
 *   node process per block (/proc), which the other work on the shared cores does not inflate;
 * - the baseline in this process: aggregating and verifying 250 commit signatures with createBLS.
 * Each network is started and stopped here; the section takes about four minutes.
 */
import { readFileSync } from "node:fs";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ACCOUNTS } from "../../src/core/index.ts";
import { commitPayload } from "../../src/consensus/index.ts";
import { type BLS, createBLS } from "../../src/crypto/index.ts";
import { rpcCall, startDevnet, toNumber, waitFor } from "../../test/e2e/_devnet.ts";
import { startDelayedDevnet } from "./_delayNet.ts";
import { addSummaryRow } from "./_summary.ts";
import { printTable, timeIt, type Row } from "./_table.ts";

const TXS = 40;
const WINDOWS = 2;
const SINK = "0x000000000000000000000000000000000000dEaD";

/** The nodes of a network under measurement. */
interface Net {
  names: readonly string[];
  rpcUrl(name: string): string;
  wsUrl(name: string): string;
  pid(name: string): number;
}

/** One measurement window. */
interface Window {
  latencies: number[];
  blocksPerS: number;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

const median = (xs: number[]) => percentile(xs, 50);

/** New heads at the RPC node as they are announced, with their local arrival times. */
async function watchHeads(wsUrl: string, onHead: (n: number, at: number) => void): Promise<() => void> {
  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`cannot open ${wsUrl}`));
  });
  ws.onmessage = (ev) => {
    const at = performance.now();
    const m = JSON.parse(String(ev.data)) as { method?: string; params?: { result?: { number?: string } } };
    const n = m.method === "eth_subscription" ? toNumber(m.params?.result?.number) : undefined;
    if (n !== undefined) onHead(n, at);
  };
  ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));
  return () => ws.close();
}

/**
 * Send TXS transfers to `rpcNode`, each at a random moment (300–400 ms apart, so they fall anywhere
 * in the block interval), and time each from its submission to the announcement of its block.
 */
async function finalityWindow(net: Net, rpcNode: string): Promise<Window> {
  const url = net.rpcUrl(rpcNode);
  const senders = DEV_ACCOUNTS.slice(1, 4).map((a) => privateKeyToAccount(a.privateKey as `0x${string}`));
  const nonces = await Promise.all(senders.map(async (s) => toNumber(await rpcCall(url, "eth_getTransactionCount", [s.address, "pending"], 5000)) ?? 0));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const heads: { n: number; at: number }[] = [];
  const close = await watchHeads(net.wsUrl(rpcNode), (n, at) => {
    heads.push({ n, at });
    void rpcCall(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false], 5000).then((b) => {
      for (const h of ((b as { transactions?: string[] } | null)?.transactions ?? [])) {
        const t0 = sentAt.get(h.toLowerCase());
        if (t0 === undefined) continue;
        sentAt.delete(h.toLowerCase());
        latencies.push(at - t0);
      }
    });
  });
  try {
    for (let i = 0; i < TXS; i++) {
      const k = i % senders.length;
      const raw = await (senders[k] as (typeof senders)[number]).signTransaction({
        chainId: 31337, type: "eip1559", to: SINK, value: BigInt(i + 1), gas: 21000n,
        maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, nonce: nonces[k] as number,
      });
      nonces[k] = (nonces[k] as number) + 1;
      const t0 = performance.now();
      const hash = (await rpcCall(url, "eth_sendRawTransaction", [raw], 5000)) as string;
      sentAt.set(hash.toLowerCase(), t0);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 100));
    }
    await waitFor("every transfer in a final block", 30_000, () => latencies.length === TXS, 20);
  } finally {
    close();
  }
  const first = heads[0];
  const last = heads[heads.length - 1];
  const blocksPerS = first && last && last.at > first.at ? ((last.n - first.n) * 1000) / (last.at - first.at) : Number.NaN;
  return { latencies, blocksPerS };
}

/** CPU time (ms) of each node process so far, from /proc (Linux; empty elsewhere). */
function cpuMs(net: Net): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of net.names) {
    try {
      const st = readFileSync(`/proc/${net.pid(name)}/stat`, "utf8");
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      out.set(name, ((Number(f[11]) + Number(f[12])) * 1000) / 100);
    } catch {
      // not Linux, or the process is gone
    }
  }
  return out;
}

/** The highest block at the node. */
async function headOf(net: Net, name: string): Promise<number> {
  return toNumber(await rpcCall(net.rpcUrl(name), "eth_blockNumber", [], 5000)) ?? 0;
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
  // The home shard's series (node0 of a one-shard devnet runs shard 0 only).
  const round = /^harmony_consensus_round_duration_seconds_sum\{shard="0"\}\s+([0-9.eE+-]+)$/m.exec(text);
  const rounds = /^harmony_consensus_round_duration_seconds_count\{shard="0"\}\s+([0-9.eE+-]+)$/m.exec(text);
  const out: Record<string, number> = {};
  if (round && rounds && Number(rounds[1]) > 0) out.round = (Number(round[1]) / Number(rounds[1])) * 1000;
  for (const [phase, sum] of sums) {
    const c = counts.get(phase);
    if (c) out[phase] = (sum / c) * 1000;
  }
  return out;
}

/** The result of measuring one network. */
interface Measured {
  latencies: number[];
  /** Block rate of each window. */
  rates: number[];
  /** CPU ms per block, per node. */
  cpuPerBlock: Map<string, number>;
  phases: Record<string, number>;
}

/** WINDOWS finality windows on a running network (after its first blocks), with the nodes' CPU per block. */
async function measure(net: Net, rpcNode: string): Promise<Measured> {
  await waitFor("the network's third block", 120_000, async () => (await headOf(net, rpcNode)) >= 3, 200);
  // A few blocks of warm-up (JIT, caches) before the first window.
  await new Promise((r) => setTimeout(r, 3000));
  const c0 = cpuMs(net);
  const h0 = await headOf(net, rpcNode);
  const windows: Window[] = [];
  for (let i = 0; i < WINDOWS; i++) windows.push(await finalityWindow(net, rpcNode));
  const blocks = Math.max(1, (await headOf(net, rpcNode)) - h0);
  const c1 = cpuMs(net);
  const cpuPerBlock = new Map([...c1].map(([k, v]) => [k, (v - (c0.get(k) ?? v)) / blocks]));
  return { latencies: windows.flatMap((w) => w.latencies), rates: windows.map((w) => w.blocksPerS), cpuPerBlock, phases: await phaseDurations(net.rpcUrl(net.names[0] as string)) };
}

function detailRow(what: string, m: Measured): Row {
  const cpu = [...m.cpuPerBlock.values()];
  const row: Row = {
    network: what, txs: String(m.latencies.length), "p50 ms": percentile(m.latencies, 50), "p95 ms": percentile(m.latencies, 95),
    "max ms": Math.max(...m.latencies), "blocks/s": median(m.rates), "CPU ms/block, all nodes": cpu.reduce((a, b) => a + b, 0), "CPU ms/block, max node": Math.max(...cpu),
  };
  for (const [phase, ms] of Object.entries(m.phases)) row[`${phase} ms`] = ms;
  return row;
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

async function devnetNet(opts: Parameters<typeof startDevnet>[0], fn: (net: Net) => Promise<Measured>): Promise<Measured> {
  const d = await startDevnet(opts);
  try {
    const pids = new Map(d.nodes().map((n) => [n.name, n.pid as number]));
    return await fn({ names: d.nodes().map((n) => n.name), rpcUrl: (n) => d.node(n).rpc, wsUrl: (n) => d.node(n).ws, pid: (n) => pids.get(n) ?? 0 });
  } finally {
    await d.stop();
  }
}

// The 4×1-key network measured in the same run tells what limits a miss: if it misses the same
// bound, the shared machine does (not the committee size).
function targetRows(m: Measured, base: Measured): void {
  const p50 = percentile(m.latencies, 50);
  const p95 = percentile(m.latencies, 95);
  const rate = median(m.rates);
  const cpu = (x: Measured) => [...x.cpuPerBlock.values()].reduce((a, b) => a + b, 0);
  const same = `4×1 keys in this run: p50 ${percentile(base.latencies, 50).toFixed(0)} ms, p95 ${percentile(base.latencies, 95).toFixed(0)} ms, ${median(base.rates).toFixed(2)} blocks/s; CPU of the 5 node processes ${cpu(m).toFixed(0)} ms per block (${cpu(base).toFixed(0)} with 4 keys)`;
  // Timers fire a little late and the pacing keeps the schedule, so 2 blocks/s means a mean interval within 1% of 0.5 s.
  const minRate = 1000 / 505;
  const rows: { target: string; measured: string; ratio: number; holds: boolean; baseHolds: boolean }[] = [
    { target: "finality p50 ≤ 0.5 s, 252 keys / 4 processes, 0.5 s blocks", measured: `${(p50 / 1000).toFixed(3)} s`, ratio: 500 / p50, holds: p50 <= 500, baseHolds: percentile(base.latencies, 50) <= 500 },
    { target: "finality p95 ≤ 0.9 s, 252 keys / 4 processes, 0.5 s blocks", measured: `${(p95 / 1000).toFixed(3)} s`, ratio: 900 / p95, holds: p95 <= 900, baseHolds: percentile(base.latencies, 95) <= 900 },
    { target: "2 blocks/s (mean interval ≤ 505 ms), 252 keys / 4 processes, 0.5 s blocks", measured: `${rate.toFixed(3)} blocks/s`, ratio: rate / minRate, holds: rate >= minRate, baseHolds: median(base.rates) >= minRate },
  ];
  for (const r of rows) {
    const limit = r.baseHolds
      ? "the committee size limits it (the 4-key network holds this bound in the same run)"
      : "the shared 2 cores limit it, not the committee size: the 4-key network misses this bound in the same run too (a late round delays the next proposal and the transfers waiting for it)";
    addSummaryRow({ target: r.target, measured: r.measured, ratio: r.ratio, holds: r.holds, note: r.holds ? `${m.latencies.length} transfers in ${WINDOWS} windows; ${same}` : `misses by ${((1 / r.ratio - 1) * 100).toFixed(0)}%; ${limit}; ${same}` });
  }
}

/** Print the consensus tables. */
export async function run(): Promise<void> {
  const rpcNode = "node4";
  const base = await devnetNet({ validators: 4, keysPerNode: 1, blockTime: 0.5, rpcNodes: 1 }, (net) => measure(net, rpcNode));
  const big = await devnetNet({ validators: 4, keysPerNode: 63, blockTime: 0.5, rpcNodes: 1, timeoutMs: 180_000 }, (net) => measure(net, rpcNode));
  const delayed = await startDelayedDevnet({ validators: 4, keysPerNode: 63, rpcNodes: 1, blockTimeMs: 1000, delayMs: 50 });
  let slow: Measured;
  try {
    slow = await measure(delayed, rpcNode);
  } finally {
    await delayed.stop();
  }
  printTable(`consensus: finality, submit → announced final at the RPC node (${WINDOWS} windows × ${TXS} transfers; phase means from node0's /metrics; CPU from /proc)`, [
    detailRow("4 validators × 1 key, 0.5 s blocks", base),
    detailRow("4 validators × 63 keys, 0.5 s blocks", big),
    detailRow("4 × 63 keys, 50 ms one-way latency, 1 s blocks", slow),
  ]);
  targetRows(big, base);
  const p50 = percentile(slow.latencies, 50);
  addSummaryRow({
    target: "finality p50 ≤ 1.2 s, 252 keys / 4 processes, 50 ms one-way latency, 1 s blocks",
    measured: `${(p50 / 1000).toFixed(3)} s`,
    ratio: 1200 / p50,
    holds: p50 <= 1200,
    note: `real processes; every p2p link through a TCP proxy holding each chunk 50 ms each way (no netem in this kernel); p95 ${(percentile(slow.latencies, 95) / 1000).toFixed(3)} s, ${median(slow.rates).toFixed(2)} blocks/s`
      + (p50 <= 1200 ? "" : `; misses by ${(p50 - 1200).toFixed(0)} ms: six one-way hops per round (tx gossip, announce, prepare, prepared, commit, committed) cost 0.3 s before any work`),
  });

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
