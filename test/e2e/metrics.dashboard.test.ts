// Issue 12 item 4 / acceptance 3 on real processes: every metric that a query of the Grafana
// dashboard (deploy/grafana/harmony.json) reads is on a running node's /metrics, histograms included
// (the test sends RPC calls, a failing one and a transaction first so they have data), and the
// Prometheus scrape config (deploy/prometheus.yml) targets the ports `harmony devnet` uses by default.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEVNET_DEFAULTS } from "../../src/cli/_devnetOptions.ts";
import { DEV_ACCOUNTS } from "../../src/core/index.ts";
import { type TestDevnet, rpcCall, startDevnet, stopAllDevnets, toNumber, waitFor, waitForHeight } from "./_devnet.ts";
import { ROOT } from "./_node.ts";

let net: TestDevnet | undefined;
afterAll(async () => {
  if (net) await net.stop();
  stopAllDevnets();
});

const FUNCTIONS = new Set([
  "abs", "absent", "avg_over_time", "ceil", "changes", "clamp_max", "clamp_min", "count_over_time", "delta", "deriv", "exp", "floor", "histogram_quantile",
  "idelta", "increase", "irate", "label_replace", "label_values", "ln", "max_over_time", "min_over_time", "predict_linear", "rate", "resets", "round", "scalar",
  "sort", "sort_desc", "sqrt", "sum_over_time", "time", "timestamp", "vector",
]);
const AGGREGATIONS = new Set(["sum", "avg", "min", "max", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group"]);
const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"]);

/**
 * The metric names a PromQL expression reads: string literals, label matchers `{…}`, grouping clauses
 * `by (…)` and friends, ranges `[5m]`, Grafana variables and the label argument of Grafana's
 * `label_values(metric, label)` are removed; of the identifiers left,
 * those followed by `(` are functions or aggregations, the rest are metric names.
 */
function metricNamesOf(expr: string): string[] {
  const s = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    // Grafana's label_values(metric, label): the second argument names a label.
    .replace(/\blabel_values\(([^,()]*),\s*\w+\s*\)/g, "label_values($1)")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\$\{?\w+\}?/g, " ");
  const names: string[] = [];
  for (const m of s.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const id = m[0];
    const after = s.slice((m.index ?? 0) + id.length).trimStart();
    if (after.startsWith("(")) {
      if (!FUNCTIONS.has(id) && !AGGREGATIONS.has(id)) throw new Error(`unknown PromQL function ${id} in ${expr}`);
      continue;
    }
    if (KEYWORDS.has(id.toLowerCase()) || AGGREGATIONS.has(id)) continue;
    // A number's exponent (1e-3) is not an identifier.
    const before = s[(m.index ?? 0) - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue;
    names.push(id);
  }
  return names;
}

interface Dashboard {
  schemaVersion: number;
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
  templating: { list: { name: string; type: string; query: unknown }[] };
}

/** Sample names of a scrape: the name before `{` or the space, of every non-comment line. */
function sampleNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    out.add(/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? line);
  }
  return out;
}

