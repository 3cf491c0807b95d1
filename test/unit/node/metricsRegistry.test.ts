// The node's prom-client registry: the exposition parses line by line, the histograms count what
// their hooks observe, label values stay bounded, registries of several nodes do not collide, the GC
// histogram is fed on this runtime, and the proposal time is read from a block's header.
import { describe, expect, test } from "bun:test";
import { bunAdapter } from "../../../src/adapter/bun/index.ts";
import { createBlock, createHeader } from "../../../src/core/index.ts";
import { createCommittee } from "../../../src/consensus/index.ts";
import { MAX_RPC_METHOD_LABELS, createNodeRegistry, getProposalTimeMs } from "../../../src/node/index.ts";
import type { NodeMetricsSource, SideMetricsSource } from "../../../src/node/index.ts";
import { createDriverStats } from "../../../src/node/driverStats.ts";
import { createDispatcher } from "../../../src/rpc/jsonrpc.ts";
import { UNKNOWN_METHOD } from "../../../src/rpc/index.ts";
import { createMetrics } from "../../../src/p2p/_metrics.ts";
import { createLogger } from "../../../src/util/logger.ts";

const KEY = new Uint8Array(48).fill(7);
const KEY_HEX = `0x${"07".repeat(48)}`;

function side(peers: number): SideMetricsSource {
  const stats = createDriverStats();
  stats.blocksCommitted = 10;
  stats.signed[KEY_HEX] = 9;
  stats.missed[KEY_HEX] = 1;
  stats.viewChanges.timeout = 2;
  stats.phaseMs.prepare = { sum: 1500, count: 3 };
  stats.roundMs = { sum: 4000, count: 4 };
  return {
    height: 42n, committee: createCommittee({ keys: [KEY] }), syncing: false, evidence: 0, txpool: { pending: 2, queued: 1 },
    driver: { status: { started: true, validator: true, height: 43n, view: 5n, phase: "prepare", mode: "normal", leaderSlot: 0, isLeader: true, doppelganger: "clear" }, stats },
    p2p: { ...createMetrics(), peers, drops: { too_large: 1 } },
    net: { received: 5, sent: 6, direct: 0, rejected: 0, ignored: 0, fallbacks: 0 },
    sync: { blocksImported: 3, headersVerified: 3, rangeRetries: 0, peersPenalized: 0, blocksPerSecond: 0, etaSeconds: undefined, lag: 0n },
    senders: { blocks: 2, recovered: 4, reused: 6, totalMs: 8, lastMs: 3 },
  } as SideMetricsSource;
}

function source(): NodeMetricsSource {
  return {
    sides: new Map([[0, side(3)], [1, side(1)]]), lag: { lastMs: 12, maxMs: 40 }, secp256k1Backend: "native",
    bls: { checks: 7, cacheHits: 1, pairings: 3, workerBatches: 2, inlineBatches: 1, workers: 1, verifyMs: 30, verifyBatches: 3, publicKeyHits: 0, publicKeyMisses: 1, signatureHits: 0, signatureMisses: 2 },
  };
}

// One sample line of the text format 0.0.4: name{labels} value. Prometheus parses the value with Go's
// ParseFloat, which takes NaN/Inf in any case (prom-client writes "Nan").
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|nan|[+-]inf)$/i;

function parse(text: string): { samples: Map<string, number>; types: Map<string, string> } {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const t = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (t) {
      types.set(t[1] as string, t[2] as string);
      continue;
    }
    if (line.startsWith("# HELP ")) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    samples.set(line.slice(0, line.lastIndexOf(" ")), Number(line.slice(line.lastIndexOf(" ") + 1)));
  }
  return { samples, types };
}

