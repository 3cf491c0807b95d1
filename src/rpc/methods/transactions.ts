/**
 * Transactions: lookups by hash or block position, receipts, and eth_sendRawTransaction.
 * @module
 */
import { RLP } from "@ethereumjs/rlp";
import type { RpcBackend, RpcBlock, RpcTransaction } from "../backend.ts";
import { resolveBlock } from "../blockRef.ts";
import type { MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { formatBlockReceipts } from "../formatReceipt.ts";
import { formatTransaction } from "../formatTx.ts";
import { toData } from "../hex.ts";
import { arg, assertMaxArgs, parseBlockNumberOrTag, parseData, parseHash, parseSmallQuantity } from "../params.ts";

/** Largest raw transaction accepted (the txpool's limit, DESIGN issue 3: 128 KB). */
const MAX_RAW_TX_BYTES = 128 * 1024;

function txAt(block: RpcBlock, index: number) {
  const t = block.transactions[index];
  if (!t) return null;
  const h = block.header;
  return formatTransaction(t, { blockHash: h.hash, blockNumber: h.number, index, baseFeePerGas: h.baseFeePerGas ?? 0n });
}

/** The block that includes `txHash` and its index there; undefined when unknown (or the lookup entry is stale). */
export async function includedBlock(backend: RpcBackend, txHash: Uint8Array): Promise<{ block: RpcBlock; index: number } | undefined> {
  const loc = await backend.getTransactionLocation(txHash);
  if (!loc) return undefined;
  const block = await backend.getBlockByHash(loc.blockHash);
  const t: RpcTransaction | undefined = block?.transactions[loc.index];
  // An index that points elsewhere means the lookup entry is stale; treat the tx as unknown.
  if (!block || !t || toData(t.hash) !== toData(txHash)) return undefined;
  return { block, index: loc.index };
}

/**
 * Reject what is not an EIP-2718 envelope before the pool sees it: a legacy RLP list, or a type byte
 * (< 0x80) followed by an RLP list.
 */
function assertEnvelope(raw: Uint8Array): void {
  const fail = (why: string) => rpcError(RpcErrorCode.INVALID_PARAMS, `invalid raw transaction: ${why}`);
  if (raw.length === 0) throw fail("empty");
  if (raw.length > MAX_RAW_TX_BYTES) throw rpcError(RpcErrorCode.SERVER_ERROR, `oversized data: transaction size ${raw.length}, limit ${MAX_RAW_TX_BYTES}`);
  const typed = (raw[0] as number) < 0x80;
  let decoded: unknown;
  try {
    decoded = RLP.decode(typed ? raw.subarray(1) : raw);
  } catch (e) {
    throw fail(`rlp: ${(e as Error).message}`);
  }
  if (!Array.isArray(decoded)) throw fail("rlp: expected input list");
}

/** Handlers of this module by method name. */
export const transactionMethods: Record<string, MethodHandler> = {
  eth_getTransactionByHash: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const hash = arg(p, 0, parseHash);
    const found = await includedBlock(ctx.backend, hash);
    if (found) return txAt(found.block, found.index);
    const pending = ctx.backend.getPendingTransaction(hash);
    return pending ? formatTransaction(pending) : null;
  },
  eth_getTransactionByBlockHashAndIndex: async (p, ctx) => {
    assertMaxArgs(p, 2);
    const hash = arg(p, 0, parseHash);
    const index = arg(p, 1, parseSmallQuantity);
    const block = await resolveBlock({ hash, requireCanonical: false }, ctx.backend);
    return block ? txAt(block, index) : null;
  },
  eth_getTransactionByBlockNumberAndIndex: async (p, ctx) => {
    assertMaxArgs(p, 2);
    const spec = arg(p, 0, parseBlockNumberOrTag);
    const index = arg(p, 1, parseSmallQuantity);
    const block = await resolveBlock(spec, ctx.backend);
    return block ? txAt(block, index) : null;
  },
  eth_getTransactionReceipt: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const found = await includedBlock(ctx.backend, arg(p, 0, parseHash));
    if (!found) return null;
    const receipts = await ctx.backend.getBlockReceipts(found.block.header.hash);
    if (!receipts) return null;
    return formatBlockReceipts(found.block, receipts, found.index)[0] ?? null;
  },
  eth_sendRawTransaction: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const raw = arg(p, 0, parseData);
    assertEnvelope(raw);
    return toData(await ctx.backend.sendRawTransaction(raw));
  },
};
