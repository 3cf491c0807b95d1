/**
 * Transactions, receipts, account state and calls in one Harmony namespace: getTransactionByHash /
 * ByBlockNumberAndIndex / ByBlockHashAndIndex, getTransactionReceipt, sendRawTransaction,
 * getBalance(ByBlockNumber), getTransactionCount, getAccountNonce, getCode, getStorageAt, call,
 * estimateGas. Unknown transactions and blocks are null; an index past a block's transactions is an
 * error, as in Harmony.
 * @module
 */
import type { RpcBackend, RpcBlock, RpcTransaction } from "../../backend.ts";
import { resolveBlock, specToNumber } from "../../blockRef.ts";
import { parseCallObject } from "../../callParams.ts";
import { capGas, runCall, withTimeout } from "../../callRunner.ts";
import type { MethodHandler } from "../../context.ts";
import { RpcErrorCode, rpcError } from "../../errors.ts";
import { toData } from "../../hex.ts";
import { type BlockSpec, arg, assertMaxArgs, optArg, parseAddress, parseHash, parseSlot } from "../../params.ts";
import { estimateGasMethods } from "../estimateGas.ts";
import { includedBlock, transactionMethods } from "../transactions.ts";
import { blockAtNumber } from "./_blockMethods.ts";
import { formatHmyReceipt, formatHmyTransaction, shardOf } from "./_format.ts";
import { isPendingTag, parseHmyBlockNumber, parseTxIndex } from "./_params.ts";
import { type HarmonyVersion, jsonNumber, numberOf } from "./_shape.ts";

const LATEST: BlockSpec = { tag: "latest" };

/** The state a read uses; a number past the head is Harmony's "too high" error. */
async function stateNumber(spec: BlockSpec, backend: RpcBackend): Promise<bigint> {
  const n = specToNumber(spec, backend);
  if (n !== undefined) {
    if (n > backend.headNumber()) throw rpcError(RpcErrorCode.SERVER_ERROR, "requested block number greater than current block number");
    return n;
  }
  const block = await resolveBlock(spec, backend);
  if (!block) throw rpcError(RpcErrorCode.SERVER_ERROR, "header not found");
  return block.header.number;
}

async function headShard(backend: RpcBackend): Promise<number> {
  return (await backend.getHeaderByNumber(backend.headNumber()))?.shardId ?? 0;
}

