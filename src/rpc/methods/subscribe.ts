/**
 * eth_subscribe / eth_unsubscribe over WebSocket: newHeads (header JSON), logs (one notification per
 * matching log, `removed: false`), newPendingTransactions (hashes, or full objects with `true`).
 * @module
 */
import type { MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { parseLogCriteria } from "../filterParams.ts";
import { formatHeader } from "../formatBlock.ts";
import { formatLog } from "../formatReceipt.ts";
import { formatTransaction } from "../formatTx.ts";
import { toData } from "../hex.ts";
import { ParamError, arg, assertMaxArgs, optArg, parseBool, parseQuantity } from "../params.ts";
import { createLogMatcher } from "../logMatch.ts";

function parseKind(v: unknown): "newHeads" | "logs" | "newPendingTransactions" {
  if (v === "newHeads" || v === "logs" || v === "newPendingTransactions") return v;
  throw new ParamError(`unsupported subscription type ${JSON.stringify(v)}; use newHeads, logs or newPendingTransactions`);
}

function parseCriteriaObject(v: unknown) {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ParamError("expected filter object");
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== "address" && k !== "topics") throw new ParamError(`logs subscriptions take only address and topics, not ${k}`);
  return parseLogCriteria(o);
}

function newSubscriptionId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return `0x${BigInt(toData(b)).toString(16)}`;
}

/** Handlers of this module by method name. */
export const subscriptionMethods: Record<string, MethodHandler> = {
  eth_subscribe: (p, ctx) => {
    const host = ctx.subscriptions;
    // geth's answer on transports without notifications.
    if (!host) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, "notifications not supported");
    const kind = arg(p, 0, parseKind);
    const id = newSubscriptionId();
    if (kind === "newHeads") {
      assertMaxArgs(p, 1);
      host.add(id, ctx.events.onHead((h) => host.notify(id, formatHeader(h))));
    } else if (kind === "logs") {
      assertMaxArgs(p, 2);
      const match = createLogMatcher(optArg(p, 1, parseCriteriaObject, { addresses: [], topics: [] }));
      host.add(
        id,
        ctx.events.onLogs((logs) => {
          for (const l of logs) if (match(l)) host.notify(id, formatLog(l));
        }),
      );
    } else {
      assertMaxArgs(p, 2);
      const full = optArg(p, 1, parseBool, false);
      host.add(id, ctx.events.onPendingTx((t) => host.notify(id, full ? formatTransaction(t) : toData(t.hash))));
    }
    return id;
  },
  eth_unsubscribe: (p, ctx) => {
    assertMaxArgs(p, 1);
    const host = ctx.subscriptions;
    if (!host) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, "notifications not supported");
    return host.remove(`0x${arg(p, 0, parseQuantity).toString(16)}`);
  },
};
