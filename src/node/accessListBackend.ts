/**
 * The node's side of eth_createAccessList: the repeated traced runs (execution/traceAccessList.ts) go
 * as one job to the call workers, in eth_call's bounded queue, like the debug_ traces; a node without
 * usable workers runs them on its own thread in 2 ms slices (callPacer.ts).
 * @module
 */
import type { Chain } from "../chain/index.ts";
import { type AccessListResult, blockContextOf } from "../execution/index.ts";
import { RpcErrorCode, type RpcBackend, rpcError } from "../rpc/index.ts";
import type { CallPool } from "./callPool.ts";
import { createTraceJobRunner } from "./debugBackend.ts";
import type { TraceJob } from "./traceJobs.ts";

/** eth_createAccessList over `chain`'s archive state, on `callPool` when it is usable. */
export function createAccessListRunner(chain: Chain, callPool: CallPool | undefined): NonNullable<RpcBackend["createAccessList"]> {
  const run = createTraceJobRunner(chain, callPool);
  return async (request, o) => {
    const header = chain.getHeaderByNumber(o.blockNumber);
    if (header === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, "header not found");
    const job: TraceJob = {
      kind: "accessList",
      stateRoot: header.stateRoot,
      params: { ...request, gas: o.gasLimit },
      opts: { gasCap: o.gasLimit, blockContext: blockContextOf(header) },
      config: { timeoutMs: o.timeoutMs },
    };
    return (await run(job)) as AccessListResult;
  };
}
