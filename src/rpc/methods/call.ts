/**
 * eth_call with state overrides, under the gas cap and call timeout.
 * @module
 */
import { resolveStateHeader } from "../blockRef.ts";
import { parseCallObject, parseStateOverrides } from "../callParams.ts";
import { capGas, runCall, withTimeout } from "../callRunner.ts";
import type { MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { toData } from "../hex.ts";
import { arg, assertMaxArgs, optArg, parseBlockSpec, type BlockSpec } from "../params.ts";
import { revertError } from "../revert.ts";

const LATEST: BlockSpec = { tag: "latest" };

/** Handlers of this module by method name. */
export const callMethods: Record<string, MethodHandler> = {
  eth_call: async (p, ctx) => {
    assertMaxArgs(p, 4);
    const { request, gas } = arg(p, 0, parseCallObject);
    const spec = optArg(p, 1, parseBlockSpec, LATEST);
    const overrides = optArg(p, 2, parseStateOverrides, []);
    if (p[3] !== undefined && p[3] !== null) throw rpcError(RpcErrorCode.INVALID_PARAMS, "invalid argument 3: block overrides are not supported");
    const header = await resolveStateHeader(spec, ctx.backend);
    const gasLimit = capGas(gas, ctx.limits.callGasCap);
    const result = await withTimeout(
      ctx.limits.callTimeoutMs,
      (signal, deadline) => runCall(ctx, request, { blockNumber: header.number, gasLimit, overrides, signal, deadline }),
      ctx.deadline,
    );
    if (result.success) return toData(result.returnData);
    if (result.revertData !== undefined) throw revertError(result.revertData);
    throw rpcError(RpcErrorCode.SERVER_ERROR, result.error ?? "execution failed");
  },
};
