/**
 * Harmony's transaction history of an address, served by its explorer nodes (harmony-one/harmony
 * rpc/transaction.go GetTransactionsHistory, GetTransactionsCount): `getTransactionsHistory(TxHistoryArgs)`
 * answers `{ transactions: [hash…] }`, or with `fullTx` the namespace's transaction JSON, in both
 * namespaces; `getTransactionsCount(address, txType)` a JSON number in both. Served over the backend's
 * index (`--rpc-tx-history`). Without it the answer is Harmony's "explorer service not started"; while
 * the node indexes blocks it committed before the index was on, Harmony's "explorer db not ready" with
 * the progress — a page from a partial index would silently miss transactions.
 * @module
 */
import type { RpcBackend, RpcTransaction, RpcTxHistoryBackend, RpcTxHistoryType } from "../../backend.ts";
import type { MethodHandler } from "../../context.ts";
import { RpcErrorCode, rpcError } from "../../errors.ts";
import { toData } from "../../hex.ts";
import { ParamError, arg, assertMaxArgs, field, optArg, parseAddress } from "../../params.ts";
import { includedBlock } from "../transactions.ts";
import { formatHmyTransaction, shardOf } from "./_format.ts";
import { type HarmonyVersion, jsonNumber } from "./_shape.ts";

/** Page size when none is given (Harmony's defaultPageSize). */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page; Harmony has no bound, one here keeps a `fullTx` page to a bounded amount of work. */
export const MAX_PAGE_SIZE = 1000;
const MAX_U32 = 2 ** 32 - 1;

/** Harmony's `TxHistoryArgs`, checked. */
export interface TxHistoryArgs {
  address: Uint8Array;
  pageIndex: number;
  pageSize: number;
  fullTx: boolean;
  txType: RpcTxHistoryType;
  order: "ASC" | "DESC";
}

function u32(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_U32) throw new ParamError(`${what} must be an integer in [0, ${MAX_U32}], got ${JSON.stringify(v)}`);
  return v;
}

/**
 * The transaction type filter: "SENT", "RECEIVED", "ALL", or "" / absent for all (Harmony's).
 * @throws {ParamError} for any other value.
 */
export function parseTxType(v: unknown): RpcTxHistoryType {
  if (v === undefined || v === "" || v === "ALL") return "ALL";
  if (v === "SENT" || v === "RECEIVED") return v;
  throw new ParamError(`txType must be "SENT", "RECEIVED" or "ALL", got ${JSON.stringify(v)}`);
}

/**
 * Harmony's `TxHistoryArgs` object: `address` (0x or one1), `pageIndex` and `pageSize` (JSON integers;
 * size 0 or absent = 100, at most 1000), `fullTx`, `txType`, `order` ("ASC" or "DESC"; "" or absent =
 * ASC); other keys are ignored, as Go's decoder does.
 * @throws {ParamError} naming the field at fault.
 */
export function parseTxHistoryArgs(v: unknown): TxHistoryArgs {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ParamError(`expected { address, pageIndex, pageSize, fullTx, txType, order }, got ${v === null ? "null" : Array.isArray(v) ? "array" : typeof v}`);
  const o = v as Record<string, unknown>;
  const address = field("address", o.address, parseAddress);
  const pageIndex = u32(o.pageIndex, "pageIndex");
  const size = u32(o.pageSize, "pageSize");
  if (size > MAX_PAGE_SIZE) throw new ParamError(`pageSize must be at most ${MAX_PAGE_SIZE}, got ${size}`);
  if (o.fullTx !== undefined && typeof o.fullTx !== "boolean") throw new ParamError("fullTx must be a boolean");
  const txType = field("txType", o.txType, parseTxType);
  if (o.order !== undefined && o.order !== "" && o.order !== "ASC" && o.order !== "DESC") throw new ParamError(`order must be "ASC" or "DESC", got ${JSON.stringify(o.order)}`);
  return { address, pageIndex, pageSize: size === 0 ? DEFAULT_PAGE_SIZE : size, fullTx: o.fullTx === true, txType, order: o.order === "DESC" ? "DESC" : "ASC" };
}

/**
 * The backend's index when it is complete.
 * @throws {RpcError} -32000 when the node keeps none, or is still indexing older blocks.
 */
function readyIndex(backend: RpcBackend): RpcTxHistoryBackend {
  const h = backend.txHistory;
  if (h === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, "explorer service not started: this node keeps no transaction history (start it with --rpc-tx-history, or rpc.txHistory in its config)");
  const p = h.progress();
  if (!p.complete) {
    throw rpcError(RpcErrorCode.SERVER_ERROR, `explorer db not ready: indexing the transaction history of blocks committed before --rpc-tx-history was on, ${p.indexedBlocks} of ${p.headBlock} blocks indexed`);
  }
  return h;
}

/** The history methods of one namespace, by unprefixed name. */
export function historyMethods(version: HarmonyVersion): Record<string, MethodHandler> {
  return {
    getTransactionsHistory: async (p, ctx) => {
      assertMaxArgs(p, 1);
      const a = arg(p, 0, parseTxHistoryArgs);
      const h = readyIndex(ctx.backend);
      const hashes = h.transactions(a.address, { type: a.txType, order: a.order, offset: a.pageIndex * a.pageSize, limit: a.pageSize });
      if (!a.fullTx) return { transactions: hashes.map(toData) };
      const txs: unknown[] = [];
      for (const hash of hashes) {
        const found = await includedBlock(ctx.backend, hash);
        // Harmony leaves out a transaction it cannot read back (its legacy behaviour); here that is
        // only a block the index names and the store no longer answers for.
        if (found) txs.push(formatHmyTransaction(version, found.block.transactions[found.index] as RpcTransaction, shardOf(found.block), found));
      }
      return { transactions: txs };
    },
    getTransactionsCount: (p, ctx) => {
      assertMaxArgs(p, 2);
      const address = arg(p, 0, parseAddress);
      const type = optArg(p, 1, parseTxType, "ALL" as const);
      return jsonNumber(readyIndex(ctx.backend).count(address, type));
    },
  };
}
