/**
 * Running calls through the backend with the RPC's gas cap and wall-clock limit.
 * @module
 */
import type { RpcAccountOverride, RpcCallRequest, RpcCallResult } from "./backend.ts";
import type { MethodContext } from "./context.ts";
import { CallError, CallErrorCode } from "../execution/index.ts";
import { RpcErrorCode, rpcError } from "./errors.ts";

function timeoutError(ms: number) {
  return rpcError(RpcErrorCode.SERVER_ERROR, `execution aborted (timeout = ${ms / 1000}s)`);
}

/**
 * Run `work` with an AbortSignal and a deadline that fire after `ms`, or at `batchDeadline` when
 * that comes first (a batch shares one timeout); the result is an error when the time is up even if
 * `work` ignores both (its late outcome is then dropped). An executor that gives up at the deadline
 * ({@link CallError} TIMEOUT) gets the same error.
 * @throws {RpcError} -32000 "execution aborted (timeout = …)".
 */
export async function withTimeout<T>(ms: number, work: (signal: AbortSignal, deadline: number) => Promise<T>, batchDeadline?: number): Promise<T> {
  const deadline = batchDeadline === undefined ? Date.now() + ms : Math.min(Date.now() + ms, batchDeadline);
  const left = deadline - Date.now();
  if (left <= 0) throw timeoutError(ms);
  const ctl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctl.abort();
      reject(timeoutError(ms));
    }, left);
  });
  const running = work(ctl.signal, deadline).catch((e: unknown) => {
    throw e instanceof CallError && e.type.code === CallErrorCode.TIMEOUT ? timeoutError(ms) : e;
  });
  running.catch(() => {});
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One call on the state after `blockNumber`, given up at `deadline`. */
export function runCall(
  ctx: MethodContext,
  request: RpcCallRequest,
  opts: { blockNumber: bigint; gasLimit: bigint; overrides: RpcAccountOverride[]; signal: AbortSignal; deadline: number },
): Promise<RpcCallResult> {
  if (opts.signal.aborted) return Promise.reject(rpcError(RpcErrorCode.SERVER_ERROR, "execution aborted"));
  return ctx.backend.call(request, opts);
}

/** The gas limit of a call: what the caller asked for, at most the cap. */
export function capGas(requested: bigint | undefined, cap: bigint): bigint {
  return requested === undefined || requested > cap ? cap : requested;
}
