/**
 * JSON-RPC 2.0 envelopes: parsing, single and batch requests, notifications, and per-request error
 * isolation (a method that throws or rejects only fails its own response).
 * https://www.jsonrpc.org/specification
 * @module
 */
import type { Logger } from "../util/logger.ts";
import type { MethodContext, MethodHandler } from "./context.ts";
import { RpcErrorCode, toErrorObject, type JsonRpcErrorObject } from "./errors.ts";

type Id = string | number | null;

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  methods: ReadonlyMap<string, MethodHandler>;
  batchLimit: number;
  logger: Logger;
  /** Told of every call with a method name once it is answered (e.g. for a latency histogram). */
  onCall?: RPCCallObserver;
}

/**
 * Observer of JSON-RPC calls: `method` is a name of the method table, or {@link UNKNOWN_METHOD} for
 * any other (so its values are bounded by the table); `ok` is false when the call got an error.
 */
export type RPCCallObserver = (method: string, seconds: number, ok: boolean) => void;

/** The `method` an {@link RPCCallObserver} sees for a name the server does not serve. */
export const UNKNOWN_METHOD = "unknown";

/**
 * Turns request text into response text (undefined when nothing is to be sent back). `admit`, when
 * given, is asked once per message with the number of calls it carries; on false the whole message
 * is answered with -32005 "request rate limit exceeded" and nothing runs.
 */
export type Dispatcher = (text: string, ctx: MethodContext, admit?: (calls: number) => boolean) => Promise<string | undefined>;

/** Message of the error a rate-limited request gets (-32005). */
export const RATE_LIMITED_MESSAGE = "request rate limit exceeded";

/** Serialized error response. */
export function errorResponse(id: Id, error: JsonRpcErrorObject): string {
  return JSON.stringify({ jsonrpc: "2.0", id, error });
}

function isValidId(v: unknown): v is Id {
  return v === null || typeof v === "string" || (typeof v === "number" && Number.isFinite(v));
}

function invalid(id: Id, message: string): string {
  return errorResponse(id, { code: RpcErrorCode.INVALID_REQUEST, message });
}

/** Create the dispatcher over a method table. */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const logInternal = (method: string) => (e: unknown) =>
    opts.logger.error("rpc method failed", { method, error: e, stack: e instanceof Error ? e.stack : undefined });

  // Times a call for `onCall`: its method (once known) and whether it got an error.
  async function one(req: unknown, ctx: MethodContext): Promise<string | undefined> {
    if (opts.onCall === undefined) return answer(req, ctx);
    const t0 = performance.now();
    const seen: { method?: string; ok: boolean } = { ok: true };
    const out = await answer(req, ctx, seen);
    if (seen.method !== undefined) opts.onCall(seen.method, (performance.now() - t0) / 1000, seen.ok);
    return out;
  }

  async function answer(req: unknown, ctx: MethodContext, seen?: { method?: string; ok: boolean }): Promise<string | undefined> {
    if (typeof req !== "object" || req === null || Array.isArray(req)) return invalid(null, "invalid request");
    const r = req as Record<string, unknown>;
    const isCall = Object.hasOwn(r, "id");
    if (isCall && !isValidId(r.id)) return invalid(null, "invalid request: id must be a string, number or null");
    const id: Id = isCall ? (r.id as Id) : null;
    if (r.jsonrpc !== "2.0") return invalid(id, 'invalid request: jsonrpc must be "2.0"');
    if (typeof r.method !== "string") return invalid(id, "invalid request: method must be a string");
    const method = r.method;
    let error: JsonRpcErrorObject | undefined;
    let result: unknown;
    const handler = opts.methods.get(method);
    if (seen) seen.method = handler ? method : UNKNOWN_METHOD;
    if (r.params !== undefined && !Array.isArray(r.params)) {
      error = { code: RpcErrorCode.INVALID_PARAMS, message: "non-array args: params must be an array" };
    } else if (!handler) {
      error = { code: RpcErrorCode.METHOD_NOT_FOUND, message: `the method ${method.slice(0, 100)} does not exist/is not available` };
    } else {
      try {
        result = await handler((r.params as unknown[] | undefined) ?? [], ctx);
      } catch (e) {
        error = toErrorObject(e, logInternal(method));
      }
    }
    if (seen && error) seen.ok = false;
    if (!isCall) return undefined;
    if (error) return errorResponse(id, error);
    try {
      return JSON.stringify({ jsonrpc: "2.0", id, result: result === undefined ? null : result });
    } catch (e) {
      if (seen) seen.ok = false;
      return errorResponse(id, toErrorObject(e, logInternal(method)));
    }
  }

  return async (text, ctx, admit) => {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return errorResponse(null, { code: RpcErrorCode.PARSE_ERROR, message: "parse error" });
    }
    if (admit !== undefined && !admit(Array.isArray(msg) ? Math.max(1, msg.length) : 1)) {
      const r = msg as { id?: unknown } | null;
      const id: Id = !Array.isArray(msg) && typeof r === "object" && r !== null && isValidId(r.id) ? r.id : null;
      return errorResponse(id, { code: RpcErrorCode.LIMIT_EXCEEDED, message: RATE_LIMITED_MESSAGE });
    }
    if (!Array.isArray(msg)) return one(msg, ctx);
    if (msg.length === 0) return invalid(null, "invalid request: empty batch");
    if (msg.length > opts.batchLimit) {
      // As geth: one error, carrying the id of the first call, since the protocol has no batch-level error.
      const first = msg.find((m) => typeof m === "object" && m !== null && Object.hasOwn(m, "id") && isValidId(m.id));
      const id: Id = first ? (first.id as Id) : null;
      return `[${invalid(id, `batch too large: ${msg.length} requests, max ${opts.batchLimit}`)}]`;
    }
    const parts: string[] = [];
    const batchCtx: MethodContext = { ...ctx, deadline: Date.now() + ctx.limits.callTimeoutMs };
    // Sequential, so that one batch cannot start more concurrent work than a single request.
    for (const m of msg) {
      const out = await one(m, batchCtx);
      if (out !== undefined) parts.push(out);
    }
    return parts.length === 0 ? undefined : `[${parts.join(",")}]`;
  };
}
