/**
 * Sender recovery, done once per transaction: known senders (the txpool caches them by hash) are
 * taken as given, the rest are recovered — inline for a few, spread over a pool of web Workers (both
 * Bun and Deno run them) for a block's worth, since secp256k1 recovery is the costliest step of
 * validating a block of plain transfers.
 */
import { BlockError, BlockErrorCode, type SignedTransaction, TransactionErrorCode, bigintToBytes, transactionSigningHash } from "../core/index.ts";
import { ANSWER_BYTES, JOB_BYTES, recoverPacked } from "./_recoverItems.ts";
import { workerURL } from "../util/workerURL.ts";

function pad32(n: bigint): Uint8Array {
  const b = bigintToBytes(n);
  const out = new Uint8Array(32);
  out.set(b, 32 - b.length);
  return out;
}

function recoveryId(tx: SignedTransaction): number {
  const v = tx.v as bigint;
  if (tx.type !== 0) return Number(v);
  if (v === 27n || v === 28n) return Number(v - 27n);
  return Number(v - (tx.common.chainId() * 2n + 35n));
}

/** Pack the recovery job of a transaction. */
function packJob(tx: SignedTransaction, out: Uint8Array, offset: number): void {
  out.set(transactionSigningHash(tx), offset);
  out.set(pad32(tx.r as bigint), offset + 32);
  out.set(pad32(tx.s as bigint), offset + 64);
  out[offset + 96] = recoveryId(tx);
}

/** A pool of recovery workers, started on first use. */
export class SenderRecoveryPool {
  readonly size: number;
  #workers: Worker[] | null = null;
  #failed = false;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (a: Uint8Array) => void; reject: (e: unknown) => void }>();

  /** @param size number of workers (default: the machine's cores). */
  constructor(size = globalThis.navigator?.hardwareConcurrency ?? 2) {
    this.size = Math.max(1, size);
  }

  #start(): Worker[] | null {
    if (this.#workers !== null || this.#failed) return this.#workers;
    try {
      this.#workers = Array.from({ length: this.size }, () => {
        const w = new Worker(workerURL(import.meta.url, "_senderWorker.ts", "src/execution/_senderWorker.ts").href, { type: "module" });
        (w as { unref?: () => void }).unref?.();
        w.onmessage = (ev: MessageEvent<{ id: number; answers: Uint8Array }>) => {
          const p = this.#pending.get(ev.data.id);
          this.#pending.delete(ev.data.id);
          p?.resolve(ev.data.answers);
        };
        w.onerror = (ev) => {
          this.#failed = true;
          for (const p of this.#pending.values()) p.reject(ev);
          this.#pending.clear();
        };
        return w;
      });
    } catch {
      this.#failed = true;
      this.#workers = null;
    }
    return this.#workers;
  }

  /** Recover packed jobs across the workers; falls back to this thread if workers cannot run. */
  async recover(jobs: Uint8Array): Promise<Uint8Array> {
    const workers = this.#start();
    const count = jobs.length / JOB_BYTES;
    if (workers === null) return recoverPacked(jobs);
    const per = Math.ceil(count / workers.length);
    const parts = workers.map((w, i) => {
      const slice = jobs.slice(i * per * JOB_BYTES, Math.min(count, (i + 1) * per) * JOB_BYTES);
      if (slice.length === 0) return Promise.resolve(new Uint8Array(0));
      const id = this.#nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        w.postMessage({ id, jobs: slice }, [slice.buffer as ArrayBuffer]);
      });
    });
    try {
      const answers = await Promise.all(parts);
      const out = new Uint8Array(count * ANSWER_BYTES);
      let o = 0;
      for (const a of answers) {
        out.set(a, o);
        o += a.length;
      }
      return out;
    } catch {
      return recoverPacked(jobs);
    }
  }

  /** Stop the workers. */
  close(): void {
    for (const w of this.#workers ?? []) w.terminate();
    this.#workers = null;
    for (const p of this.#pending.values()) p.reject(new Error("sender recovery pool closed"));
    this.#pending.clear();
  }
}

/** Sender recovery counters of a chain, for `/metrics` (one call of {@link recoverSenders} = one block). */
export interface SenderRecoveryStats {
  /** Blocks (calls) counted. */
  blocks: number;
  /** Senders recovered from signatures. */
  recovered: number;
  /** Senders taken as known (recovered earlier by the txpool), not recovered again. */
  reused: number;
  /** Milliseconds spent, in total and in the last block. */
  totalMs: number;
  lastMs: number;
}

/** Zeroed {@link SenderRecoveryStats}. */
export function createSenderRecoveryStats(): SenderRecoveryStats {
  return { blocks: 0, recovered: 0, reused: 0, totalMs: 0, lastMs: 0 };
}

/** Options of {@link recoverSenders}. */
export interface RecoverSendersOptions {
  /** Counters to add this call to (time, recovered and reused senders). */
  stats?: SenderRecoveryStats;
  /** Senders already known, aligned with the transactions (undefined where unknown). */
  known?: readonly (Uint8Array | undefined)[];
  /** Workers to spread recovery over; without it everything runs on this thread. */
  pool?: SenderRecoveryPool;
  /** Below this many unknown senders, recover inline. Default 16. */
  minParallel?: number;
}

/**
 * The sender of every transaction, in order.
 * @throws {BlockError} INVALID_TRANSACTION (txCode INVALID_SIGNATURE) naming the first transaction without a sender.
 */
export async function recoverSenders(txs: readonly SignedTransaction[], opts: RecoverSendersOptions = {}): Promise<Uint8Array[]> {
  const t0 = performance.now();
  const out: (Uint8Array | undefined)[] = txs.map((_, i) => opts.known?.[i]);
  const missing: number[] = [];
  for (let i = 0; i < txs.length; i++) if (out[i] === undefined) missing.push(i);
  if (missing.length > 0) {
    const jobs = new Uint8Array(missing.length * JOB_BYTES);
    missing.forEach((txIndex, k) => packJob(txs[txIndex] as SignedTransaction, jobs, k * JOB_BYTES));
    const parallel = opts.pool !== undefined && missing.length >= (opts.minParallel ?? 16);
    const answers = parallel ? await (opts.pool as SenderRecoveryPool).recover(jobs) : recoverPacked(jobs);
    missing.forEach((txIndex, k) => {
      const a = answers.subarray(k * ANSWER_BYTES, (k + 1) * ANSWER_BYTES);
      if (a[0] !== 1) {
        const reason = "invalid sender: no public key recovers from the signature";
        throw new BlockError({ code: BlockErrorCode.INVALID_TRANSACTION, index: txIndex, txCode: TransactionErrorCode.INVALID_SIGNATURE, reason }, `invalid transaction ${txIndex}: ${reason}`);
      }
      out[txIndex] = a.slice(1);
    });
  }
  const st = opts.stats;
  if (st !== undefined) {
    st.lastMs = performance.now() - t0;
    st.totalMs += st.lastMs;
    st.blocks++;
    st.recovered += missing.length;
    st.reused += txs.length - missing.length;
  }
  return out as Uint8Array[];
}
