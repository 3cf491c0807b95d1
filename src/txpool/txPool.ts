/**
 * The transaction pool: admission (stateless checks, one sender recovery, state checks), per-sender
 * nonce lists split into pending and queued, replacement, limits with eviction, block-building order
 * and the reset after each block.
 */
import { type SignedTransaction, keccak256 } from "../core/index.ts";
import { bytesToHex, hexToBytes } from "../util/bytes.ts";
import { createLogger } from "../util/logger.ts";
import { decodePoolTx } from "./_decode.ts";
import { TxPoolError, TxPoolErrorCode } from "./errors.ts";
import { enforceLimits } from "./_limits.ts";
import { PoolIndex } from "./_poolIndex.ts";
import { TxsByPriceAndNonce } from "./priceAndNonce.ts";
import { SenderCache } from "./_senderCache.ts";
import { type RecoveredSender, recoverSender } from "./recoverSender.ts";
import type { SenderTxs } from "./_senderTxs.ts";
import { type TxFees, assertValidTxGas, isValidReplacement } from "./_validate.ts";
import type { PoolTransaction, PoolTx, TxPoolAddResult, TxPoolContent, TxPoolModules, TxPoolOpts, TxPoolStatus } from "./types.ts";
import { resolveTxPoolOpts } from "./_opts.ts";

/** A transaction pool for one shard; see {@link createTxPool}. */
export interface TxPool {
  /**
   * Decode, validate and admit a signed transaction in its canonical (`eth_sendRawTransaction`) form.
   * @throws {TxPoolError} with the code of the first rule the transaction breaks.
   */
  add(raw: Uint8Array): Promise<TxPoolAddResult>;
  /**
   * Admit an already decoded transaction; it is re-encoded and validated exactly as {@link add}.
   * @throws {TxPoolError} as {@link add}; TX_TYPE_NOT_SUPPORTED for blob and EIP-7702 transactions.
   */
  addTx(tx: SignedTransaction): Promise<TxPoolAddResult>;
  /** The pooled transaction with this hash (`0x` hex or 32 bytes). */
  get(hash: Uint8Array | string): PoolTx | undefined;
  has(hash: Uint8Array | string): boolean;
  /** Sender address (20 bytes) recovered at admission, also for txs that already left the pool. */
  getSender(hash: Uint8Array | string): Uint8Array | undefined;
  /** Sender public key (64 bytes, the form of `tx.cache.senderPubKey`) recovered at admission. */
  getSenderPublicKey(hash: Uint8Array | string): Uint8Array | undefined;
  /** Next nonce after the sender's pending run, or `undefined` when the pool holds nothing of it. */
  getPendingNonce(address: Uint8Array | string): bigint | undefined;
  /** Every pending tx in block-building order; `baseFee` (default: the next block's) sets effective tips. */
  pending(opts?: { baseFee?: bigint }): PoolTx[];
  /** The same order as {@link pending}, as an iterator a block builder can skip senders with. */
  pendingByPriceAndNonce(opts?: { baseFee?: bigint }): TxsByPriceAndNonce;
  content(): TxPoolContent;
  status(): TxPoolStatus;
  /** Call `cb` for each tx that becomes pending (new, replacement or promoted); returns unsubscribe. */
  onPending(cb: (tx: PoolTx) => void): () => void;
  /** Drop the included txs, then {@link resetState}. */
  onNewBlock(included?: Iterable<Uint8Array | string>): Promise<void>;
  /** Re-read nonce and balance of every sender: drop stale and unaffordable txs, promote, demote. */
  resetState(): Promise<void>;
}

// Map key of a hash or address: lowercase `0x` hex.
function hexKey(value: Uint8Array | string): string {
  if (typeof value !== "string") return bytesToHex(value);
  const h = value.toLowerCase();
  return h.startsWith("0x") ? h : `0x${h}`;
}

/**
 * Create a transaction pool.
 * @throws {RangeError} when an option is out of range.
 */
