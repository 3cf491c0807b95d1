/**
 * The node's own families on `GET /metrics` (issue 4, issue 12 item 4): chain height, consensus (view,
 * view changes, phase and round durations, per-key signed/missed counts, proposals, penalties,
 * evidence), peers and gossip traffic with drops, sync progress and lag, event-loop lag, BLS
 * verification, the txpool, sender recovery, and the RPC's client limits and call workers.
 * Each is a prom-client metric whose `collect()` reads one snapshot of the sources taken at scrape
 * time, so the sources stay plain counters. Families of a shard's side carry a `shard` label: a node
 * runs one side per shard (shardSide.ts), and their series must not collide.
 */
import { Counter, Gauge, type MetricType, type Registry, Summary } from "prom-client";
import type { Committee } from "../consensus/index.ts";
import type { SenderRecoveryStats } from "../execution/index.ts";
import type { P2PMetrics } from "../p2p/index.ts";
import type { ClientLimitStats } from "../rpc/index.ts";
import type { SyncMetrics } from "../sync/index.ts";
import type { TxPoolStatus } from "../txpool/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import type { BLSPoolStats } from "./blsPool.ts";
import type { CallPoolStats } from "./callPool.ts";
import type { ConsensusNetStats } from "./consensusNet.ts";
import type { DriverStats, SumCount } from "./driverStats.ts";
import type { DriverStatus } from "./driverTypes.ts";

/** One shard's side, sampled at scrape time. */
export interface SideMetricsSource {
  readonly height: bigint;
  readonly committee: Committee;
  readonly driver: { status: DriverStatus; stats: DriverStats };
  readonly syncing: boolean;
  readonly p2p: P2PMetrics;
  readonly net: ConsensusNetStats;
  readonly sync: SyncMetrics;
  readonly txpool: TxPoolStatus;
  readonly evidence: number;
  /** Sender recovery of the blocks this side's chain validated. */
  readonly senders: Readonly<SenderRecoveryStats>;
}

/** Everything the node's families read, sampled once per scrape. */
export interface NodeMetricsSource {
  /** Every side that has joined its network, by shard id. */
  readonly sides: ReadonlyMap<number, SideMetricsSource>;
  readonly lag: { lastMs: number; maxMs: number };
  readonly bls: BLSPoolStats;
  /** The secp256k1 recovery backend in use. */
  readonly secp256k1Backend: string;
  /** RPC client limits and the call workers (absent until the server runs). */
  readonly rpc?: { clients: ClientLimitStats; calls?: CallPoolStats };
}

type Labels = Record<string, string | number>;
type Rows = Iterable<readonly [Labels, number]>;
type Read = (s: NodeMetricsSource) => Rows;

const H = "harmony_";
const MODES = ["normal", "viewChange", "listening", "nonValidator", "syncing"] as const;

function* perSide(s: NodeMetricsSource, f: (x: SideMetricsSource) => number): Generator<readonly [Labels, number]> {
  for (const [shard, x] of s.sides) yield [{ shard }, f(x)];
}

function* perSideTable(s: NodeMetricsSource, label: string, f: (x: SideMetricsSource) => Readonly<Record<string, number>>): Generator<readonly [Labels, number]> {
  for (const [shard, x] of s.sides) for (const [k, v] of Object.entries(f(x))) yield [{ [label]: k, shard }, v];
}

function* perKey(s: NodeMetricsSource, table: "signed" | "missed"): Generator<readonly [Labels, number]> {
  for (const [shard, x] of s.sides) {
    const st = x.driver.stats;
    // Slot in the committee deciding now (-1: the key is not in it this epoch).
    const slotOf = new Map(x.committee.keys.map((k, i) => [bytesToHex(k), i]));
    for (const key of [...new Set([...Object.keys(st.signed), ...Object.keys(st.missed)])].sort()) {
      yield [{ slot: slotOf.get(key) ?? -1, key, shard }, st[table][key] ?? 0];
    }
  }
}

function* perMode(s: NodeMetricsSource): Generator<readonly [Labels, number]> {
  for (const [shard, x] of s.sides) {
    const now = x.syncing ? "syncing" : x.driver.status.mode;
    for (const mode of MODES) yield [{ mode, shard }, now === mode ? 1 : 0];
  }
}

