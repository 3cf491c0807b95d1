/**
 * eth_getHeaderByNumber / eth_getHeaderByHash: the block JSON without `transactions`, `uncles`,
 * `size` and the fee totals (geth's `RPCMarshalHeader`), `null` for an unknown block.
 * @module
 */
import type { MethodHandler } from "../context.ts";
import { resolveHeader } from "../blockRef.ts";
import { formatHeader } from "../formatBlock.ts";
import { arg, assertMaxArgs, parseBlockNumberOrTag, parseHash } from "../params.ts";

/** Handlers of this module by method name. */
export const headerMethods: Record<string, MethodHandler> = {
  eth_getHeaderByNumber: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const h = await resolveHeader(arg(p, 0, parseBlockNumberOrTag), ctx.backend);
    return h ? formatHeader(h) : null;
  },
  eth_getHeaderByHash: async (p, ctx) => {
    assertMaxArgs(p, 1);
    const h = await ctx.backend.getHeaderByHash(arg(p, 0, parseHash));
    return h ? formatHeader(h) : null;
  },
};
