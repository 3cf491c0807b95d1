/**
 * Process metrics of a node's registry: prom-client's `collectDefaultMetrics`, minus what does not
 * work under our runtimes, plus a GC histogram that does. Checked by hand under Bun 1.4 (also the
 * compiled binary) and Deno 2.9, and by test/unit/node/metricsRegistry.test.ts:
 * - CPU (`process_cpu_*`), RSS and heap (`process_resident_memory_bytes`, `nodejs_heap_*`), open and
 *   max fds, start time, version: correct on both.
 * - `nodejs_gc_duration_seconds`: prom-client fills it from `PerformanceObserver('gc')`, which emits
 *   nothing on either runtime; `v8.GCProfiler` does report every collection on both (with a
 *   different unit, see `RuntimePerf`), so the family is fed from it instead, same name and labels.
 * - `nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds` come from
 *   `monitorEventLoopDelay`, which on Deno does not see a blocked loop: removed there. Our own
 *   `harmony_event_loop_lag_seconds` (a timer, eventLoopLag.ts) works on both and is what the
 *   dashboard reads.
 * - `nodejs_active_{handles,requests,resources}*`: always 0 or empty on Bun, partial on Deno: removed.
 */
import * as v8 from "node:v8";
import { Histogram, type Registry, collectDefaultMetrics } from "prom-client";
import type { RuntimePerf } from "../adapter/index.ts";

const DEAD_EVERYWHERE = [
  "nodejs_gc_duration_seconds", "nodejs_active_handles", "nodejs_active_handles_total", "nodejs_active_requests", "nodejs_active_requests_total",
  "nodejs_active_resources", "nodejs_active_resources_total",
];
const EVENT_LOOP_DELAY = ["min", "max", "mean", "stddev", "p50", "p90", "p99"].map((s) => `nodejs_eventloop_lag_${s}_seconds`);

// Node's classification of V8 collections (perf_hooks NODE_PERFORMANCE_GC_*), so the labels match
// what prom-client would have written on Node.
const GC_KIND: Readonly<Record<string, string>> = {
  Scavenge: "minor", MinorMarkSweep: "minor", MinorMarkCompact: "minor", MarkSweepCompact: "major", IncrementalMarking: "incremental", ProcessWeakCallbacks: "weakcb",
};

interface GCProfilerLike {
  start(): void;
  stop(): { statistics: readonly { gcType: string; cost: number }[] } | undefined;
}

/** Running process metrics; `close` stops the GC profiler. */
export interface ProcessMetrics {
  /** Move the collections profiled so far into the histogram (called at scrape and every 10 s). */
  flushGC(): void;
  close(): void;
}

/** Register the process metrics of this runtime in `registry`. */
export function registerProcessMetrics(registry: Registry, perf: RuntimePerf | undefined): ProcessMetrics {
  collectDefaultMetrics({ register: registry });
  for (const name of DEAD_EVERYWHERE) registry.removeSingleMetric(name);
  if (perf?.eventLoopDelay !== true) for (const name of EVENT_LOOP_DELAY) registry.removeSingleMetric(name);
  const Profiler = (v8 as unknown as { GCProfiler?: new () => GCProfilerLike }).GCProfiler;
  if (perf === undefined || Profiler === undefined) return { flushGC: () => undefined, close: () => undefined };
  const gc = new Histogram({
    name: "nodejs_gc_duration_seconds",
    help: "Garbage collection duration by kind, one of major, minor, incremental or weakcb (from v8.GCProfiler, read at scrape and every 10 s).",
    labelNames: ["kind"],
    buckets: [0.001, 0.01, 0.1, 1, 2, 5],
    registers: [registry],
  });
  let profiler: GCProfilerLike | undefined = new Profiler();
  profiler.start();
  const flushGC = () => {
    if (profiler === undefined) return;
    // A profiler keeps every collection until stopped: rotate it so an unscraped node holds at most 10 s.
    const stats = profiler.stop()?.statistics ?? [];
    profiler = new Profiler();
    profiler.start();
    for (const s of stats) {
      const seconds = s.cost * perf.gcCostSeconds;
      if (Number.isFinite(seconds) && seconds >= 0) gc.observe({ kind: GC_KIND[s.gcType] ?? "other" }, seconds);
    }
  };
  const timer = setInterval(flushGC, 10_000);
  (timer as { unref?: () => void }).unref?.();
  return {
    flushGC,
    close() {
      clearInterval(timer);
      profiler?.stop();
      profiler = undefined;
    },
  };
}
