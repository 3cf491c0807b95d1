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
  accountSlots: number;
}

/** True when `a` is the worse of the two to keep. */
export function isCheaper(a: PoolTx, b: PoolTx): boolean {
  if (a.feeCap !== b.feeCap) return a.feeCap < b.feeCap;
  if (a.tipCap !== b.tipCap) return a.tipCap < b.tipCap;
  return a.seq > b.seq;
}

function pickQueuedVictim(index: PoolIndex): SenderTxs | undefined {
  let victim: SenderTxs | undefined;
  let worst: PoolTx | undefined;
  for (const s of index.senders.values()) {
    if (s.queuedCount === 0) continue;
    const t = s.tail();
    if (t !== undefined && (worst === undefined || isCheaper(t, worst))) [victim, worst] = [s, t];
  }
  return victim;
}

function pickPendingVictim(index: PoolIndex, accountSlots: number): SenderTxs | undefined {
  let heavy: SenderTxs | undefined;
  let cheap: SenderTxs | undefined;
  let cheapTail: PoolTx | undefined;
  for (const s of index.senders.values()) {
    if (s.pendingCount === 0) continue;
    if (s.pendingCount > accountSlots && (heavy === undefined || s.pendingCount > heavy.pendingCount)) heavy = s;
    const t = s.pendingTail();
    if (t !== undefined && (cheapTail === undefined || isCheaper(t, cheapTail))) [cheap, cheapTail] = [s, t];
  }
  return heavy ?? cheap;
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
  while (index.queuedTotal > limits.globalQueue) {
    const s = pickQueuedVictim(index);
    if (s === undefined) break;
    evictTail(index, s, evicted);
  }
  while (index.pendingTotal > limits.globalSlots) {
    const s = pickPendingVictim(index, limits.accountSlots);
    if (s === undefined) break;
    evictTail(index, s, evicted);
  }
  return evicted;
}
