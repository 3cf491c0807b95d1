/**
 * Raw bytes as the chain holds them: eth_getRawTransactionByHash and geth's debug_getRawTransaction
 * (the EIP-2718 envelope of an included or pooled transaction), debug_getRawHeader and
 * debug_getRawBlock (their RLP encoding), debug_getRawReceipts (each receipt's consensus encoding,
 * typed envelope included). Blocks are named by number, tag, hash or EIP-1898 object. Something unknown is
 * `null`. The debug_ ones exist where the `debug_` namespace does (`--dev`, `--rpc-debug`).
 * @module
 */
import { encodeReceipt, encodeTransaction } from "../../core/index.ts";
import type { MethodContext, MethodHandler } from "../context.ts";
import { resolveBlock, resolveHeader } from "../blockRef.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { toData } from "../hex.ts";
import { type BlockSpec, arg, assertMaxArgs, parseBlockSpec, parseHash } from "../params.ts";

// geth's BlockNumberOrHash also takes a bare 32-byte hash string.
function parseBlockRef(v: unknown): BlockSpec {
  if (typeof v === "string" && v.length === 66) return { hash: parseHash(v), requireCanonical: false };
  return parseBlockSpec(v);
}

function assertDebug(ctx: MethodContext, method: string): void {
  if (ctx.backend.debug === undefined) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, `the method ${method} does not exist/is not available`);
}

async function rawTransaction(p: unknown[], ctx: MethodContext): Promise<string | null> {
  assertMaxArgs(p, 1);
  const hash = arg(p, 0, parseHash);
  const at = await ctx.backend.getTransactionLocation(hash);
  const block = at && (await ctx.backend.getBlockByHash(at.blockHash));
  const included = at && block?.transactions[at.index];
  // A lookup entry that points at another transaction is stale: look in the pool instead.
  const t = included && toData(included.hash) === toData(hash) ? included : ctx.backend.getPendingTransaction(hash);
  return t ? toData(encodeTransaction(t.tx)) : null;
}

function missing(what: string): never {
  throw rpcError(RpcErrorCode.INTERNAL_ERROR, `the backend gives no ${what}`);
}

/** Handlers of this module by method name. */
export const rawDataMethods: Record<string, MethodHandler> = {
  eth_getRawTransactionByHash: rawTransaction,
  debug_getRawTransaction: (p, ctx) => {
    assertDebug(ctx, "debug_getRawTransaction");
    return rawTransaction(p, ctx);
  },
  debug_getRawHeader: async (p, ctx) => {
    assertDebug(ctx, "debug_getRawHeader");
    assertMaxArgs(p, 1);
    const h = await resolveHeader(arg(p, 0, parseBlockRef), ctx.backend);
    if (!h) return null;
    return toData(h.encoded ?? missing("header encoding"));
  },
  debug_getRawBlock: async (p, ctx) => {
    assertDebug(ctx, "debug_getRawBlock");
    assertMaxArgs(p, 1);
    const b = await resolveBlock(arg(p, 0, parseBlockRef), ctx.backend);
    if (!b) return null;
    return toData(b.encoded ?? missing("block encoding"));
  },
  debug_getRawReceipts: async (p, ctx) => {
    assertDebug(ctx, "debug_getRawReceipts");
    assertMaxArgs(p, 1);
    const b = await resolveBlock(arg(p, 0, parseBlockRef), ctx.backend);
    if (!b) return null;
    const receipts = await ctx.backend.getBlockReceipts(b.header.hash);
    if (!receipts) throw rpcError(RpcErrorCode.SERVER_ERROR, `receipts of block ${b.header.number} not found`);
    return receipts.map((r, i) => toData(encodeReceipt({ ...r, type: b.transactions[i]?.tx.type ?? 0 })));
  },
};