// The families, as [kind, name, help, label names, read]. Counters read cumulative source counters.
type Def = readonly ["counter" | "gauge", string, string, readonly string[], Read];
const S = ["shard"] as const;
const side = (f: (x: SideMetricsSource) => number): Read => (s) => perSide(s, f);
const node = (f: (s: NodeMetricsSource) => number | undefined): Read => (s) => {
  const v = f(s);
  return v === undefined ? [] : [[{}, v]];
};
const rpc = (f: (r: NonNullable<NodeMetricsSource["rpc"]>) => number | undefined) => node((s) => (s.rpc === undefined ? undefined : f(s.rpc)));
const calls = (f: (c: CallPoolStats) => number) => rpc((r) => (r.calls === undefined ? undefined : f(r.calls)));

const DEFS: readonly Def[] = [
  ["gauge", "chain_height", "Number of the head block.", S, side((x) => Number(x.height))],
  ["gauge", "consensus_height", "Height being decided.", S, side((x) => Number(x.driver.status.height))],
  ["gauge", "consensus_view", "Current view.", S, side((x) => Number(x.driver.status.view))],
  ["gauge", "consensus_mode", "Consensus mode (1 for the current one).", ["mode", "shard"], perMode],
  ["gauge", "consensus_is_leader", "1 when this node leads the current view.", S, side((x) => (x.driver.status.isLeader ? 1 : 0))],
  ["counter", "consensus_view_changes_total", "Views entered, by reason (timeout, newview, join, rotation, height, start).", ["reason", "shard"], (s) => perSideTable(s, "reason", (x) => x.driver.stats.viewChanges)],
  ["counter", "consensus_blocks_committed_total", "Blocks committed by consensus.", S, side((x) => x.driver.stats.blocksCommitted)],
  ["counter", "consensus_key_signed_total", "Committed blocks whose commit bitmap has our key.", ["slot", "key", "shard"], (s) => perKey(s, "signed")],
  ["counter", "consensus_key_missed_total", "Committed blocks whose commit bitmap lacks our key.", ["slot", "key", "shard"], (s) => perKey(s, "missed")],
  ["counter", "consensus_proposals_built_total", "Blocks this node proposed.", S, side((x) => x.driver.stats.proposalsBuilt)],
  ["counter", "consensus_proposals_validated_total", "Proposals validated.", S, side((x) => x.driver.stats.proposalsValidated)],
  ["counter", "consensus_proposals_invalid_total", "Proposals found invalid.", S, side((x) => x.driver.stats.proposalsInvalid)],
  ["counter", "consensus_penalties_total", "Peers penalized by consensus.", S, side((x) => x.driver.stats.penalties)],
  ["gauge", "consensus_evidence_total", "Double-sign evidence kept.", S, side((x) => x.evidence)],
  ["counter", "consensus_messages_received_total", "Consensus messages accepted from the network.", S, side((x) => x.net.received)],
  ["counter", "consensus_messages_sent_total", "Consensus messages sent.", S, side((x) => x.net.sent)],
  ["counter", "consensus_messages_rejected_total", "Consensus messages rejected (malformed or bad signature).", S, side((x) => x.net.rejected)],
  ["gauge", "p2p_peers", "Connected peers.", S, side((x) => x.p2p.peers)],
  ["counter", "p2p_gossip_in_total", "Gossip messages received.", S, side((x) => x.p2p.gossipIn)],
  ["counter", "p2p_gossip_out_total", "Gossip messages sent.", S, side((x) => x.p2p.gossipOut)],
  ["counter", "p2p_gossip_duplicates_total", "Gossip messages already seen.", S, side((x) => x.p2p.gossipDuplicates)],
  ["counter", "p2p_drops_total", "Messages dropped, by reason.", ["reason", "shard"], (s) => perSideTable(s, "reason", (x) => x.p2p.drops)],
  ["counter", "p2p_disconnects_total", "Connections closed, by reason.", ["reason", "shard"], (s) => perSideTable(s, "reason", (x) => x.p2p.disconnects)],
  ["counter", "p2p_bytes_in_total", "Bytes received from peers.", S, side((x) => x.p2p.bytesIn)],
  ["counter", "p2p_bytes_out_total", "Bytes sent to peers.", S, side((x) => x.p2p.bytesOut)],
  ["gauge", "sync_lag_blocks", "Best peer head minus our head.", S, side((x) => Number(x.sync.lag))],
  ["counter", "sync_blocks_imported_total", "Blocks imported by sync.", S, side((x) => x.sync.blocksImported)],
  ["gauge", "sync_blocks_per_second", "Import rate of the running sync.", S, side((x) => x.sync.blocksPerSecond)],
  ["gauge", "txpool_pending", "Executable transactions in the pool.", S, side((x) => x.txpool.pending)],
  ["gauge", "txpool_queued", "Transactions waiting for a nonce gap.", S, side((x) => x.txpool.queued)],
  ["gauge", "sender_recovery_last_block_seconds", "Sender recovery time of the last validated block.", S, side((x) => x.senders.lastMs / 1000)],
  ["counter", "senders_recovered_total", "Transaction senders recovered from signatures while validating blocks.", S, side((x) => x.senders.recovered)],
  ["counter", "senders_reused_total", "Transaction senders of validated blocks taken from the txpool (recovered at admission).", S, side((x) => x.senders.reused)],
  ["gauge", "secp256k1_backend", "The secp256k1 recovery backend in use (1).", ["backend"], (s) => [[{ backend: s.secp256k1Backend }, 1]]],
  // Our own timer-based lag works on Bun and Deno alike (see _processMetrics.ts for prom-client's).
  ["gauge", "event_loop_lag_seconds", "Event-loop lag of the last sample (a 100 ms timer's lateness).", [], node((s) => s.lag.lastMs / 1000)],
  ["gauge", "event_loop_lag_max_seconds", "Largest event-loop lag since the last scrape.", [], node((s) => s.lag.maxMs / 1000)],
  ["counter", "bls_checks_total", "Signature checks asked of the verifier.", [], node((s) => s.bls.checks)],
  ["counter", "bls_cache_hits_total", "Signature checks answered from the verdict cache.", [], node((s) => s.bls.cacheHits)],
  ["counter", "bls_pairings_total", "Pairing checks run (aggregate verifications and batches).", [], node((s) => s.bls.pairings)],
  ["gauge", "bls_workers", "BLS verification workers running.", [], node((s) => s.bls.workers)],
  ["gauge", "bls_verify_seconds_per_block", "BLS verification time per committed block (per consensus round, all shards), averaged since start.", [], node(verifyPerBlock)],
  ["counter", "bls_pubkey_cache_hits_total", "Public keys found decoded and subgroup-checked in the point caches (main thread and workers).", [], node((s) => s.bls.publicKeyHits)],
  ["counter", "bls_pubkey_cache_misses_total", "Public keys decompressed and subgroup-checked because no point cache had them.", [], node((s) => s.bls.publicKeyMisses)],
  ["counter", "bls_signature_cache_hits_total", "Signatures found decompressed in the point caches.", [], node((s) => s.bls.signatureHits)],
  ["counter", "bls_signature_cache_misses_total", "Signatures decompressed.", [], node((s) => s.bls.signatureMisses)],
  ["gauge", "rpc_ws_connections", "Open JSON-RPC WebSocket connections.", [], rpc((r) => r.clients.wsConnections)],
  ["counter", "rpc_ws_refused_total", "WebSocket connections refused for a connection cap (in total or per address).", [], rpc((r) => r.clients.wsRefused)],
  ["counter", "rpc_rate_limited_total", "JSON-RPC requests refused by the per-address rate limit.", [], rpc((r) => r.clients.rateLimited)],
  ["gauge", "rpc_call_workers", "eth_call workers running.", [], calls((c) => c.workers)],
  ["gauge", "rpc_call_queued", "eth_call / eth_estimateGas runs waiting for a worker.", [], calls((c) => c.queued)],
  ["counter", "rpc_calls_total", "eth_call / eth_estimateGas runs given to the workers.", [], calls((c) => c.calls)],
  ["counter", "rpc_call_timeouts_total", "Runs that hit the call timeout (queued or running).", [], calls((c) => c.timeouts)],
  ["counter", "rpc_calls_refused_total", "Runs refused because the queue was full.", [], calls((c) => c.refused)],
  ["counter", "rpc_call_workers_replaced_total", "Call workers replaced after overrunning a deadline or failing.", [], calls((c) => c.replaced)],
];

