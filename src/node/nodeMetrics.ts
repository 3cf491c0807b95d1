/**
 * `GET /metrics` of a node (issue 4): chain height, consensus (view, view changes, phase and round
 * durations, per-key signed/missed counts, proposals, penalties, evidence), peers and gossip traffic
 * with drops, sync progress and lag, event-loop lag, BLS verification, the txpool, and the RPC's client
 * limits and call workers.
 */
import type { Committee } from "../consensus/index.ts";
import type { P2PMetrics } from "../p2p/index.ts";
import type { SyncMetrics } from "../sync/index.ts";
import type { TxPoolStatus } from "../txpool/index.ts";
import type { SenderRecoveryStats } from "../execution/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import type { ClientLimitStats } from "../rpc/index.ts";
import type { BLSPoolStats } from "./blsPool.ts";
import type { CallPoolStats } from "./callPool.ts";
import type { ConsensusNetStats } from "./consensusNet.ts";
import type { DriverStats } from "./driverStats.ts";
import type { DriverStatus } from "./driverTypes.ts";
import type { MetricFamily, Sample } from "./prometheus.ts";

/** What the metrics are read from, sampled at scrape time. */
export interface NodeMetricsSource {
  readonly height: bigint;
  readonly committee: Committee;
  readonly driver: { status: DriverStatus; stats: DriverStats };
  readonly syncing: boolean;
  readonly p2p: P2PMetrics;
  readonly net: ConsensusNetStats;
  readonly sync: SyncMetrics;
  readonly lag: { lastMs: number; maxMs: number };
  readonly bls: BLSPoolStats;
  readonly txpool: TxPoolStatus;
  readonly evidence: number;
  /** Sender recovery of validated blocks and the secp256k1 backend that runs it. */
  readonly senders?: { stats: Readonly<SenderRecoveryStats>; backend: string };
  /** RPC client limits and the call workers (absent until the server runs). */
  readonly rpc?: { clients: ClientLimitStats; calls?: CallPoolStats };
}

const H = "harmony_";

function one(name: string, help: string, type: "counter" | "gauge", value: number): MetricFamily {
  return { name: H + name, help, type, samples: [{ value }] };
}

function byLabel(name: string, help: string, type: "counter" | "gauge", label: string, table: Record<string, number>): MetricFamily {
  return { name: H + name, help, type, samples: Object.entries(table).map(([k, value]) => ({ value, labels: { [label]: k } })) };
}

