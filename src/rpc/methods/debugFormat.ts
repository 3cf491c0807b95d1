/**
 * Tracer results as geth prints them: the struct logger's `ExecutionResult` (gas as a JSON number,
 * hex without `0x` in returnValue/memory/storage) and the callTracer's frames (quantities and bytes
 * as `0x` hex, addresses lowercase, empty `calls`/`logs`/`output` left out, `revertReason` decoded
 * from Error(string) / Panic(uint256) revert data) and the prestateTracer's accounts by address (balance
 * as `0x` hex, nonce a JSON number, code and 32-byte storage slots and values as `0x` hex).
 * @module
 */
import type { CallFrame, PrestateAccount, TraceResult, TxTrace } from "../../execution/index.ts";
import { toData, toQuantity } from "../hex.ts";
import { decodeRevertReason } from "../revert.ts";

function formatFrame(f: CallFrame): Record<string, unknown> {
  const out: Record<string, unknown> = { from: toData(f.from), gas: toQuantity(f.gas), gasUsed: toQuantity(f.gasUsed) };
  if (f.to !== undefined) out.to = toData(f.to);
  out.input = toData(f.input);
  if (f.output !== undefined && f.output.length > 0) out.output = toData(f.output);
  if (f.error !== undefined) {
    out.error = f.error;
    const reason = f.error === "execution reverted" && f.output !== undefined ? decodeRevertReason(f.output) : undefined;
    if (reason !== undefined) out.revertReason = reason;
  }
  if (f.calls.length > 0) out.calls = f.calls.map(formatFrame);
  if (f.logs !== undefined && f.logs.length > 0) {
    out.logs = f.logs.map((l) => ({ address: toData(l.address), topics: l.topics.map(toData), data: toData(l.data), position: toQuantity(l.position) }));
  }
  if (f.value !== undefined) out.value = toQuantity(f.value);
  out.type = f.type;
  return out;
}

function formatAccounts(accounts: readonly [Uint8Array, PrestateAccount][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [address, a] of accounts) {
    const o: Record<string, unknown> = {};
    if (a.balance !== undefined) o.balance = toQuantity(a.balance);
    if (a.code !== undefined) o.code = toData(a.code);
    if (a.nonce !== undefined) o.nonce = Number(a.nonce);
    if (a.storage.length > 0) o.storage = Object.fromEntries(a.storage.map(([k, v]) => [toData(k), toData(v)]));
    out[toData(address)] = o;
  }
  return out;
}

/** One tracer result in geth's JSON. */
export function formatTraceResult(r: TraceResult): unknown {
  if (r.tracer === "callTracer") return formatFrame(r.result);
  if (r.tracer === "prestateTracer") {
    const p = r.result;
    return p.diffMode ? { post: formatAccounts(p.post), pre: formatAccounts(p.pre) } : formatAccounts(p.pre);
  }
  const { gas, failed, returnValue, structLogs } = r.result;
  return { gas: Number(gas), failed, returnValue, structLogs };
}

/** A block's traces as geth's `[{ txHash, result }]`. */
export function formatBlockTraces(traces: readonly TxTrace[]): unknown[] {
  return traces.map((t) => ({ txHash: toData(t.txHash), result: formatTraceResult(t.result) }));
}
