/**
 * Blocks and headers in one Harmony namespace: getBlockByNumber/ByHash (and the `…New` forms taking
 * `BlockArgs`), getBlocks, transaction counts, latestHeader, getHeaderByNumber, getBlockSigners, blockNumber.
 * As Harmony: a number past the head is an error ("requested block number greater than current block
 * number"), an unknown hash is null, and `withSigners` names the validator (one1) of each committee
 * slot that signed the block (the backend's `blockSigners`).
 * @module
 */
import type { RpcBackend, RpcBlock } from "../../backend.ts";
import { resolveBlock, resolveHeader, specToNumber } from "../../blockRef.ts";
import type { MethodHandler } from "../../context.ts";
import { RpcErrorCode, rpcError } from "../../errors.ts";
import { type BlockSpec, arg, assertMaxArgs, optArg, parseBool, parseHash } from "../../params.ts";
import { formatHmyBlock } from "./_format.ts";
import { formatHeaderInformation } from "./_headerInfo.ts";
import { type BlockArgs, parseBlockArgs, parseHmyBlockNumber } from "./_params.ts";
import { type HarmonyVersion, numberOf, oneAddress } from "./_shape.ts";

/** Most blocks one getBlocks may span (Harmony's rpcGetBlocksLimit). */
const GET_BLOCKS_LIMIT = 1024n;

const tooHigh = () => rpcError(RpcErrorCode.SERVER_ERROR, "requested block number greater than current block number");

/**
 * The block a number or tag names.
 * @throws {RpcError} -32000 when the number is past the head.
 */
export async function blockAtNumber(spec: BlockSpec, backend: RpcBackend): Promise<RpcBlock | undefined> {
  const n = specToNumber(spec, backend);
  if (n !== undefined && n > backend.headNumber()) throw tooHigh();
  return resolveBlock(spec, backend);
}

const byHash = (p: unknown[]): BlockSpec => ({ hash: arg(p, 0, parseHash), requireCanonical: false });

/**
 * The block's JSON with its signers when asked for.
 * @throws {RpcError} -32602 when signers are asked of a backend that cannot name them.
 */
async function blockJSON(version: HarmonyVersion, block: RpcBlock, args: BlockArgs, backend: RpcBackend): Promise<Record<string, unknown>> {
  if (args.withSigners !== true) return formatHmyBlock(version, block, { fullTx: args.fullTx });
  if (backend.blockSigners === undefined) throw rpcError(RpcErrorCode.INVALID_PARAMS, "withSigners is not supported by this node");
  const signers = ((await backend.blockSigners(block.header.number)) ?? []).map(oneAddress);
  return formatHmyBlock(version, block, { fullTx: args.fullTx, signers });
}

/** The block methods of one namespace, by unprefixed name. */
export function blockMethods(version: HarmonyVersion): Record<string, MethodHandler> {
  // hmy_ takes `fullTx` as a boolean, hmyv2_ takes Harmony's BlockArgs object.
  const options = (p: unknown[]): BlockArgs => (version === "v1" ? { fullTx: arg(p, 1, parseBool) } : arg(p, 1, parseBlockArgs));
  const byNumber = (argsOf: (p: unknown[]) => BlockArgs): MethodHandler => async (p, ctx) => {
    assertMaxArgs(p, 2);
    const spec = arg(p, 0, parseHmyBlockNumber);
    const args = argsOf(p);
    const block = await blockAtNumber(spec, ctx.backend);
    return block ? blockJSON(version, block, args, ctx.backend) : null;
  };
  const byHashWith = (argsOf: (p: unknown[]) => BlockArgs): MethodHandler => async (p, ctx) => {
    assertMaxArgs(p, 2);
    const spec = byHash(p);
    const args = argsOf(p);
    const block = await resolveBlock(spec, ctx.backend);
    return block ? blockJSON(version, block, args, ctx.backend) : null;
  };
  const blockArgs = (p: unknown[]) => arg(p, 1, parseBlockArgs);
  const count = (block: RpcBlock | undefined) => (block ? numberOf(version, block.transactions.length) : null);

  return {
    blockNumber: (p, ctx) => {
      assertMaxArgs(p, 0);
      return numberOf(version, ctx.backend.headNumber());
    },
    getBlockByNumber: byNumber(options),
    getBlockByHash: byHashWith(options),
    getBlockByNumberNew: byNumber(blockArgs),
    getBlockByHashNew: byHashWith(blockArgs),
    getBlocks: async (p, ctx) => {
      assertMaxArgs(p, 3);
      const head = ctx.backend.headNumber();
      const from = specToNumber(arg(p, 0, parseHmyBlockNumber), ctx.backend) as bigint;
      const to = specToNumber(arg(p, 1, parseHmyBlockNumber), ctx.backend) as bigint;
      const args = optArg(p, 2, parseBlockArgs, { fullTx: false });
      if (to >= from && to - from > GET_BLOCKS_LIMIT) throw rpcError(RpcErrorCode.SERVER_ERROR, `GetBlocks query must be smaller than size ${GET_BLOCKS_LIMIT}`);
      const out: unknown[] = [];
      for (let n = from; n <= to && n <= head; n++) {
        const block = await ctx.backend.getBlockByNumber(n);
        if (block) out.push(await blockJSON(version, block, args, ctx.backend));
      }
      return out;
    },
    getBlockTransactionCountByNumber: async (p, ctx) => {
      assertMaxArgs(p, 1);
      const spec = arg(p, 0, parseHmyBlockNumber);
      const n = specToNumber(spec, ctx.backend);
      if (n !== undefined && n > ctx.backend.headNumber()) return null;
      return count(await resolveBlock(spec, ctx.backend));
    },
    getBlockTransactionCountByHash: async (p, ctx) => {
      assertMaxArgs(p, 1);
      return count(await resolveBlock(byHash(p), ctx.backend));
    },
    latestHeader: async (p, ctx) => {
      assertMaxArgs(p, 0);
      const h = await ctx.backend.getHeaderByNumber(ctx.backend.headNumber());
      return h ? formatHeaderInformation(h) : null;
    },
    getHeaderByNumber: async (p, ctx) => {
      assertMaxArgs(p, 1);
      const spec = arg(p, 0, parseHmyBlockNumber);
      const n = specToNumber(spec, ctx.backend);
      if (n !== undefined && n > ctx.backend.headNumber()) throw tooHigh();
      const h = await resolveHeader(spec, ctx.backend);
      return h ? formatHeaderInformation(h) : null;
    },
    // Harmony's GetBlockSigners: the same one1 list in both namespaces, [] where none is known.
    getBlockSigners: async (p, ctx) => {
      assertMaxArgs(p, 1);
      const block = await blockAtNumber(arg(p, 0, parseHmyBlockNumber), ctx.backend);
      if (ctx.backend.blockSigners === undefined) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, `the method ${version === "v1" ? "hmy_" : "hmyv2_"}getBlockSigners does not exist/is not available`);
      return block ? ((await ctx.backend.blockSigners(block.header.number)) ?? []).map(oneAddress) : [];
    },
  };
}
