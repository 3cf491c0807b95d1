/** Defaults and range checks of {@link TxPoolOpts}. */
import type { TxPoolOpts } from "./types.ts";

/** Options with every default filled in. */
export type ResolvedTxPoolOpts = Required<TxPoolOpts>;

const DEFAULTS = {
  maxTxBytes: 128 * 1024,
  globalSlots: 5120,
  globalQueue: 1024,
  accountSlots: 16,
  accountQueue: 64,
  priceBumpPercent: 10,
  allowUnprotected: false,
  queueLifetimeMs: 3 * 60 * 60 * 1000,
  senderCacheSize: 16384,
} as const;

const COUNTS = ["maxTxBytes", "globalSlots", "globalQueue", "accountSlots", "accountQueue", "senderCacheSize"] as const;

/**
 * Fill in defaults and check ranges.
 * @throws {RangeError} when a count is not a positive integer, a price is negative or the chain id is not positive.
 */
export function resolveTxPoolOpts(opts: TxPoolOpts): ResolvedTxPoolOpts {
  const out: ResolvedTxPoolOpts = {
    chainId: opts.chainId,
    minGasPrice: opts.minGasPrice,
    blockGasLimit: opts.blockGasLimit,
    maxTxBytes: opts.maxTxBytes ?? DEFAULTS.maxTxBytes,
    globalSlots: opts.globalSlots ?? DEFAULTS.globalSlots,
    globalQueue: opts.globalQueue ?? DEFAULTS.globalQueue,
    accountSlots: opts.accountSlots ?? DEFAULTS.accountSlots,
    accountQueue: opts.accountQueue ?? DEFAULTS.accountQueue,
    priceBumpPercent: opts.priceBumpPercent ?? DEFAULTS.priceBumpPercent,
    allowUnprotected: opts.allowUnprotected ?? DEFAULTS.allowUnprotected,
    queueLifetimeMs: opts.queueLifetimeMs ?? DEFAULTS.queueLifetimeMs,
    senderCacheSize: opts.senderCacheSize ?? DEFAULTS.senderCacheSize,
  };
  for (const k of COUNTS) {
    if (!Number.isInteger(out[k]) || out[k] <= 0) throw new RangeError(`txpool: ${k} must be a positive integer, got ${out[k]}`);
  }
  if (out.chainId <= 0n) throw new RangeError(`txpool: chainId must be positive, got ${out.chainId}`);
  if (out.minGasPrice < 0n || out.blockGasLimit <= 0n) throw new RangeError("txpool: minGasPrice must be ≥ 0 and blockGasLimit > 0");
  if (!Number.isInteger(out.priceBumpPercent) || out.priceBumpPercent < 0) {
    throw new RangeError(`txpool: priceBumpPercent must be a non-negative integer, got ${out.priceBumpPercent}`);
  }
  if (!(out.queueLifetimeMs > 0)) throw new RangeError(`txpool: queueLifetimeMs must be positive, got ${out.queueLifetimeMs}`);
  return out;
}