function verifyPerBlock(s: NodeMetricsSource): number {
  let blocks = 0;
  for (const x of s.sides.values()) blocks += x.driver.stats.blocksCommitted;
  return blocks > 0 ? s.bls.verifyMs / 1000 / blocks : 0;
}

// Running sums and counts, exported as summaries without quantiles (the sources keep no samples).
type SumCountRead = (s: NodeMetricsSource) => Iterable<readonly [Labels, SumCount]>;
const SUMMARIES: readonly (readonly [string, string, readonly string[], SumCountRead])[] = [
  ["consensus_phase_duration_seconds", "Time spent in each consensus phase.", ["phase", "shard"], function* (s) {
    for (const [shard, x] of s.sides) for (const [phase, v] of Object.entries(x.driver.stats.phaseMs)) if (v) yield [{ phase, shard }, { sum: v.sum / 1000, count: v.count }];
  }],
  ["consensus_round_duration_seconds", "From entering a height to committing its block.", S, function* (s) {
    for (const [shard, x] of s.sides) yield [{ shard }, { sum: x.driver.stats.roundMs.sum / 1000, count: x.driver.stats.roundMs.count }];
  }],
  ["bls_verify_seconds", "BLS verification time per batch (workers and main thread).", [], (s) => [[{}, { sum: s.bls.verifyMs / 1000, count: s.bls.verifyBatches }]]],
  ["sender_recovery_seconds", "Sender recovery time per validated block.", S, function* (s) {
    for (const [shard, x] of s.sides) yield [{ shard }, { sum: x.senders.totalMs / 1000, count: x.senders.blocks }];
  }],
];

