/**
 * The transactions of one sender, keyed by nonce. Invariant: every nonce ≥ `stateNonce`, and the
 * pending ones are exactly `stateNonce … stateNonce + pendingCount - 1`, all present; the rest are
 * queued behind a gap.
 */
import type { PoolTx } from "./types.ts";

/** Per-sender nonce list: pending run plus queued future nonces. */
export class SenderTxs {
  readonly txs = new Map<bigint, PoolTx>();
  pendingCount = 0;
  /** Clock time of the last admission from this sender (queued txs expire relative to it). */
  lastActivity: number;
  readonly address: Uint8Array;
  /** `0x` lowercase hex of the address. */
  readonly key: string;
  stateNonce: bigint;

  constructor(address: Uint8Array, key: string, stateNonce: bigint, now: number) {
    this.address = address;
    this.key = key;
    this.stateNonce = stateNonce;
    this.lastActivity = now;
  }

  get queuedCount(): number {
    return this.txs.size - this.pendingCount;
  }

  /** The nonce that would extend the pending run. */
  get nextNonce(): bigint {
    return this.stateNonce + BigInt(this.pendingCount);
  }

  isPending(nonce: bigint): boolean {
    return nonce >= this.stateNonce && nonce < this.nextNonce;
  }

  /** Put `ptx` at its nonce, returning the transaction it replaced. Call {@link promote} after. */
  set(ptx: PoolTx): PoolTx | undefined {
    const old = this.txs.get(ptx.nonce);
    this.txs.set(ptx.nonce, ptx);
    return old;
  }

  /** Extend the pending run over queued nonces that now continue it; returns the promoted txs. */
  promote(): PoolTx[] {
    const promoted: PoolTx[] = [];
    for (let tx = this.txs.get(this.nextNonce); tx !== undefined; tx = this.txs.get(this.nextNonce)) {
      promoted.push(tx);
      this.pendingCount++;
    }
    return promoted;
  }

  /** Remove the tx at `nonce`; pending txs above it become queued (their nonce is no longer reachable). */
  remove(nonce: bigint): PoolTx | undefined {
    const tx = this.txs.get(nonce);
    if (tx === undefined) return undefined;
    if (this.isPending(nonce)) this.pendingCount = Number(nonce - this.stateNonce);
    this.txs.delete(nonce);
    return tx;
  }

  /**
   * Move to a new state nonce: drop every tx below it (included or replaced on chain) and keep the
   * part of the old pending run that is still contiguous. Call {@link promote} after.
   */
  advance(stateNonce: bigint): PoolTx[] {
    const dropped: PoolTx[] = [];
    if (stateNonce === this.stateNonce) return dropped;
    const oldEnd = this.nextNonce;
    for (const [nonce, tx] of this.txs) {
      if (nonce < stateNonce) {
        this.txs.delete(nonce);
        dropped.push(tx);
      }
    }
    this.pendingCount = stateNonce >= this.stateNonce && stateNonce < oldEnd ? Number(oldEnd - stateNonce) : 0;
    this.stateNonce = stateNonce;
    return dropped;
  }

  /** All txs in nonce order. */
  sorted(): PoolTx[] {
    return [...this.txs.values()].sort((a, b) => (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0));
  }

  /** The pending run in nonce order. */
  pending(): PoolTx[] {
    const out: PoolTx[] = [];
    for (let i = 0n; i < BigInt(this.pendingCount); i++) {
      const tx = this.txs.get(this.stateNonce + i);
      if (tx !== undefined) out.push(tx);
    }
    return out;
  }

  /** The highest-nonce transaction (queued if any, else the end of the pending run). */
  tail(): PoolTx | undefined {
    if (this.queuedCount === 0) return this.pendingTail();
    let best: PoolTx | undefined;
    for (const tx of this.txs.values()) if (best === undefined || tx.nonce > best.nonce) best = tx;
    return best;
  }

  /** The highest queued transaction, if any. */
  queuedTail(): PoolTx | undefined {
    return this.queuedCount === 0 ? undefined : this.tail();
  }

  /** The last transaction of the pending run. */
  pendingTail(): PoolTx | undefined {
    return this.pendingCount > 0 ? this.txs.get(this.nextNonce - 1n) : undefined;
  }
}
