/**
 * The pool's bookkeeping: every tx by hash, the per-sender lists, the pending/queued totals and
 * what eviction needs (cheapest tails, senders over their pending allowance). All changes to sender
 * lists go through here so that these never disagree.
 */
import { SenderTxs } from "./_senderTxs.ts";
import { TailHeap } from "./_tailHeap.ts";
import type { PoolTx } from "./types.ts";

/** Index of pooled transactions by hash and by sender. */
export class PoolIndex {
  readonly all = new Map<string, PoolTx>();
  readonly senders = new Map<string, SenderTxs>();
  pendingTotal = 0;
  queuedTotal = 0;
  /** Senders with more than `accountSlots` pending txs. */
  readonly heavy = new Set<SenderTxs>();
  /** Cheapest last-pending tx per sender. */
  readonly pendingTails = new TailHeap((s) => s.pendingTail());
  /** Cheapest highest-queued tx per sender. */
  readonly queuedTails = new TailHeap((s) => s.queuedTail());
  private readonly accountSlots: number;

  constructor(accountSlots: number) {
    this.accountSlots = accountSlots;
  }

  /** The list of `key`, created empty at `stateNonce` when missing. */
  ensureSender(address: Uint8Array, key: string, stateNonce: bigint, now: number): SenderTxs {
    let s = this.senders.get(key);
    if (s === undefined) {
      s = new SenderTxs(address, key, stateNonce, now);
      this.senders.set(key, s);
    }
    return s;
  }

  /** Insert or replace at `ptx.nonce`; returns the replaced tx and the txs that became pending. */
  insert(s: SenderTxs, ptx: PoolTx): { replaced: PoolTx | undefined; promoted: PoolTx[] } {
    return this.track(s, () => {
      const replaced = s.set(ptx);
      if (replaced !== undefined) this.all.delete(replaced.hash);
      this.all.set(ptx.hash, ptx);
      const promoted = s.promote();
      return { replaced, promoted };
    });
  }

  /** Remove one tx; higher pending nonces of the sender become queued. */
  remove(s: SenderTxs, nonce: bigint): PoolTx | undefined {
    return this.track(s, () => {
      const tx = s.remove(nonce);
      if (tx !== undefined) this.all.delete(tx.hash);
      return tx;
    });
  }

  /** Remove every tx of `s` matching `pred`, highest nonce first. */
  removeWhere(s: SenderTxs, pred: (tx: PoolTx) => boolean): PoolTx[] {
    const doomed = s.sorted().filter(pred).reverse();
    const out: PoolTx[] = [];
    for (const tx of doomed) {
      const removed = this.remove(s, tx.nonce);
      if (removed !== undefined) out.push(removed);
    }
    return out;
  }

  /** Move `s` to a new state nonce; returns the dropped (below it) and newly pending txs. */
  advance(s: SenderTxs, stateNonce: bigint): { dropped: PoolTx[]; promoted: PoolTx[] } {
    return this.track(s, () => {
      const dropped = s.advance(stateNonce);
      for (const tx of dropped) this.all.delete(tx.hash);
      return { dropped, promoted: s.promote() };
    });
  }

  /** Forget `s` when it holds nothing. */
  prune(s: SenderTxs): void {
    if (s.txs.size === 0) this.senders.delete(s.key);
  }

  /** True while `s` is the indexed list of its address. */
  isLive(s: SenderTxs): boolean {
    return this.senders.get(s.key) === s;
  }

  /** Drop stale heap entries once they outnumber the live ones. */
  compact(): void {
    this.pendingTails.compact(this.senders.values(), this.senders.size);
    this.queuedTails.compact(this.senders.values(), this.senders.size);
  }

  private track<T>(s: SenderTxs, fn: () => T): T {
    const p = s.pendingCount;
    const q = s.queuedCount;
    const pendingTail = s.pendingTail();
    const queuedTail = s.queuedTail();
    const out = fn();
    this.pendingTotal += s.pendingCount - p;
    this.queuedTotal += s.queuedCount - q;
    const pt = s.pendingTail();
    if (pt !== undefined && pt !== pendingTail) this.pendingTails.push(s, pt);
    const qt = s.queuedTail();
    if (qt !== undefined && qt !== queuedTail) this.queuedTails.push(s, qt);
    if (s.pendingCount > this.accountSlots) this.heavy.add(s);
    else this.heavy.delete(s);
    return out;
  }
}