/** A summary whose `_sum`/`_count` are read from a source at scrape time (prom-client's own needs each sample). */
class SourcedSummary extends Summary<string> {
  readonly #meta: { name: string; help: string };
  readonly #read: () => Iterable<readonly [Labels, SumCount]>;

  constructor(registry: Registry, meta: { name: string; help: string; labelNames: readonly string[] }, read: () => Iterable<readonly [Labels, SumCount]>) {
    super({ ...meta, percentiles: [], registers: [registry] });
    this.#meta = meta;
    this.#read = read;
  }

  override async get() {
    const values = [];
    for (const [labels, v] of this.#read()) {
      values.push({ labels, value: v.sum, metricName: `${this.#meta.name}_sum` }, { labels, value: v.count, metricName: `${this.#meta.name}_count` });
    }
    // prom-client's typings declare `type` as a numeric enum; at run time (and in the exposition) it is the string.
    return { ...this.#meta, type: "summary" as unknown as MetricType, values, aggregator: "sum" as const, collect: () => undefined };
  }
}

/**
 * Register the node's families in `registry`; `sample` is called once per scrape (by `refresh`) and
 * the families read that snapshot. Before the first sample (or while it is undefined) they are empty.
 */
export function registerNodeMetrics(registry: Registry, sample: () => NodeMetricsSource | undefined): { refresh(): void } {
  let snap: NodeMetricsSource | undefined;
  for (const [kind, name, help, labelNames, read] of DEFS) {
    if (kind === "gauge") {
      new Gauge({
        name: H + name, help, labelNames, registers: [registry],
        collect() {
          this.reset();
          if (snap) for (const [l, v] of read(snap)) if (Number.isFinite(v)) this.set(l, v);
        },
      });
    } else {
      new Counter({
        name: H + name, help, labelNames, registers: [registry],
        collect() {
          this.reset();
          // A counter only goes up: a source is cumulative, so its value is the counter's.
          if (snap) for (const [l, v] of read(snap)) if (Number.isFinite(v) && v >= 0) this.inc(l, v);
        },
      });
    }
  }
  for (const [name, help, labelNames, read] of SUMMARIES) new SourcedSummary(registry, { name: H + name, help, labelNames }, () => (snap ? read(snap) : []));
  return {
    refresh() {
      snap = sample();
    },
  };
}
