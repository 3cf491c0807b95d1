/**
 * eth_createAccessList(call, block?) → `{ accessList, gasUsed, error? }` as geth answers it: the
 * EIP-2930 list of the accounts and slots the call touches (sender, recipient and precompiles left
 * out as addresses), found by re-running the call with the list until it is stable, and the gas the
 * call uses with that list. A call that fails with it still answers, with geth's `error` text. Runs
 * under the gas cap and the call timeout, like eth_call.
 * @module
 */
import { resolveStateHeader } from "../blockRef.ts";
import { parseCallObject } from "../callParams.ts";
import { capGas, withTimeout } from "../callRunner.ts";
import type { MethodHandler } from "../context.ts";
import { RpcErrorCode, rpcError } from "../errors.ts";
import { toChecksumAddress, toData, toQuantity } from "../hex.ts";
import { arg, assertMaxArgs, optArg, parseBlockSpec, type BlockSpec } from "../params.ts";

const LATEST: BlockSpec = { tag: "latest" };

/** Handlers of this module by method name. */
export const accessListMethods: Record<string, MethodHandler> = {
  eth_createAccessList: async (p, ctx) => {
    const create = ctx.backend.createAccessList;
    if (create === undefined) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, "the method eth_createAccessList does not exist/is not available");
    assertMaxArgs(p, 2);
    const { request, gas } = arg(p, 0, parseCallObject);
    const spec = optArg(p, 1, parseBlockSpec, LATEST);
    const header = await resolveStateHeader(spec, ctx.backend);
    const gasLimit = capGas(gas, ctx.limits.callGasCap);
    const r = await withTimeout(
      ctx.limits.callTimeoutMs,
      (_signal, deadline) => create.call(ctx.backend, request, { blockNumber: header.number, gasLimit, timeoutMs: Math.max(1, deadline - Date.now()) }),
      ctx.deadline,
    );
    return {
      accessList: r.accessList.map((e) => ({ address: toChecksumAddress(e.address), storageKeys: e.storageKeys.map(toData) })),
      ...(r.error !== undefined ? { error: r.error } : {}),
      gasUsed: toQuantity(r.gasUsed),
    };
  },
};
