/**
 * eth_gasPrice, eth_maxPriorityFeePerGas, eth_feeHistory.
 * @module
 */
import type { MethodHandler } from "../context.ts";
import { specToNumber } from "../blockRef.ts";
import { toQuantity } from "../hex.ts";
import { ParamError, arg, assertMaxArgs, parseBlockNumberOrTag, parseSmallQuantity } from "../params.ts";

/** Most reward percentiles one eth_feeHistory may ask for. */
const MAX_PERCENTILES = 100;

// geth accepts the block count as a hex quantity or a decimal JSON number.
function parseBlockCount(v: unknown): number {
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v) || v < 0) throw new ParamError("block count must be a non-negative integer");
    return v;
  }
  return parseSmallQuantity(v);
}

function parsePercentiles(v: unknown): number[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ParamError("reward percentiles must be an array");
  if (v.length > MAX_PERCENTILES) throw new ParamError(`too many reward percentiles (max ${MAX_PERCENTILES})`);
  let prev = -1;
  return v.map((p, i) => {
    if (typeof p !== "number" || !Number.isFinite(p) || p < 0 || p > 100) throw new ParamError(`invalid reward percentile #${i}: ${String(p)}`);
    if (p < prev) throw new ParamError(`invalid reward percentile #${i}: ${p} < ${prev}`);
    prev = p;
    return p;
  });
}

/** Handlers of this module by method name. */
export const feeMethods: Record<string, MethodHandler> = {
  eth_gasPrice: async (p, ctx) => {
    assertMaxArgs(p, 0);
    return toQuantity(await ctx.oracle.suggestGasPrice());
  },
  eth_maxPriorityFeePerGas: async (p, ctx) => {
    assertMaxArgs(p, 0);
    return toQuantity(await ctx.oracle.suggestTip());
  },
  eth_feeHistory: (p, ctx) => {
    assertMaxArgs(p, 3);
    const count = arg(p, 0, parseBlockCount);
    const newest = specToNumber(arg(p, 1, parseBlockNumberOrTag), ctx.backend) as bigint;
    const percentiles = arg(p, 2, parsePercentiles);
    return ctx.oracle.feeHistory(count, newest, percentiles);
  },
};
