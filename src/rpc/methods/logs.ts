/**
 * eth_getLogs and installed filters (eth_newFilter, eth_newBlockFilter,
 * eth_newPendingTransactionFilter, eth_getFilterChanges, eth_getFilterLogs, eth_uninstallFilter).
 * @module
 */
import { specToNumber } from "../blockRef.ts";
import type { MethodContext, MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { parseLogFilter, type LogFilterSpec } from "../filterParams.ts";
import { formatLog } from "../formatReceipt.ts";
import { toData } from "../hex.ts";
import { arg, assertMaxArgs, optArg, parseBool, parseQuantity } from "../params.ts";

/** Filter ids are quantities; compare them in canonical form. */
function parseFilterId(v: unknown): string {
  return `0x${parseQuantity(v).toString(16)}`;
}

/** Logs matching `spec`, within the block-range and result limits. */
async function queryLogs(spec: LogFilterSpec, ctx: MethodContext): Promise<unknown[]> {
  const { backend, limits } = ctx;
  let from: bigint;
  let to: bigint;
  if (spec.blockHash) {
    const h = await backend.getHeaderByHash(spec.blockHash);
    if (!h) throw rpcError(RpcErrorCode.SERVER_ERROR, `unknown block ${toData(spec.blockHash)}`);
    from = h.number;
    to = h.number;
  } else {
    const head = backend.headNumber();
    from = specToNumber(spec.fromBlock, backend) as bigint;
    to = specToNumber(spec.toBlock, backend) as bigint;
    if (from > to) throw rpcError(RpcErrorCode.INVALID_PARAMS, "invalid block range params: fromBlock is after toBlock");
    if (from > head) return [];
    if (to > head) to = head;
  }
  if (to - from + 1n > BigInt(limits.getLogsBlockRange)) {
    throw rpcError(
      RpcErrorCode.LIMIT_EXCEEDED,
      `query exceeds max block range ${limits.getLogsBlockRange}; narrow fromBlock/toBlock (asked for ${to - from + 1n} blocks)`,
    );
  }
  const logs = await backend.getLogs({
    fromBlock: from,
    toBlock: to,
    addresses: spec.addresses,
    topics: spec.topics,
    limit: limits.getLogsMaxResults + 1,
  });
  if (logs.length > limits.getLogsMaxResults) {
    throw rpcError(
      RpcErrorCode.LIMIT_EXCEEDED,
      `query returned more than ${limits.getLogsMaxResults} results; narrow fromBlock/toBlock or filter by address/topics`,
    );
  }
  return logs.map(formatLog);
}

/** Handlers of this module by method name. */
export const logMethods: Record<string, MethodHandler> = {
  eth_getLogs: (p, ctx) => {
    assertMaxArgs(p, 1);
    return queryLogs(arg(p, 0, parseLogFilter), ctx);
  },
  eth_newFilter: (p, ctx) => {
    assertMaxArgs(p, 1);
    const spec = arg(p, 0, parseLogFilter);
    const bound = (s: LogFilterSpec["fromBlock"]) => ("number" in s ? s.number : undefined);
    if (spec.blockHash) throw rpcError(RpcErrorCode.INVALID_PARAMS, "invalid argument 0: blockHash is not allowed in filters");
    return ctx.filters.newLogFilter(spec, { from: bound(spec.fromBlock), to: bound(spec.toBlock) }, ctx.clientAddress);
  },
  eth_newBlockFilter: (p, ctx) => {
    assertMaxArgs(p, 0);
    return ctx.filters.newBlockFilter(ctx.clientAddress);
  },
  eth_newPendingTransactionFilter: (p, ctx) => {
    assertMaxArgs(p, 1);
    return ctx.filters.newPendingTxFilter(optArg(p, 0, parseBool, false), ctx.clientAddress);
  },
  eth_getFilterChanges: (p, ctx) => {
    assertMaxArgs(p, 1);
    return ctx.filters.getChanges(arg(p, 0, parseFilterId));
  },
  eth_getFilterLogs: (p, ctx) => {
    assertMaxArgs(p, 1);
    return queryLogs(ctx.filters.getLogFilter(arg(p, 0, parseFilterId)), ctx);
  },
  eth_uninstallFilter: (p, ctx) => {
    assertMaxArgs(p, 1);
    return ctx.filters.uninstall(arg(p, 0, parseFilterId));
  },
};