/** The metric families of a node. */
export function collectNodeMetrics(s: NodeMetricsSource): MetricFamily[] {
  const st = s.driver.stats;
  const status = s.driver.status;
  // Slot in the committee deciding now (-1: the key is not in it this epoch).
  const slotOf = new Map(s.committee.keys.map((k, i) => [bytesToHex(k), i]));
  const keyLabels = (key: string) => ({ slot: slotOf.get(key) ?? -1, key });
  const slots = [...new Set([...Object.keys(st.signed), ...Object.keys(st.missed)])].sort();
  const phase: Sample[] = Object.entries(st.phaseMs).flatMap(([p, v]) => [
    { value: v.sum / 1000, labels: { phase: p }, suffix: "_sum" as const },
    { value: v.count, labels: { phase: p }, suffix: "_count" as const },
  ]);
  const mode = status.mode;
  return [
    one("chain_height", "Number of the head block.", "gauge", Number(s.height)),
    one("consensus_height", "Height being decided.", "gauge", Number(status.height)),
    one("consensus_view", "Current view.", "gauge", Number(status.view)),
    { name: `${H}consensus_mode`, help: "Consensus mode (1 for the current one).", type: "gauge", samples: ["normal", "viewChange", "listening", "nonValidator", "syncing"].map((m) => ({ value: (s.syncing ? "syncing" : mode) === m ? 1 : 0, labels: { mode: m } })) },
    one("consensus_is_leader", "1 when this node leads the current view.", "gauge", status.isLeader ? 1 : 0),
    byLabel("consensus_view_changes_total", "Views entered, by reason (timeout, newview, join, rotation, height, start).", "counter", "reason", st.viewChanges),
    { name: `${H}consensus_phase_duration_seconds`, help: "Time spent in each consensus phase.", type: "summary", samples: phase },
    { name: `${H}consensus_round_duration_seconds`, help: "From entering a height to committing its block.", type: "summary", samples: [{ value: st.roundMs.sum / 1000, suffix: "_sum" }, { value: st.roundMs.count, suffix: "_count" }] },
    one("consensus_blocks_committed_total", "Blocks committed by consensus.", "counter", st.blocksCommitted),
    { name: `${H}consensus_key_signed_total`, help: "Committed blocks whose commit bitmap has our key.", type: "counter", samples: slots.map((k) => ({ value: st.signed[k] ?? 0, labels: keyLabels(k) })) },
    { name: `${H}consensus_key_missed_total`, help: "Committed blocks whose commit bitmap lacks our key.", type: "counter", samples: slots.map((k) => ({ value: st.missed[k] ?? 0, labels: keyLabels(k) })) },
    one("consensus_proposals_built_total", "Blocks this node proposed.", "counter", st.proposalsBuilt),
    one("consensus_proposals_validated_total", "Proposals validated.", "counter", st.proposalsValidated),
    one("consensus_proposals_invalid_total", "Proposals found invalid.", "counter", st.proposalsInvalid),
    one("consensus_penalties_total", "Peers penalized by consensus.", "counter", st.penalties),
    one("consensus_evidence_total", "Double-sign evidence kept.", "gauge", s.evidence),
    one("consensus_messages_received_total", "Consensus messages accepted from the network.", "counter", s.net.received),
    one("consensus_messages_sent_total", "Consensus messages sent.", "counter", s.net.sent),
    one("consensus_messages_rejected_total", "Consensus messages rejected (malformed or bad signature).", "counter", s.net.rejected),
    one("p2p_peers", "Connected peers.", "gauge", s.p2p.peers),
    one("p2p_gossip_in_total", "Gossip messages received.", "counter", s.p2p.gossipIn),
    one("p2p_gossip_out_total", "Gossip messages sent.", "counter", s.p2p.gossipOut),
    one("p2p_gossip_duplicates_total", "Gossip messages already seen.", "counter", s.p2p.gossipDuplicates),
    byLabel("p2p_drops_total", "Messages dropped, by reason.", "counter", "reason", s.p2p.drops),
    byLabel("p2p_disconnects_total", "Connections closed, by reason.", "counter", "reason", s.p2p.disconnects),
    one("p2p_bytes_in_total", "Bytes received from peers.", "counter", s.p2p.bytesIn),
    one("p2p_bytes_out_total", "Bytes sent to peers.", "counter", s.p2p.bytesOut),
    one("sync_lag_blocks", "Best peer head minus our head.", "gauge", Number(s.sync.lag)),
    one("sync_blocks_imported_total", "Blocks imported by sync.", "counter", s.sync.blocksImported),
    one("sync_blocks_per_second", "Import rate of the running sync.", "gauge", s.sync.blocksPerSecond),
    one("event_loop_lag_seconds", "Event-loop lag of the last sample.", "gauge", s.lag.lastMs / 1000),
    one("event_loop_lag_max_seconds", "Largest event-loop lag since the last scrape.", "gauge", s.lag.maxMs / 1000),
    one("bls_checks_total", "Signature checks asked of the verifier.", "counter", s.bls.checks),
    one("bls_cache_hits_total", "Signature checks answered from the verdict cache.", "counter", s.bls.cacheHits),
    one("bls_pairings_total", "Pairing checks run (aggregate verifications and batches).", "counter", s.bls.pairings),
    one("bls_workers", "BLS verification workers running.", "gauge", s.bls.workers),
    { name: `${H}bls_verify_seconds`, help: "BLS verification time per batch (workers and main thread).", type: "summary", samples: [{ value: s.bls.verifyMs / 1000, suffix: "_sum" }, { value: s.bls.verifyBatches, suffix: "_count" }] },
    one("bls_verify_seconds_per_block", "BLS verification time per committed block (per consensus round), averaged since start.", "gauge", st.blocksCommitted > 0 ? s.bls.verifyMs / 1000 / st.blocksCommitted : 0),
    one("bls_pubkey_cache_hits_total", "Public keys found decoded and subgroup-checked in the point caches (main thread and workers).", "counter", s.bls.publicKeyHits),
    one("bls_pubkey_cache_misses_total", "Public keys decompressed and subgroup-checked because no point cache had them.", "counter", s.bls.publicKeyMisses),
    one("bls_signature_cache_hits_total", "Signatures found decompressed in the point caches.", "counter", s.bls.signatureHits),
    one("bls_signature_cache_misses_total", "Signatures decompressed.", "counter", s.bls.signatureMisses),
    one("txpool_pending", "Executable transactions in the pool.", "gauge", s.txpool.pending),
    one("txpool_queued", "Transactions waiting for a nonce gap.", "gauge", s.txpool.queued),
    ...senderMetrics(s.senders),
    ...rpcMetrics(s.rpc),
  ];
}

function senderMetrics(x: NodeMetricsSource["senders"]): MetricFamily[] {
  if (x === undefined) return [];
  const st = x.stats;
  return [
    { name: `${H}sender_recovery_seconds`, help: "Sender recovery time per validated block.", type: "summary", samples: [{ value: st.totalMs / 1000, suffix: "_sum" }, { value: st.blocks, suffix: "_count" }] },
    one("sender_recovery_last_block_seconds", "Sender recovery time of the last validated block.", "gauge", st.lastMs / 1000),
    one("senders_recovered_total", "Transaction senders recovered from signatures while validating blocks.", "counter", st.recovered),
    one("senders_reused_total", "Transaction senders of validated blocks taken from the txpool (recovered at admission).", "counter", st.reused),
    { name: `${H}secp256k1_backend`, help: "The secp256k1 recovery backend in use (1).", type: "gauge", samples: [{ value: 1, labels: { backend: x.backend } }] },
  ];
}

function rpcMetrics(r: NodeMetricsSource["rpc"]): MetricFamily[] {
  if (r === undefined) return [];
  const c = r.calls;
  return [
    one("rpc_ws_connections", "Open JSON-RPC WebSocket connections.", "gauge", r.clients.wsConnections),
    one("rpc_ws_refused_total", "WebSocket connections refused for a connection cap (in total or per address).", "counter", r.clients.wsRefused),
    one("rpc_rate_limited_total", "JSON-RPC requests refused by the per-address rate limit.", "counter", r.clients.rateLimited),
    ...(c === undefined
      ? []
      : [
          one("rpc_call_workers", "eth_call workers running.", "gauge", c.workers),
          one("rpc_call_queued", "eth_call / eth_estimateGas runs waiting for a worker.", "gauge", c.queued),
          one("rpc_calls_total", "eth_call / eth_estimateGas runs given to the workers.", "counter", c.calls),
          one("rpc_call_timeouts_total", "Runs that hit the call timeout (queued or running).", "counter", c.timeouts),
          one("rpc_calls_refused_total", "Runs refused because the queue was full.", "counter", c.refused),
          one("rpc_call_workers_replaced_total", "Call workers replaced after overrunning a deadline or failing.", "counter", c.replaced),
        ]),
  ];
}
