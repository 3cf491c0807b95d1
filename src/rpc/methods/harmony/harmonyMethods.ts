/**
 * Harmony's own chain namespaces (harmony-one/harmony rpc/: blockchain, transaction, contract, pool,
 * harmony): `hmy_` (v1, numbers as `0x` quantities) and `hmyv2_` (v2, numbers as JSON numbers), one
 * table per namespace built from the same handlers, addresses accepted as `0x…` or `one1…` and written
 * `one1…` where Harmony writes them so. `hmy_getLogs` and the filter methods are eth_'s (Harmony serves
 * its filter API under `hmy_` only). The transaction history by address is an explorer node's
 * (`--rpc-tx-history`, _historyMethods.ts). Methods Harmony has that this chain cannot answer
 * truthfully (staking-type transactions) are left out.
 * @module
 */
import type { MethodHandler } from "../../context.ts";
import { assertMaxArgs } from "../../params.ts";
import { RpcErrorCode, rpcError } from "../../errors.ts";
import { logMethods } from "../logs.ts";
import { blockMethods } from "./_blockMethods.ts";
import { historyMethods } from "./_historyMethods.ts";
import { type HarmonyVersion, numberOf } from "./_shape.ts";
import { txMethods } from "./_txMethods.ts";

function infoMethods(version: HarmonyVersion): Record<string, MethodHandler> {
  return {
    chainId: (p, ctx) => {
      assertMaxArgs(p, 0);
      return numberOf(version, ctx.backend.chainId());
    },
    gasPrice: async (p, ctx) => {
      assertMaxArgs(p, 0);
      return numberOf(version, await ctx.oracle.suggestGasPrice());
    },
  };
}

const PREFIX: Record<HarmonyVersion, string> = { v1: "hmy_", v2: "hmyv2_" };

/** The chain methods of one namespace, by full name (`hmy_…` or `hmyv2_…`). */
export function createHarmonyMethods(version: HarmonyVersion): Record<string, MethodHandler> {
  const out: Record<string, MethodHandler> = {};
  for (const [name, h] of Object.entries({ ...infoMethods(version), ...blockMethods(version), ...txMethods(version), ...historyMethods(version) })) {
    out[PREFIX[version] + name] = h;
  }
  out[`${PREFIX[version]}protocolVersion`] = (p, ctx) => {
    assertMaxArgs(p, 0);
    const v = ctx.backend.protocolVersion?.();
    // A backend without p2p has no protocol version: the method does not exist there.
    if (v === undefined) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, `the method ${PREFIX[version]}protocolVersion does not exist/is not available`);
    return numberOf(version, v);
  };
  return out;
}

/** Both namespaces, plus eth_'s log and filter methods under `hmy_`. */
export const harmonyMethods: Record<string, MethodHandler> = {
  ...createHarmonyMethods("v1"),
  ...createHarmonyMethods("v2"),
  ...Object.fromEntries(
    ["getLogs", "newFilter", "newBlockFilter", "newPendingTransactionFilter", "getFilterChanges", "getFilterLogs", "uninstallFilter"].map((m) => [`hmy_${m}`, logMethods[`eth_${m}`] as MethodHandler]),
  ),
};
