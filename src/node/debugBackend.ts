/**
 * The node's side of the `debug_` namespace: traces run as jobs (traceJobs.ts) on the call workers,
 * in the same bounded queue as eth_call, so a heavy trace never holds the thread that votes and
 * builds blocks; a node without usable workers (`--rpc-call-workers 0`) runs them on its own
 * thread in 2 ms slices (callPacer.ts), like its calls.
 * @module
 */
import type { Chain } from "../chain/index.ts";
import { type CallEnvironment, blockContextOf, createCallPacer } from "../execution/index.ts";
import { RpcErrorCode, type RpcDebugBackend, rpcError } from "../rpc/index.ts";
import type { CallPool } from "./callPool.ts";
import { NodeCallError, NodeCallErrorCode } from "./errors.ts";
import { type TraceJob, type TraceJobResult, runTraceJob } from "./traceJobs.ts";

/**
 * Run `chain`'s trace jobs (debug_ traces, eth_createAccessList) on `callPool` when it is usable, else on
 * this thread in 2 ms slices; a full queue is the RPC's "limit exceeded".
 */
export function createTraceJobRunner(chain: Chain, callPool: CallPool | undefined): (job: TraceJob) => Promise<TraceJobResult> {
  const env: CallEnvironment = {
    config: chain.config,
    shardId: chain.shardId,
    store: chain.state,
    getBlockHash: (n) => chain.db.getCanonicalHash(n),
    stateRootAt: (n) => chain.db.getHeaderByNumber(n)?.stateRoot,
  };
  const pacer = createCallPacer();
  return async (job) => {
    if (!callPool?.usable()) return runTraceJob({ env, db: chain.db }, job, { pacer });
    try {
      return await callPool.trace(job);
    } catch (e) {
      if (e instanceof NodeCallError && e.type.code === NodeCallErrorCode.QUEUE_FULL) throw rpcError(RpcErrorCode.LIMIT_EXCEEDED, e.message);
      throw e;
    }
  };
}

/** The debug backend of a chain, on `callPool` when it is usable. */
export function createDebugRpcBackend(chain: Chain, callPool: CallPool | undefined): RpcDebugBackend {
  const run = createTraceJobRunner(chain, callPool);
  return {
    traceBlock: async (blockHash, config, only) => (await run({ kind: "block", blockHash, config, ...(only !== undefined ? { only } : {}) })) as Awaited<ReturnType<RpcDebugBackend["traceBlock"]>>,
    traceCall: async (request, o, config) => {
      const header = chain.getHeaderByNumber(o.blockNumber);
      if (header === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, "header not found");
      const job: TraceJob = {
        kind: "call",
        stateRoot: header.stateRoot,
        params: { ...request, gas: o.gasLimit },
        opts: { gasCap: o.gasLimit, blockContext: blockContextOf(header), stateOverrides: o.overrides },
        config,
      };
      return (await run(job)) as Awaited<ReturnType<RpcDebugBackend["traceCall"]>>;
    },
  };
}
