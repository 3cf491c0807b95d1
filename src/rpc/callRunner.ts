/**
 * Running calls through the backend with the RPC's gas cap and wall-clock limit.
 * @module
 */
import type { RpcAccountOverride, RpcCallRequest, RpcCallResult } from "./backend.ts";
import type { MethodContext } from "./context.ts";
import { RpcErrorCode, rpcError } from "./errors.ts";

/**
 * Run `work` with an AbortSignal that fires after `ms`; the result is an error when the time is up
 * even if `work` ignores the signal (its late outcome is then dropped).
 * @throws {RpcError} -32000 "execution aborted (timeout = …)".
 */
export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctl.abort();
      reject(rpcError(RpcErrorCode.SERVER_ERROR, `execution aborted (timeout = ${ms / 1000}s)`));
    }, ms);
  });
  const running = work(ctl.signal);
  running.catch(() => {});
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One call on the state after `blockNumber`. */
export function runCall(
  ctx: MethodContext,
  request: RpcCallRequest,
  opts: { blockNumber: bigint; gasLimit: bigint; overrides: RpcAccountOverride[]; signal: AbortSignal },
): Promise<RpcCallResult> {
  if (opts.signal.aborted) return Promise.reject(rpcError(RpcErrorCode.SERVER_ERROR, "execution aborted"));
  return ctx.backend.call(request, opts);
}

/** The gas limit of a call: what the caller asked for, at most the cap. */
export function capGas(requested: bigint | undefined, cap: bigint): bigint {
  return requested === undefined || requested > cap ? cap : requested;
}
