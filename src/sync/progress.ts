/**
 * Sync progress arithmetic, pure so it can be checked with worked numbers: the import rate over a
 * window of (time, height) samples, the ETA it implies, and the one-line rendering the terminal shows.
 * @module
 */

/** One observation: local head `n` at time `t` (ms). */
export interface ProgressSample {
  readonly t: number;
  readonly n: bigint;
}

/** What a syncing node reports: done/target blocks, blocks per second and seconds left. */
export interface SyncProgress {
  /** Blocks imported since the run started (current − starting). */
  done: bigint;
  /** Blocks the run must import in all (highest − starting). */
  total: bigint;
  currentBlock: bigint;
  highestBlock: bigint;
  /** Blocks per second over the samples' span (0 before two samples one moment apart). */
  blocksPerSecond: number;
  /** Seconds to `highestBlock` at that rate; 0 when there; undefined while the rate is 0. */
  etaSeconds: number | undefined;
}

/**
 * Blocks per second between the first and the last sample (the caller keeps them to a window).
 * A head that moved backwards (a reorg onto a shorter chain) counts as no progress, not negative.
 */
export function rateOf(samples: readonly ProgressSample[]): number {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined || last.t <= first.t || last.n <= first.n) return 0;
  return (Number(last.n - first.n) * 1000) / (last.t - first.t);
}

/** Seconds from `current` to `target` at `rate` blocks/s: 0 once there, undefined while the rate is 0. */
export function etaOf(current: bigint, target: bigint, rate: number): number | undefined {
  if (target <= current) return 0;
  return rate > 0 && Number.isFinite(rate) ? Number(target - current) / rate : undefined;
}

/** The progress of a run that started at `startingBlock`, given samples of the local head. */
export function syncProgress(startingBlock: bigint, currentBlock: bigint, highestBlock: bigint, samples: readonly ProgressSample[]): SyncProgress {
  const blocksPerSecond = rateOf(samples);
  const clamp = (v: bigint) => (v < 0n ? 0n : v);
  return {
    done: clamp(currentBlock - startingBlock),
    total: clamp(highestBlock - startingBlock),
    currentBlock,
    highestBlock,
    blocksPerSecond,
    etaSeconds: etaOf(currentBlock, highestBlock, blocksPerSecond),
  };
}

/** `s` seconds as 42s, 3m07s or 2h05m; "?" when unknown. */
export function formatEta(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return "?";
  const t = Math.round(s);
  const pad = (v: number) => String(v).padStart(2, "0");
  if (t >= 3600) return `${Math.floor(t / 3600)}h${pad(Math.floor((t % 3600) / 60))}m`;
  return t >= 60 ? `${Math.floor(t / 60)}m${pad(t % 60)}s` : `${t}s`;
}

/** The terminal line: `sync 1200/5000 blocks (24.0%) head 1300/5100 · 85.3 blk/s · ETA 44s`. */
export function formatProgress(p: SyncProgress): string {
  const pct = p.total > 0n ? (Number((p.done * 1000n) / p.total) / 10).toFixed(1) : "100.0";
  return `sync ${p.done}/${p.total} blocks (${pct}%) head ${p.currentBlock}/${p.highestBlock} · ${p.blocksPerSecond.toFixed(1)} blk/s · ETA ${formatEta(p.etaSeconds)}`;
}
