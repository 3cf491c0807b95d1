/**
 * Min-heap of sender tails (the tx an eviction would take from that sender), cheapest first.
 * Entries are pushed whenever a sender's tail changes and go stale silently; `peek` skips stale
 * ones, and the heap is rebuilt when stale entries outnumber live ones. This keeps eviction at
 * O(log n) instead of a scan over every sender.
 */
import type { SenderTxs } from "./_senderTxs.ts";
import type { PoolTx } from "./types.ts";

interface Entry {
  readonly sender: SenderTxs;
  readonly tx: PoolTx;
}

/** True when `a` is the worse of the two to keep: lower fee cap, lower tip, later arrival. */
export function isCheaper(a: PoolTx, b: PoolTx): boolean {
  if (a.feeCap !== b.feeCap) return a.feeCap < b.feeCap;
  if (a.tipCap !== b.tipCap) return a.tipCap < b.tipCap;
  return a.seq > b.seq;
}

/** Lazily invalidated min-heap of (sender, tail tx). */
export class TailHeap {
  private heap: Entry[] = [];
  private readonly tailOf: (s: SenderTxs) => PoolTx | undefined;

  /** @param tailOf the current tail of a sender; an entry is live while it still equals this. */
  constructor(tailOf: (s: SenderTxs) => PoolTx | undefined) {
    this.tailOf = tailOf;
  }

  push(sender: SenderTxs, tx: PoolTx): void {
    this.heap.push({ sender, tx });
    this.up(this.heap.length - 1);
  }

  /** The sender whose live tail is cheapest; `isLive` also rules out senders no longer indexed. */
  peek(isLive: (s: SenderTxs) => boolean): SenderTxs | undefined {
    for (let top = this.heap[0]; top !== undefined; top = this.heap[0]) {
      if (isLive(top.sender) && this.tailOf(top.sender) === top.tx) return top.sender;
      this.popTop();
    }
    return undefined;
  }

  /** Rebuild from the live tails of `senders` when stale entries have piled up. */
  compact(senders: Iterable<SenderTxs>, live: number): void {
    if (this.heap.length <= 2 * live + 64) return;
    this.heap = [];
    for (const s of senders) {
      const t = this.tailOf(s);
      if (t !== undefined) this.heap.push({ sender: s, tx: t });
    }
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private popTop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private less(i: number, j: number): boolean {
    return isCheaper((this.heap[i] as Entry).tx, (this.heap[j] as Entry).tx);
  }

  private swap(i: number, j: number): void {
    [this.heap[i], this.heap[j]] = [this.heap[j] as Entry, this.heap[i] as Entry];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && this.less(l, m)) m = l;
      if (r < this.heap.length && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
