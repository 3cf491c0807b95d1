/** A minimal JSON-RPC client for the devnet supervisor and its tests: one request, bounded in time. */

/** A JSON-RPC error answer, or a transport failure. */
export class RPCCallError extends Error {
  readonly rpcCode: number | undefined;
  constructor(message: string, rpcCode?: number) {
    super(message);
    this.name = "RPCCallError";
    this.rpcCode = rpcCode;
  }
}

/**
 * POST one JSON-RPC 2.0 request to `url`; `parse` reads the answer's text (default `JSON.parse`).
 * @throws {RPCCallError} on a transport failure, a timeout, a non-JSON answer or an error object.
 */
export async function rpcCall(url: string, method: string, params: unknown[] = [], timeoutMs = 2000, parse: (text: string) => unknown = JSON.parse): Promise<unknown> {
  let body: { result?: unknown; error?: { code?: number; message?: string } };
  try {
    const r = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = parse(await r.text()) as typeof body;
  } catch (e) {
    throw new RPCCallError(`${method} at ${url}: ${(e as Error).message}`);
  }
  if (typeof body !== "object" || body === null) throw new RPCCallError(`${method} at ${url}: not a JSON-RPC answer`);
  if (body.error) throw new RPCCallError(`${method}: ${body.error.message ?? "error"}`, body.error.code);
  return body.result;
}

/** A quantity from RPC JSON (`0x` hex, decimal string or number) as a number; `undefined` otherwise. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^0x[0-9a-fA-F]+$/.test(v)) return Number.parseInt(v, 16);
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

/** A BLS key in one comparable form: lowercase hex without `0x`. */
export function normalizeKey(k: unknown): string {
  return typeof k === "string" ? k.toLowerCase().replace(/^0x/, "") : "";
}

/** The leader's BLS key from an `hmy_getLeader` answer (`{ slot, blsKey, viewId }`, or the bare key), normalized. */
export function leaderKeyOf(result: unknown): string {
  if (typeof result === "object" && result !== null && "blsKey" in result) return normalizeKey((result as { blsKey: unknown }).blsKey);
  return normalizeKey(result);
}
