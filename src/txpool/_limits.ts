/**
 * Global and per-sender limits. When a limit is exceeded the pool evicts from the top of some
 * sender's nonce list, so it never drops a sender's lower nonce while keeping a higher one
 * (that would strand the higher ones). Choice of sender:
 * - queued over `globalQueue`: the sender whose highest queued tx is cheapest;
 * - pending over `globalSlots`: first the sender with the most pending txs above `accountSlots`
 *   (spam is trimmed before honest senders, as go-ethereum's `truncatePending`), then the sender
 *   whose last pending tx is cheapest.
 * Cheapest = lowest fee cap, then lowest tip cap, then latest arrival, so incumbents win ties.
 */
import type { PoolIndex } from "./_poolIndex.ts";
import type { SenderTxs } from "./_senderTxs.ts";
import type { PoolTx } from "./types.ts";

/** The limits enforced by {@link enforceLimits}. */
export interface PoolLimits {
  globalSlots: number;
  globalQueue: number;
}

function heaviest(index: PoolIndex): SenderTxs | undefined {
  let heavy: SenderTxs | undefined;
  for (const s of index.heavy) if (heavy === undefined || s.pendingCount > heavy.pendingCount) heavy = s;
  return heavy;
}

function evictTail(index: PoolIndex, s: SenderTxs, out: PoolTx[]): void {
  const t = s.tail();
  if (t === undefined) return;
  const removed = index.remove(s, t.nonce);
  if (removed !== undefined) out.push(removed);
  index.prune(s);
}

/**
 * Evict until the pool is within `limits`; returns the evicted transactions.
 */
export function enforceLimits(index: PoolIndex, limits: PoolLimits): PoolTx[] {
  const evicted: PoolTx[] = [];
  const live = (s: SenderTxs) => index.isLive(s);
  index.compact();
  while (index.queuedTotal > limits.globalQueue) {
    const s = index.queuedTails.peek(live);
    if (s === undefined) break;
    evictTail(index, s, evicted);
  }
  while (index.pendingTotal > limits.globalSlots) {
    const s = heaviest(index) ?? index.pendingTails.peek(live);
    if (s === undefined) break;
    evictTail(index, s, evicted);
  }
  return evicted;
}
