/**
 * The background half of `--rpc-tx-history`: indexes the blocks a node committed before the index was
 * on (AddressHistory.backfill), one bounded step per timer tick so blocks, votes and RPC keep the
 * thread; each step is one atomic batch with the marker, so a node killed mid-way resumes at the
 * marker on its next start. Stops by itself once the index is complete.
 * @module
 */
import type { AddressHistory, BackfillLimits } from "../chain/index.ts";
import type { Logger } from "../util/logger.ts";

/** Options of {@link startTxHistoryBackfill}. */
export interface TxHistoryBackfillOptions {
  /** Work per tick. Default 64 blocks or 4,096 index entries. */
  readonly limits?: BackfillLimits;
  /** Pause between ticks, ms. Default 5. */
  readonly intervalMs?: number;
  /** Pause after a failed step before the next attempt, ms. Default 5,000. */
  readonly retryMs?: number;
}

/**
 * Run the backfill of `history` until it is complete; returns the stop function (idempotent).
 * A failing step (a store error) is logged and retried after `retryMs`.
 */
export function startTxHistoryBackfill(history: AddressHistory, logger: Logger, opts: TxHistoryBackfillOptions = {}): () => void {
  const limits = opts.limits ?? { maxBlocks: 64, maxEntries: 4096 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const started = history.progress();
  if (started.complete) return () => undefined;
  logger.info("indexing the transaction history of older blocks", { from: String(started.nextBlock), to: String(started.headBlock) });
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    let delay = opts.intervalMs ?? 5;
    try {
      history.backfill(limits);
      const p = history.progress();
      if (p.complete) {
        logger.info("transaction history indexed", { blocks: String(p.indexedBlocks) });
        return;
      }
    } catch (e) {
      logger.error("transaction history indexing failed; retrying", { error: e instanceof Error ? e.message : String(e) });
      delay = opts.retryMs ?? 5000;
    }
    timer = setTimeout(tick, delay);
  };
  timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
