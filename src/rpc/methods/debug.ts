/**
 * geth's tracing methods of the `debug_` namespace, over the node's archive state:
 *   debug_traceTransaction(hash, config?) → the tracer's result for an included transaction
 *   debug_traceBlockByNumber(number|tag, config?) / debug_traceBlockByHash(hash, config?)
 *     → [{ txHash, result }] for every transaction of the block
 *   debug_traceCall(call, block, config?) → the result of a call traced as eth_call runs it
 *     (config.stateOverrides as eth_call's overrides)
 * Tracers: the struct logger (no `tracer`), `callTracer` and `prestateTracer`; any other name
 * (JavaScript tracers included) is -32602 naming those.
 * On a backend without `debug` (a network node without `--rpc-debug`) the methods do not exist (-32601).
 * @module
 */
import type { RpcDebugBackend } from "../backend.ts";
import { resolveHeader, resolveStateHeader } from "../blockRef.ts";
import { parseCallObject } from "../callParams.ts";
import { capGas } from "../callRunner.ts";
import type { MethodContext, MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { toData } from "../hex.ts";
import { arg, assertMaxArgs, optArg, parseBlockNumberOrTag, parseBlockSpec, parseHash } from "../params.ts";
import { formatBlockTraces, formatTraceResult } from "./debugFormat.ts";
import { parseTraceOptions } from "./debugParams.ts";

function debugOf(ctx: MethodContext, method: string): RpcDebugBackend {
  const debug = ctx.backend.debug;
  if (debug === undefined) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, `the method ${method} does not exist/is not available`);
  return debug;
}

const NO_OPTIONS = parseTraceOptions(undefined);

/** Handlers of this module by method name. */
export const debugMethods: Record<string, MethodHandler> = {
  debug_traceTransaction: async (p, ctx) => {
    const debug = debugOf(ctx, "debug_traceTransaction");
    assertMaxArgs(p, 2);
    const hash = arg(p, 0, parseHash);
    const { config } = optArg(p, 1, parseTraceOptions, NO_OPTIONS);
    const at = await ctx.backend.getTransactionLocation(hash);
    if (at === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, "transaction not found");
    if (at.blockNumber === 0n) throw rpcError(RpcErrorCode.SERVER_ERROR, "genesis is not traceable");
    const [t] = await debug.traceBlock(at.blockHash, config, at.index);
    if (t === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, "transaction not found");
    return formatTraceResult(t.result);
  },
  debug_traceBlockByNumber: async (p, ctx) => {
    const debug = debugOf(ctx, "debug_traceBlockByNumber");
    assertMaxArgs(p, 2);
    const spec = arg(p, 0, parseBlockNumberOrTag);
    const { config } = optArg(p, 1, parseTraceOptions, NO_OPTIONS);
    const h = await resolveHeader(spec, ctx.backend);
    if (h === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, "number" in spec ? `block #${spec.number} not found` : "block not found");
    if (h.number === 0n) throw rpcError(RpcErrorCode.SERVER_ERROR, "genesis is not traceable");
    return formatBlockTraces(await debug.traceBlock(h.hash, config));
  },
  debug_traceBlockByHash: async (p, ctx) => {
    const debug = debugOf(ctx, "debug_traceBlockByHash");
    assertMaxArgs(p, 2);
    const hash = arg(p, 0, parseHash);
    const { config } = optArg(p, 1, parseTraceOptions, NO_OPTIONS);
    const h = await ctx.backend.getHeaderByHash(hash);
    if (h === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, `block ${toData(hash)} not found`);
    if (h.number === 0n) throw rpcError(RpcErrorCode.SERVER_ERROR, "genesis is not traceable");
    return formatBlockTraces(await debug.traceBlock(h.hash, config));
  },
  debug_traceCall: async (p, ctx) => {
    const debug = debugOf(ctx, "debug_traceCall");
    assertMaxArgs(p, 3);
    const { request, gas } = arg(p, 0, parseCallObject);
    const spec = optArg(p, 1, parseBlockSpec, { tag: "latest" } as const);
    const { config, stateOverrides, blockOverrides } = optArg(p, 2, parseTraceOptions, NO_OPTIONS);
    if (blockOverrides) throw rpcError(RpcErrorCode.INVALID_PARAMS, "invalid argument 2: block overrides are not supported");
    const header = await resolveStateHeader(spec, ctx.backend);
    const gasLimit = capGas(gas, ctx.limits.callGasCap);
    return formatTraceResult(await debug.traceCall(request, { blockNumber: header.number, gasLimit, overrides: stateOverrides }, config));
  },
};