describe("monitoring", () => {
  test("the PromQL name extraction keeps metric names only", () => {
    expect(metricNamesOf('histogram_quantile(0.95, sum by (le, method) (rate(a_b_bucket{instance=~"$instance",x="rate(y)"}[5m])))')).toEqual(["a_b_bucket"]);
    expect(metricNamesOf("rate(x_sum[5m]) / rate(x_count[5m]) > 1e-3")).toEqual(["x_sum", "x_count"]);
    expect(metricNamesOf('sum without (shard) (up{job="h"}) and on (instance) z offset 5m')).toEqual(["up", "z"]);
    expect(metricNamesOf('label_values(harmony_chain_height{job="x"}, instance)')).toEqual(["harmony_chain_height"]);
    expect(() => metricNamesOf("made_up_fn(x)")).toThrow(/unknown PromQL function/);
  });

  test("deploy/prometheus.yml scrapes the nodes of a default devnet", () => {
    const cfg = Bun.YAML.parse(readFileSync(join(ROOT, "deploy/prometheus.yml"), "utf8")) as {
      scrape_configs: { metrics_path?: string; static_configs: { targets: string[]; labels?: Record<string, string> }[] }[];
    };
    const job = cfg.scrape_configs[0];
    expect(job?.metrics_path ?? "/metrics").toBe("/metrics");
    const targets = (job?.static_configs ?? []).flatMap((c) => c.targets.map((t) => ({ t, node: c.labels?.node })));
    // `harmony devnet` with its defaults: node i of (validators + rpc nodes) per shard on base-port + i.
    const count = Number(DEVNET_DEFAULTS.shards) * (Number(DEVNET_DEFAULTS.validators) + Number(DEVNET_DEFAULTS.rpcNodes));
    const base = Number(DEVNET_DEFAULTS.basePort);
    expect(targets).toEqual(Array.from({ length: count }, (_, i) => ({ t: `127.0.0.1:${base + i}`, node: `node${i}` })));
  });

  test("every metric the dashboard queries is on a running node's /metrics", async () => {
    const dash = JSON.parse(readFileSync(join(ROOT, "deploy/grafana/harmony.json"), "utf8")) as Dashboard;
    expect(dash.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dash.templating.list.some((v) => v.type === "datasource" && v.query === "prometheus")).toBe(true);
    const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    for (const v of dash.templating.list) if (v.type === "query") exprs.push((v.query as { query: string }).query);
    const wanted = new Set(exprs.flatMap(metricNamesOf));
    expect(wanted.size).toBeGreaterThan(30);
    for (const must of ["harmony_rpc_request_duration_seconds_bucket", "harmony_block_stage_duration_seconds_bucket", "harmony_bls_verify_duration_seconds_bucket", "harmony_p2p_gossip_delay_seconds_bucket", "process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_gc_duration_seconds_sum", "harmony_event_loop_lag_seconds"]) {
      expect(wanted.has(must)).toBe(true);
    }

    // Two validators: node0 leads the first blocks, node1 validates them (proposals reach it by gossip).
    net = await startDevnet({ validators: 2, rpcNodes: 0, timeoutMs: 25_000 });
    const d = net;
    const url = d.node("node1").rpc;
    await waitForHeight(d, "node1", 2, 15_000);
    const from = privateKeyToAccount(DEV_ACCOUNTS[0]?.privateKey as Hex);
    const raw = await from.signTransaction({ chainId: 31337, type: "eip1559", nonce: 0, to: DEV_ACCOUNTS[9]?.address as Hex, value: 1n, gas: 21000n, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1n });
    const hash = (await rpcCall(url, "eth_sendRawTransaction", [raw])) as string;
    await rpcCall(url, "eth_getBalance", [DEV_ACCOUNTS[9]?.address, "latest"]);
    await rpcCall(url, "no_such_method").catch(() => undefined);
    await waitFor("the transaction's receipt", 15_000, async () => (await rpcCall(url, "eth_getTransactionReceipt", [hash])) ?? undefined);

    const text = await (await fetch(`${url}metrics`)).text();
    const have = sampleNames(text);
    const missing = [...wanted].filter((n) => !have.has(n));
    expect(missing).toEqual([]);
    // The histograms counted what this test did.
    expect(text).toMatch(/^harmony_rpc_request_duration_seconds_count\{method="eth_sendRawTransaction"\} [1-9]/m);
    expect(text).toMatch(/^harmony_rpc_request_errors_total\{method="unknown"\} [1-9]/m);
    expect(text).toMatch(/^harmony_block_stage_duration_seconds_count\{shard="0",stage="execute"\} [1-9]/m);
    expect(toNumber(await rpcCall(url, "eth_blockNumber")) ?? 0).toBeGreaterThan(2);
  }, 40_000);
});
