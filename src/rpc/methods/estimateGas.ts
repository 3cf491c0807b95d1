/**
 * eth_estimateGas: binary search between 21000 and the gas cap (also bounded by the block gas limit
 * and by what the sender can pay), all under one call timeout.
 * @module
 */
import { resolveStateHeader } from "../blockRef.ts";
import { parseCallObject, parseStateOverrides } from "../callParams.ts";
import { capGas, runCall, withTimeout } from "../callRunner.ts";
import type { MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { searchGasLimit, TX_GAS } from "../estimateGas.ts";
import { toQuantity } from "../hex.ts";
import { arg, assertMaxArgs, optArg, parseBlockSpec, type BlockSpec } from "../params.ts";

const LATEST: BlockSpec = { tag: "latest" };

/** Handlers of this module by method name. */
export const estimateGasMethods: Record<string, MethodHandler> = {
  eth_estimateGas: async (p, ctx) => {
    assertMaxArgs(p, 3);
    const { request, gas } = arg(p, 0, parseCallObject);
    const spec = optArg(p, 1, parseBlockSpec, LATEST);
    const overrides = optArg(p, 2, parseStateOverrides, []);
    const header = await resolveStateHeader(spec, ctx.backend);
    let hi = capGas(gas !== undefined && gas >= TX_GAS ? gas : header.gasLimit, ctx.limits.callGasCap);
    // A sender paying a fee cannot use more gas than its balance buys (geth).
    const feeCap = request.gasPrice ?? request.maxFeePerGas ?? 0n;
    if (feeCap > 0n && request.from) {
      const override = overrides.find((o) => o.balance !== undefined && o.address.every((b, i) => b === request.from?.[i]));
      const balance = override?.balance ?? (await ctx.backend.getBalance(request.from, header.number));
      const value = request.value ?? 0n;
      if (value > balance) throw rpcError(RpcErrorCode.SERVER_ERROR, "insufficient funds for transfer");
      const allowance = (balance - value) / feeCap;
      if (allowance < hi) hi = allowance;
    }
    // One deadline for the whole search: every probe runs in what is left of it.
    const limit = await withTimeout(
      ctx.limits.callTimeoutMs,
      (signal, deadline) =>
        searchGasLimit((g) => runCall(ctx, request, { blockNumber: header.number, gasLimit: g, overrides, signal, deadline }), hi, signal),
      ctx.deadline,
    );
    return toQuantity(limit);
  },
};
