/**
 * Block-building order over the pending set: the best-paying next transaction across senders while
 * each sender's own nonce order is kept. A max-heap holds one head per sender, as go-ethereum's
 * `NewTransactionsByPriceAndNonce` (`miner/ordering.go`).
 */
import type { PoolTx } from "./types.ts";

/**
 * Tip the block's producer would get from `tx` at `baseFee`, or `undefined` when the fee cap does not
 * cover the base fee (EIP-1559 `min(tipCap, feeCap - baseFee)`).
 */
export function getEffectiveTip(tx: PoolTx, baseFee: bigint): bigint | undefined {
  if (tx.feeCap < baseFee) return undefined;
  const room = tx.feeCap - baseFee;
  return tx.tipCap < room ? tx.tipCap : room;
}

interface Head {
  readonly txs: readonly PoolTx[];
  index: number;
  tip: bigint;
}

function better(a: Head, b: Head): boolean {
  if (a.tip !== b.tip) return a.tip > b.tip;
  const ta = a.txs[a.index];
  const tb = b.txs[b.index];
  return (ta?.seq ?? 0) < (tb?.seq ?? 0);
}

/**
 * Iterator over pending transactions in block-building order. `peek` shows the best transaction,
 * `shift` moves on to that sender's next nonce, `pop` drops the sender (its tx did not fit or failed).
 */
export class TxsByPriceAndNonce {
  private readonly heap: Head[] = [];
  private readonly baseFee: bigint;

  /** @param bySender each sender's pending run in nonce order. */
  constructor(bySender: Iterable<readonly PoolTx[]>, baseFee: bigint) {
    this.baseFee = baseFee;
    for (const txs of bySender) {
      const first = txs[0];
      const tip = first === undefined ? undefined : getEffectiveTip(first, baseFee);
      if (tip !== undefined) this.heap.push({ txs, index: 0, tip });
    }
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** The best transaction, or `undefined` when none is left. */
  peek(): PoolTx | undefined {
    const h = this.heap[0];
    return h === undefined ? undefined : h.txs[h.index];
  }

  /** Replace the best transaction with the next nonce of the same sender. */
  shift(): void {
    const h = this.heap[0];
    if (h === undefined) return;
    const next = h.txs[h.index + 1];
    const tip = next === undefined ? undefined : getEffectiveTip(next, this.baseFee);
    if (tip === undefined) return this.pop();
    h.index++;
    h.tip = tip;
    this.down(0);
  }

  /** Drop the sender of the best transaction altogether. */
  pop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && better(heap[l] as Head, heap[best] as Head)) best = l;
      if (r < heap.length && better(heap[r] as Head, heap[best] as Head)) best = r;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best] as Head, heap[i] as Head];
      i = best;
    }
  }
}
