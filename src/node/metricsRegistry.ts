/**
 * One prom-client `Registry` per node (never the global default: tests run several nodes in one
 * process): process metrics (_processMetrics.ts), the node's families (nodeMetrics.ts) and the
 * histograms fed by observer hooks the node wires into the RPC server, the chains, the BLS pool and
 * the consensus network. Label values are bounded here, whatever the callers pass.
 */
import { Counter, Histogram, Registry } from "prom-client";
import type { RuntimePerf } from "../adapter/index.ts";
import { BLOCK_STAGES, type BlockStageTimes } from "../chain/index.ts";
import { registerProcessMetrics } from "./_processMetrics.ts";
import { type NodeMetricsSource, registerNodeMetrics } from "./nodeMetrics.ts";

/** Label value of JSON-RPC methods past {@link MAX_RPC_METHOD_LABELS} distinct names. */
export const OTHER_LABEL = "other";
/** Most distinct `method` label values (the server's table is finite; this bounds it anyway). */
export const MAX_RPC_METHOD_LABELS = 256;
/** Topics whose gossip delay is measured; any other is counted as {@link OTHER_LABEL}. */
export const GOSSIP_DELAY_TOPICS: readonly string[] = ["consensus"];

// Seconds: from sub-millisecond RPC reads and block stages to multi-second executions.
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DELAY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];

/** A node's registry and the hooks that feed its histograms. */
export interface NodeRegistry {
  readonly registry: Registry;
  /** Content type of {@link NodeRegistry.text}. */
  readonly contentType: string;
  /** The exposition text: samples the sources once, then renders every family. */
  text(): Promise<string>;
  /** A JSON-RPC call ended (HTTP or WebSocket). */
  onRPCCall(method: string, seconds: number, ok: boolean): void;
  /** A chain of shard `shard` finished stages of a block (chain `stages` event). */
  onBlockStages(shard: number, t: BlockStageTimes): void;
  /** One BLS verification batch ran for `seconds`. */
  onBLSBatch(seconds: number): void;
  /** A gossiped message of `topic` on shard `shard` arrived `seconds` after the origin time it carries. */
  onGossipDelay(shard: number, topic: string, seconds: number): void;
  /** Stop the GC profiler. */
  close(): void;
}

const finite = (x: number) => Number.isFinite(x) && x >= 0;

/** Create the registry of one node; `sample` reads the node's sources (undefined while it starts). */
export function createNodeRegistry(opts: { perf?: RuntimePerf }, sample: () => NodeMetricsSource | undefined): NodeRegistry {
  const registry = new Registry();
  const proc = registerProcessMetrics(registry, opts.perf);
  const node = registerNodeMetrics(registry, sample);
  const rpc = new Histogram({
    name: "harmony_rpc_request_duration_seconds", help: `JSON-RPC calls (HTTP and WebSocket, each call of a batch) by method; methods the node does not serve count as "unknown".`,
    labelNames: ["method"], buckets: FAST_BUCKETS, registers: [registry],
  });
  const rpcErrors = new Counter({ name: "harmony_rpc_request_errors_total", help: "JSON-RPC calls answered with an error, by method.", labelNames: ["method"], registers: [registry] });
  const stages = new Histogram({
    name: "harmony_block_stage_duration_seconds",
    help: "Block processing by stage: validate (header, body, crosslink and proof checks), senders (signature recovery), execute (transactions), finalize (incoming receipts, rewards, epoch end), state_root, receipts_root, build (a proposal of ours), commit (the store write) and import (the chain call that committed the block, end to end; for a block verified earlier under consensus only its commit).",
    labelNames: ["shard", "stage"], buckets: FAST_BUCKETS, registers: [registry],
  });
  const bls = new Histogram({
    name: "harmony_bls_verify_duration_seconds", help: "BLS verification batches (on the workers or this thread), each batch's verification time.",
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1], registers: [registry],
  });
  const delay = new Histogram({
    name: "harmony_p2p_gossip_delay_seconds",
    help: "Delay of gossiped proposals: frames carry no send time, so this is the arrival time here minus the timestamp of the block that a consensus ANNOUNCE or NEWVIEW carries (set by the proposing leader when it built the block). Header timestamps are whole seconds, so a value exceeds the network delay by up to 1 s (0.5 s on average); the nodes' clocks must agree.",
    labelNames: ["shard", "topic"], buckets: DELAY_BUCKETS, registers: [registry],
  });
  const methods = new Set<string>();
  const methodLabel = (m: string) => {
    if (methods.has(m)) return m;
    if (methods.size >= MAX_RPC_METHOD_LABELS) return OTHER_LABEL;
    methods.add(m);
    return m;
  };
  return {
    registry,
    contentType: registry.contentType,
    async text() {
      proc.flushGC();
      node.refresh();
      return await registry.metrics();
    },
    onRPCCall(method, seconds, ok) {
      if (!finite(seconds)) return;
      const m = methodLabel(method);
      rpc.observe({ method: m }, seconds);
      if (!ok) rpcErrors.inc({ method: m });
    },
    onBlockStages(shard, t) {
      for (const stage of BLOCK_STAGES) {
        const ms = t.ms[stage];
        if (ms !== undefined && finite(ms)) stages.observe({ shard, stage }, ms / 1000);
      }
    },
    onBLSBatch(seconds) {
      if (finite(seconds)) bls.observe(seconds);
    },
    onGossipDelay(shard, topic, seconds) {
      // A clock behind the leader's reads a negative delay: clamp, it says "no measurable delay".
      if (!Number.isFinite(seconds)) return;
      delay.observe({ shard, topic: GOSSIP_DELAY_TOPICS.includes(topic) ? topic : OTHER_LABEL }, Math.max(0, seconds));
    },
    close: () => proc.close(),
  };
}
