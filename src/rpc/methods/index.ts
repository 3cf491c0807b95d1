/**
 * The table of every JSON-RPC method the server answers.
 * @module
 */
import type { MethodHandler } from "../context.ts";
import { accessListMethods } from "./accessList.ts";
import { blockMethods } from "./blocks.ts";
import { callMethods } from "./call.ts";
import { debugMethods } from "./debug.ts";
import { estimateGasMethods } from "./estimateGas.ts";
import { feeMethods } from "./fees.ts";
import { headerMethods } from "./headers.ts";
import { harmonyMethods } from "./harmony/harmonyMethods.ts";
import { infoMethods } from "./info.ts";
import { legacyMethods } from "./legacy.ts";
import { logMethods } from "./logs.ts";
import { rawDataMethods } from "./rawData.ts";
import { stateMethods } from "./state.ts";
import { subscriptionMethods } from "./subscribe.ts";
import { transactionMethods } from "./transactions.ts";
import { txpoolMethods } from "./txpool.ts";

/** All methods by name (a Map, so that names like "constructor" are not found on a prototype). */
export function createMethodTable(): ReadonlyMap<string, MethodHandler> {
  const groups = [
    infoMethods,
    feeMethods,
    stateMethods,
    blockMethods,
    transactionMethods,
    callMethods,
    estimateGasMethods,
    logMethods,
    subscriptionMethods,
    txpoolMethods,
    debugMethods,
    harmonyMethods,
    accessListMethods,
    headerMethods,
    rawDataMethods,
    legacyMethods,
  ];
  const table = new Map<string, MethodHandler>();
  for (const g of groups) for (const [name, h] of Object.entries(g)) table.set(name, h);
  return table;
}
