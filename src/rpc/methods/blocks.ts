/**
 * Blocks: eth_getBlockByNumber/ByHash, transaction and uncle counts, eth_getBlockReceipts.
 * Unknown blocks give `null`, as in geth.
 * @module
 */
import { resolveBlock } from "../blockRef.ts";
import type { MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { formatBlock } from "../formatBlock.ts";
import { formatBlockReceipts } from "../formatReceipt.ts";
import { toQuantity } from "../hex.ts";
import { arg, assertMaxArgs, parseBlockNumberOrTag, parseBlockSpec, parseBool, parseHash } from "../params.ts";

const byHash = (p: unknown[]) => ({ hash: arg(p, 0, parseHash), requireCanonical: false });

/** Handlers of this module by method name. */
export const blockMethods: Record<string, MethodHandler> = {
  eth_getBlockByNumber: async (p, ctx) => {
    assertMaxArgs(p, 2);
    const spec = arg(p, 0, parseBlockNumberOrTag);
    const full = arg(p, 1, parseBool);
    const block = await resolveBlock(spec, ctx.backend);
    return block ? formatBlock(block, full) : null;
  },
  eth_getBlockByHash: async (p, ctx) => {
    assertMaxArgs(p, 2);
    const spec = byHash(p);
    const full = arg(p, 1, parseBool);
    const block = await resolveBlock(spec, ctx.backend);
    return block ? formatBlock(block, full) : null;
  },
  eth_getBlockTransactionCountByNumber: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const block = await resolveBlock(arg(p, 0, parseBlockNumberOrTag), ctx.backend);
    return block ? toQuantity(block.transactions.length) : null;
  },
  eth_getBlockTransactionCountByHash: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const block = await resolveBlock(byHash(p), ctx.backend);
    return block ? toQuantity(block.transactions.length) : null;
  },
  // This chain has no uncles: 0 for a known block, null for an unknown one.
  eth_getUncleCountByBlockNumber: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const block = await resolveBlock(arg(p, 0, parseBlockNumberOrTag), ctx.backend);
    return block ? "0x0" : null;
  },
  eth_getUncleCountByBlockHash: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const block = await resolveBlock(byHash(p), ctx.backend);
    return block ? "0x0" : null;
  },
  eth_getBlockReceipts: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const block = await resolveBlock(arg(p, 0, parseBlockSpec), ctx.backend);
    if (!block) return null;
    const receipts = await ctx.backend.getBlockReceipts(block.header.hash);
    if (!receipts) throw rpcError(RpcErrorCode.SERVER_ERROR, `receipts of block ${block.header.number} not found`);
    return formatBlockReceipts(block, receipts);
  },
};