export function createTxPool(options: TxPoolOpts, modules: TxPoolModules): TxPool {
  const opts = resolveTxPoolOpts(options);
  const { state } = modules;
  const clock = modules.clock ?? { now: () => Date.now() };
  const log = modules.logger ?? createLogger("txpool");
  const decodeCtx = { chainId: opts.chainId, allowUnprotected: opts.allowUnprotected };
  const index = new PoolIndex(opts.accountSlots);
  const senders = new SenderCache(opts.senderCacheSize);
  const listeners = new Set<(tx: PoolTx) => void>();
  let seq = 0;
  let lock: Promise<unknown> = Promise.resolve();

  // Mutations are serialized: each one reads state, then changes the index without yielding.
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  }

  function emitPending(txs: readonly PoolTx[]): void {
    for (const ptx of txs) {
      const s = index.senders.get(ptx.sender);
      if (s?.txs.get(ptx.nonce) !== ptx || !s.isPending(ptx.nonce)) continue;
      for (const cb of listeners) {
        try {
          cb(ptx);
        } catch (e) {
          log.warn("onPending listener failed", { error: e });
        }
      }
    }
  }

  function recover(tx: PoolTransaction, hash: string): RecoveredSender {
    const cached = senders.get(hash);
    if (cached !== undefined) {
      tx.cache.senderPubKey = cached.publicKey; // so block execution does not recover it again
      return cached;
    }
    const sender = recoverSender(tx);
    senders.set(hash, sender);
    return sender;
  }

  function admit(tx: PoolTransaction, raw: Uint8Array, hash: string, from: RecoveredSender, fees: TxFees, account: { nonce: bigint; balance: bigint }): TxPoolAddResult {
    if (index.all.has(hash)) throw new TxPoolError({ code: TxPoolErrorCode.ALREADY_KNOWN, hash });
    const now = clock.now();
    const sender = bytesToHex(from.address);
    const s = index.ensureSender(from.address, sender, account.nonce, now);
    const toEmit = index.advance(s, account.nonce).promoted;
    try {
      if (tx.nonce < account.nonce) {
        throw new TxPoolError({ code: TxPoolErrorCode.NONCE_TOO_LOW, sender, nonce: tx.nonce, stateNonce: account.nonce });
      }
      const cost = tx.value + tx.gasLimit * fees.feeCap;
      if (account.balance < cost) {
        throw new TxPoolError({ code: TxPoolErrorCode.INSUFFICIENT_FUNDS, sender, balance: account.balance, cost });
      }
      const old = s.txs.get(tx.nonce);
      if (old !== undefined && !isValidReplacement(old, fees, opts.priceBumpPercent)) {
        throw new TxPoolError({ code: TxPoolErrorCode.REPLACEMENT_UNDERPRICED, hash, replaced: old.hash });
      }
      const maxGap = BigInt(opts.accountQueue);
      if (old === undefined && tx.nonce > s.nextNonce + maxGap) {
        throw new TxPoolError({ code: TxPoolErrorCode.NONCE_TOO_HIGH_GAP, sender, nonce: tx.nonce, nextNonce: s.nextNonce, maxGap });
      }
      const ptx: PoolTx = Object.freeze({
        tx, raw, hash, sender, nonce: tx.nonce, gasLimit: tx.gasLimit, ...fees, cost, addedAt: now, seq: seq++,
      });
      const { replaced, promoted } = index.insert(s, ptx);
      if (replaced !== undefined && s.isPending(ptx.nonce)) toEmit.push(ptx);
      toEmit.push(...promoted);
      enforceLimits(index, opts);
      if (!index.all.has(hash)) throw new TxPoolError({ code: TxPoolErrorCode.POOL_FULL, hash });
      s.lastActivity = now;
      return { hash, sender, pending: s.isPending(ptx.nonce) };
    } finally {
      index.prune(s);
      emitPending(toEmit); // also when rejected: promotions from a moved state nonce still happened
    }
  }

  async function add(raw: Uint8Array): Promise<TxPoolAddResult> {
    if (raw.length > opts.maxTxBytes) {
      throw new TxPoolError({ code: TxPoolErrorCode.OVERSIZED, size: raw.length, limit: opts.maxTxBytes });
    }
    // Pooled encodings are canonical, so a duplicate is caught by its hash before decoding (gossip
    // delivers each tx many times).
    const hashBytes = keccak256(raw);
    const hash = bytesToHex(hashBytes);
    if (index.all.has(hash)) throw new TxPoolError({ code: TxPoolErrorCode.ALREADY_KNOWN, hash });
    const tx = decodePoolTx(raw, hashBytes, decodeCtx);
    const fees = assertValidTxGas(tx, opts);
    const from = recover(tx, hash);
    return exclusive(async () => {
      const [nonce, balance] = await Promise.all([state.getNonce(from.address), state.getBalance(from.address)]);
      return admit(tx, raw, hash, from, fees, { nonce, balance });
    });
  }

  async function resetLocked(): Promise<void> {
    const list = [...index.senders.values()];
    const reads = await Promise.all(list.map((s) => Promise.all([state.getNonce(s.address), state.getBalance(s.address)])));
    const now = clock.now();
    const promoted: PoolTx[] = [];
    list.forEach((s, i) => {
      const [nonce, balance] = reads[i] as [bigint, bigint];
      if (index.senders.get(s.key) !== s) return;
      promoted.push(...index.advance(s, nonce).promoted);
      sweepSender(s, balance, now);
      index.prune(s);
    });
    enforceLimits(index, opts);
    emitPending(promoted);
  }

  // Drop what the sender can no longer pay for, what lies beyond the nonce window, and queued txs
  // of a sender that has been silent longer than the queue lifetime.
  function sweepSender(s: SenderTxs, balance: bigint, now: number): void {
    index.removeWhere(s, (tx) => tx.cost > balance);
    const window = s.nextNonce + BigInt(opts.accountQueue);
    index.removeWhere(s, (tx) => tx.nonce > window);
    if (s.queuedCount > 0 && now - s.lastActivity > opts.queueLifetimeMs) {
      index.removeWhere(s, (tx) => !s.isPending(tx.nonce));
    }
  }

  function lookupSender(hash: Uint8Array | string): RecoveredSender | undefined {
    const key = hexKey(hash);
    const cached = senders.get(key);
    if (cached !== undefined) return cached;
    const ptx = index.all.get(key);
    const publicKey = ptx?.tx.cache.senderPubKey;
    return ptx && publicKey ? { address: hexToBytes(ptx.sender), publicKey } : undefined;
  }

  function pendingByPriceAndNonce(o: { baseFee?: bigint } = {}): TxsByPriceAndNonce {
    const runs = [...index.senders.values()].map((s) => s.pending());
    return new TxsByPriceAndNonce(runs, o.baseFee ?? state.nextBaseFee());
  }

  return {
    add,
    addTx: (tx) => {
      const type = tx.type as number; // a caller outside the type system may hand over a blob or set-code tx
      if (type !== 0 && type !== 1 && type !== 2) {
        return Promise.reject(new TxPoolError({ code: TxPoolErrorCode.TX_TYPE_NOT_SUPPORTED, txType: type }));
      }
      return add(tx.serialize());
    },
    get: (hash) => index.all.get(hexKey(hash)),
    has: (hash) => index.all.has(hexKey(hash)),
    getSender: (hash) => lookupSender(hash)?.address,
    getSenderPublicKey: (hash) => lookupSender(hash)?.publicKey,
    getPendingNonce: (address) => index.senders.get(hexKey(address))?.nextNonce,
    pending: (o) => {
      const it = pendingByPriceAndNonce(o);
      const out: PoolTx[] = [];
      for (let t = it.peek(); t !== undefined; t = it.peek()) {
        out.push(t);
        it.shift();
      }
      return out;
    },
    pendingByPriceAndNonce,
    content: () => {
      const out: TxPoolContent = { pending: {}, queued: {} };
      for (const s of index.senders.values()) {
        const all = s.sorted();
        const pending = all.filter((t) => s.isPending(t.nonce));
        const queued = all.filter((t) => !s.isPending(t.nonce));
        if (pending.length > 0) out.pending[s.key] = pending;
        if (queued.length > 0) out.queued[s.key] = queued;
      }
      return out;
    },
    status: () => ({ pending: index.pendingTotal, queued: index.queuedTotal }),
    onPending: (cb) => {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    },
    onNewBlock: (included = []) =>
      exclusive(async () => {
        for (const h of included) {
          const ptx = index.all.get(hexKey(h));
          const s = ptx && index.senders.get(ptx.sender);
          if (ptx === undefined || s === undefined) continue;
          index.remove(s, ptx.nonce);
          index.prune(s);
        }
        await resetLocked();
      }),
    resetState: () => exclusive(resetLocked),
  };
}
