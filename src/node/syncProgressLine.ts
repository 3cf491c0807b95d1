/**
 * The live sync line of a terminal: while the syncer runs, one line at the bottom of stderr
 * (`sync done/total blocks … blk/s · ETA …`) rewritten in place each second; erased once synced.
 * Only in pretty log mode on a terminal — otherwise the syncer's periodic "sync progress" log line
 * carries the same numbers.
 * @module
 */
import { type SyncStatus, type Syncer, formatProgress } from "../sync/index.ts";
import { setStatusLine, statusLineActive } from "../util/logger.ts";

const REFRESH_MS = 1_000;

/** The terminal line for a syncer status, or undefined when it is not syncing. */
export function syncLineOf(s: SyncStatus): string | undefined {
  if (!s.syncing) return undefined;
  const clamp = (v: bigint) => (v < 0n ? 0n : v);
  return formatProgress({
    done: clamp(s.currentBlock - s.startingBlock),
    total: clamp(s.highestBlock - s.startingBlock),
    currentBlock: s.currentBlock,
    highestBlock: s.highestBlock,
    blocksPerSecond: s.blocksPerSecond ?? 0,
    etaSeconds: s.etaSeconds,
  });
}

/**
 * Follow `syncer` and keep the terminal's status line in step with it. Returns the function that
 * stops following (and erases a line still shown). A no-op when no status line can be shown.
 */
export function startSyncProgressLine(syncer: Pick<Syncer, "status" | "on">): () => void {
  if (!statusLineActive()) return () => undefined;
  let shown = false;
  const refresh = () => {
    const line = syncLineOf(syncer.status());
    if (line === undefined && !shown) return;
    shown = line !== undefined;
    setStatusLine(line);
  };
  const timer = setInterval(refresh, REFRESH_MS);
  const offs = [syncer.on("syncing", refresh), syncer.on("synced", refresh)];
  return () => {
    clearInterval(timer);
    for (const off of offs) off();
    if (shown) setStatusLine(undefined);
    shown = false;
  };
}