/** The transaction, receipt, state and call methods of one namespace, by unprefixed name. */
export function txMethods(version: HarmonyVersion): Record<string, MethodHandler> {
  const n = (v: bigint | number) => numberOf(version, v);
  const txAt = (block: RpcBlock | undefined, index: number) => {
    if (!block) return null;
    const t = block.transactions[index];
    if (!t) throw rpcError(RpcErrorCode.SERVER_ERROR, `tx index ${index} greater than or equal to number of transactions on block ${toData(block.header.hash)}`);
    return formatHmyTransaction(version, t, shardOf(block), { block, index });
  };
  const balance: MethodHandler = async (p, ctx) => {
    assertMaxArgs(p, 2);
    const address = arg(p, 0, parseAddress);
    const at = await stateNumber(arg(p, 1, parseHmyBlockNumber), ctx.backend);
    return n(await ctx.backend.getBalance(address, at));
  };

  return {
    getTransactionByHash: async (p, ctx) => {
      assertMaxArgs(p, 1);
      const hash = arg(p, 0, parseHash);
      const found = await includedBlock(ctx.backend, hash);
      if (found) return formatHmyTransaction(version, found.block.transactions[found.index] as RpcTransaction, shardOf(found.block), found);
      const pending = ctx.backend.getPendingTransaction(hash);
      return pending ? formatHmyTransaction(version, pending, await headShard(ctx.backend)) : null;
    },
    getTransactionByBlockNumberAndIndex: async (p, ctx) => {
      assertMaxArgs(p, 2);
      const spec = arg(p, 0, parseHmyBlockNumber);
      const index = arg(p, 1, parseTxIndex);
      const at = specToNumber(spec, ctx.backend);
      if (at !== undefined && at > ctx.backend.headNumber()) return null;
      return txAt(await resolveBlock(spec, ctx.backend), index);
    },
    getTransactionByBlockHashAndIndex: async (p, ctx) => {
      assertMaxArgs(p, 2);
      const hash = arg(p, 0, parseHash);
      const index = arg(p, 1, parseTxIndex);
      return txAt(await resolveBlock({ hash, requireCanonical: false }, ctx.backend), index);
    },
    getTransactionReceipt: async (p, ctx) => {
      assertMaxArgs(p, 1);
      const found = await includedBlock(ctx.backend, arg(p, 0, parseHash));
      if (!found) return null;
      const receipts = await ctx.backend.getBlockReceipts(found.block.header.hash);
      return receipts ? formatHmyReceipt(version, found.block, receipts, found.index) : null;
    },
    sendRawTransaction: transactionMethods.eth_sendRawTransaction as MethodHandler,
    // hmyv2_getBalance reads the head only (Harmony's v2 legacy form); hmy_getBalance takes a block.
    getBalance: version === "v1"
      ? balance
      : async (p, ctx) => {
          assertMaxArgs(p, 1);
          return n(await ctx.backend.getBalance(arg(p, 0, parseAddress), ctx.backend.headNumber()));
        },
    getBalanceByBlockNumber: balance,
    getTransactionCount: async (p, ctx) => {
      assertMaxArgs(p, 2);
      const address = arg(p, 0, parseAddress);
      const spec = arg(p, 1, parseHmyBlockNumber);
      if (isPendingTag(spec)) return n(await ctx.backend.getPendingNonce(address));
      return n(await ctx.backend.getNonce(address, await stateNumber(spec, ctx.backend)));
    },
    // The same uint64 JSON number in both namespaces, as Harmony answers it.
    getAccountNonce: async (p, ctx) => {
      assertMaxArgs(p, 2);
      const address = arg(p, 0, parseAddress);
      const at = await stateNumber(arg(p, 1, parseHmyBlockNumber), ctx.backend);
      return jsonNumber(await ctx.backend.getNonce(address, at));
    },
    getCode: async (p, ctx) => {
      assertMaxArgs(p, 2);
      const address = arg(p, 0, parseAddress);
      return toData(await ctx.backend.getCode(address, await stateNumber(arg(p, 1, parseHmyBlockNumber), ctx.backend)));
    },
    getStorageAt: async (p, ctx) => {
      assertMaxArgs(p, 3);
      const address = arg(p, 0, parseAddress);
      const slot = arg(p, 1, parseSlot);
      return toData(await ctx.backend.getStorageAt(address, slot, await stateNumber(arg(p, 2, parseHmyBlockNumber), ctx.backend)));
    },
    // Harmony's call answers the return data even when the EVM fails (a revert's data, else "0x").
    call: async (p, ctx) => {
      assertMaxArgs(p, 2);
      const { request, gas } = arg(p, 0, parseCallObject);
      const at = await stateNumber(optArg(p, 1, parseHmyBlockNumber, LATEST), ctx.backend);
      const gasLimit = capGas(gas, ctx.limits.callGasCap);
      const result = await withTimeout(
        ctx.limits.callTimeoutMs,
        (signal, deadline) => runCall(ctx, request, { blockNumber: at, gasLimit, overrides: [], signal, deadline }),
        ctx.deadline,
      );
      return toData(result.success ? result.returnData : (result.revertData ?? new Uint8Array()));
    },
    // Harmony estimates on the head state and answers a 0x quantity in both namespaces.
    estimateGas: (p, ctx) => {
      assertMaxArgs(p, 1);
      return (estimateGasMethods.eth_estimateGas as MethodHandler)(p, ctx);
    },
  };
}