describe("node metrics registry", () => {
  test("the exposition parses; per-shard families carry the shard; sourced summaries and counters read the snapshot", async () => {
    const r = createNodeRegistry({ perf: bunAdapter.perf }, source);
    try {
      const { samples, types } = parse(await r.text());
      expect(samples.get('harmony_p2p_peers{shard="0"}')).toBe(3);
      expect(samples.get('harmony_p2p_peers{shard="1"}')).toBe(1);
      expect(samples.get('harmony_chain_height{shard="0"}')).toBe(42);
      expect(samples.get('harmony_consensus_view_changes_total{reason="timeout",shard="0"}')).toBe(2);
      expect(samples.get(`harmony_consensus_key_signed_total{slot="0",key="${KEY_HEX}",shard="1"}`)).toBe(9);
      expect(samples.get('harmony_consensus_mode{mode="normal",shard="0"}')).toBe(1);
      expect(samples.get('harmony_consensus_phase_duration_seconds_sum{phase="prepare",shard="0"}')).toBe(1.5);
      expect(samples.get('harmony_consensus_round_duration_seconds_count{shard="1"}')).toBe(4);
      expect(samples.get("harmony_bls_verify_seconds_sum")).toBe(0.03);
      expect(samples.get("harmony_bls_verify_seconds_per_block")).toBeCloseTo(0.03 / 20, 9);
      expect(samples.get('harmony_secp256k1_backend{backend="native"}')).toBe(1);
      expect(samples.get("harmony_event_loop_lag_max_seconds")).toBe(0.04);
      expect(types.get("harmony_consensus_phase_duration_seconds")).toBe("summary");
      expect(types.get("harmony_p2p_gossip_in_total")).toBe("counter");
      // Process metrics from prom-client, in this registry.
      expect(samples.get("process_resident_memory_bytes")).toBeGreaterThan(0);
      expect(samples.has("process_cpu_seconds_total")).toBe(true);
      // Per-shard families have one series per side and no unlabelled one.
      expect(samples.has("harmony_p2p_peers")).toBe(false);
    } finally {
      r.close();
    }
  });

  test("histograms count what their hooks observe, in the right buckets", async () => {
    const r = createNodeRegistry({}, () => undefined);
    try {
      r.onRPCCall("eth_blockNumber", 0.002, true);
      r.onRPCCall("eth_blockNumber", 0.2, false);
      r.onBlockStages(0, { number: 5n, ms: { validate: 3, commit: 40 } });
      r.onBLSBatch(0.004);
      r.onGossipDelay(2, "consensus", 0.6);
      r.onGossipDelay(2, "txs", 0.1);
      r.onGossipDelay(2, "consensus", -0.3);
      const { samples, types } = parse(await r.text());
      expect(types.get("harmony_rpc_request_duration_seconds")).toBe("histogram");
      expect(samples.get('harmony_rpc_request_duration_seconds_bucket{le="0.001",method="eth_blockNumber"}')).toBe(0);
      expect(samples.get('harmony_rpc_request_duration_seconds_bucket{le="0.0025",method="eth_blockNumber"}')).toBe(1);
      expect(samples.get('harmony_rpc_request_duration_seconds_bucket{le="+Inf",method="eth_blockNumber"}')).toBe(2);
      expect(samples.get('harmony_rpc_request_duration_seconds_sum{method="eth_blockNumber"}')).toBeCloseTo(0.202, 9);
      expect(samples.get('harmony_rpc_request_errors_total{method="eth_blockNumber"}')).toBe(1);
      expect(samples.get('harmony_block_stage_duration_seconds_count{shard="0",stage="commit"}')).toBe(1);
      expect(samples.get('harmony_block_stage_duration_seconds_bucket{le="0.05",shard="0",stage="commit"}')).toBe(1);
      expect(samples.get('harmony_block_stage_duration_seconds_bucket{le="0.025",shard="0",stage="commit"}')).toBe(0);
      expect(samples.has('harmony_block_stage_duration_seconds_count{shard="0",stage="execute"}')).toBe(false);
      expect(samples.get("harmony_bls_verify_duration_seconds_count")).toBe(1);
      expect(samples.get('harmony_p2p_gossip_delay_seconds_count{shard="2",topic="consensus"}')).toBe(2);
      // A clock behind the leader's counts as no delay, not a negative one.
      expect(samples.get('harmony_p2p_gossip_delay_seconds_bucket{le="0.05",shard="2",topic="consensus"}')).toBe(1);
      expect(samples.get('harmony_p2p_gossip_delay_seconds_count{shard="2",topic="other"}')).toBe(1);
    } finally {
      r.close();
    }
  });

  test("method labels are bounded; the dispatcher names unknown methods as one value", async () => {
    const r = createNodeRegistry({}, () => undefined);
    try {
      for (let i = 0; i < MAX_RPC_METHOD_LABELS + 50; i++) r.onRPCCall(`m${i}`, 0.001, true);
      const dispatch = createDispatcher({ methods: new Map([["eth_chainId", async () => "0x1"]]), batchLimit: 10, logger: createLogger("test"), onCall: (m, s, ok) => r.onRPCCall(m, s, ok) });
      const ctx = {} as Parameters<typeof dispatch>[1];
      await dispatch(JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "eth_chainId" }, { jsonrpc: "2.0", id: 2, method: "no_such_1" }, { jsonrpc: "2.0", id: 3, method: "no_such_2" }]), { ...ctx, limits: { callTimeoutMs: 1000 } } as typeof ctx);
      const { samples } = parse(await r.text());
      const methods = new Set([...samples.keys()].filter((k) => k.startsWith("harmony_rpc_request_duration_seconds_count")).map((k) => /method="([^"]*)"/.exec(k)?.[1]));
      expect(methods.size).toBe(MAX_RPC_METHOD_LABELS + 1);
      expect(methods.has("other")).toBe(true);
      expect(samples.get('harmony_rpc_request_duration_seconds_count{method="other"}')).toBe(50 + 2 + 1);
      expect(samples.get('harmony_rpc_request_errors_total{method="other"}')).toBe(2);
      expect(UNKNOWN_METHOD).toBe("unknown");
    } finally {
      r.close();
    }
  });

  test("the dispatcher reports known methods by name and unknown ones as UNKNOWN_METHOD", async () => {
    const seen: [string, boolean][] = [];
    const dispatch = createDispatcher({ methods: new Map([["eth_chainId", async () => "0x1"], ["bad", async () => { throw new TypeError("x"); }]]), batchLimit: 10, logger: createLogger("test"), onCall: (m, _s, ok) => void seen.push([m, ok]) });
    const ctx = { limits: { callTimeoutMs: 1000 } } as unknown as Parameters<typeof dispatch>[1];
    await dispatch(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }), ctx);
    await dispatch(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "whatever_xyz" }), ctx);
    await dispatch(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "bad" }), ctx);
    await dispatch(JSON.stringify({ jsonrpc: "2.0", id: 4 }), ctx);
    expect(seen).toEqual([["eth_chainId", true], [UNKNOWN_METHOD, false], ["bad", false]]);
  });

  test("two nodes in one process have separate registries", async () => {
    const a = createNodeRegistry({}, source);
    const b = createNodeRegistry({}, () => undefined);
    try {
      a.onBLSBatch(0.01);
      expect(await a.text()).toContain("harmony_bls_verify_duration_seconds_count 1");
      expect(await b.text()).not.toContain("harmony_bls_verify_duration_seconds_count 1");
      expect(await b.text()).not.toContain("harmony_p2p_peers{");
    } finally {
      a.close();
      b.close();
    }
  });

  test("GC durations come from v8.GCProfiler and fit in the wall time they happened in", async () => {
    const r = createNodeRegistry({ perf: bunAdapter.perf }, () => undefined);
    try {
      await r.text();
      const t0 = performance.now();
      let keep: unknown[] = [];
      for (let round = 0; round < 40; round++) {
        keep = [];
        for (let i = 0; i < 20_000; i++) keep.push({ a: new Array(20).fill(i) });
        await Bun.sleep(1);
      }
      Bun.gc(true);
      const wall = (performance.now() - t0) / 1000;
      const { samples } = parse(await r.text());
      let count = 0;
      let sum = 0;
      for (const [k, v] of samples) {
        if (k.startsWith("nodejs_gc_duration_seconds_count")) count += v;
        if (k.startsWith("nodejs_gc_duration_seconds_sum")) sum += v;
      }
      expect(keep.length).toBe(20_000);
      expect(count).toBeGreaterThan(0);
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThan(wall);
      // The event-loop delay histogram works on Bun, so it stays.
      expect(samples.has("nodejs_eventloop_lag_p99_seconds")).toBe(true);
      expect([...samples.keys()].some((k) => k.startsWith("nodejs_active_handles"))).toBe(false);
    } finally {
      r.close();
    }
  });

  test("a proposal's time is its header timestamp; other bytes have none", () => {
    const block = createBlock(createHeader({ number: 9n, timestamp: 1_700_000_123n }), []);
    expect(getProposalTimeMs(block.encode())).toBe(1_700_000_123_000);
    expect(getProposalTimeMs(new Uint8Array([0xc1, 0x80]))).toBeUndefined();
    expect(getProposalTimeMs(new Uint8Array([0xf9, 0xff]))).toBeUndefined();
    expect(getProposalTimeMs(new Uint8Array(0))).toBeUndefined();
  });
});
