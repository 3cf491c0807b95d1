/**
 * Event-loop lag monitor: a timer that should fire every `intervalMs` measures how late it runs. The
 * lag of the last window and its maximum are exposed for `/metrics`, and a warning is logged when the
 * lag exceeds `warnMs` (heavy work on the main thread delays timers, votes and RPC alike).
 */
import type { Logger } from "../util/logger.ts";

/** Options of {@link startEventLoopLagMonitor}. */
export interface LagMonitorOptions {
  /** Sampling interval, ms. Default 100. */
  intervalMs?: number;
  /** Lag that is logged as a warning, ms. Default 200. */
  warnMs?: number;
  /** At most one warning per this many ms. Default 10,000. */
  warnEveryMs?: number;
}

/** A running monitor. */
export interface LagMonitor {
  /** Lag of the latest sample, ms. */
  readonly lastMs: number;
  /** Largest lag seen since the last {@link takeMax}, ms. */
  takeMax(): number;
  /** Largest lag seen since start, ms. */
  readonly maxMs: number;
  stop(): void;
}

/** Start sampling the event-loop lag. */
export function startEventLoopLagMonitor(opts: LagMonitorOptions, modules: { logger: Logger; now?: () => number }): LagMonitor {
  const interval = opts.intervalMs ?? 100;
  const warnMs = opts.warnMs ?? 200;
  const warnEvery = opts.warnEveryMs ?? 10_000;
  const now = modules.now ?? (() => performance.now());
  let expected = now() + interval;
  let lastWarn = Number.NEGATIVE_INFINITY;
  let windowMax = 0;
  const m = { lastMs: 0, maxMs: 0 };
  const timer = setInterval(() => {
    const t = now();
    const lag = Math.max(0, t - expected);
    expected = t + interval;
    m.lastMs = lag;
    if (lag > m.maxMs) m.maxMs = lag;
    if (lag > windowMax) windowMax = lag;
    if (lag >= warnMs && t - lastWarn >= warnEvery) {
      lastWarn = t;
      modules.logger.warn("event loop lag", { lagMs: Math.round(lag) });
    }
  }, interval);
  (timer as { unref?: () => void }).unref?.();
  return {
    get lastMs() {
      return m.lastMs;
    },
    get maxMs() {
      return m.maxMs;
    },
    takeMax() {
      const x = windowMax;
      windowMax = 0;
      return x;
    },
    stop: () => clearInterval(timer),
  };
}
