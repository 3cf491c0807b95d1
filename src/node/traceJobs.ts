/**
 * The traces of the `debug_` namespace as jobs that run the same way on a call worker (its own read
 * connection to the store) or on the node's own thread: a block's transactions by block hash (the
 * block, its senders and its parent's state read from the chain DB), or a call on a state root.
 * @module
 */
import type { ChainDB } from "../chain/index.ts";
import {
  type AccessListInput,
  type AccessListResult,
  type CallEnvironment,
  type TraceCallInput,
  type TraceConfig,
  TraceError,
  TraceErrorCode,
  type TraceResult,
  type TraceRunOptions,
  type TxTrace,
  blockContextOf,
  createAccessList,
  traceBlockTransactions,
  traceCall,
} from "../execution/index.ts";
import { bytesToHex } from "../util/bytes.ts";

/** A trace to run; plain data, so it crosses to a worker as it is. */
export type TraceJob =
  | { kind: "block"; blockHash: Uint8Array; /** The one transaction to trace; absent = all. */ only?: number; config: TraceConfig }
  | ({ kind: "call" } & TraceCallInput)
  /** eth_createAccessList: not a debug_ trace, but a traced call that runs where traces do. */
  | ({ kind: "accessList" } & AccessListInput);

/** A block job's traces, a call job's one result, or an access list. */
export type TraceJobResult = TxTrace[] | TraceResult | AccessListResult;

function notTraceable(reason: string): TraceError {
  return new TraceError({ code: TraceErrorCode.NOT_TRACEABLE, reason }, reason);
}

/**
 * Run a trace job.
 * @throws {TraceError} NOT_TRACEABLE (unknown block, genesis, missing parent), TIMEOUT, TOO_LARGE;
 *   {TransactionError} for a call that cannot run (as eth_call).
 */
export async function runTraceJob(source: { env: CallEnvironment; db: ChainDB }, job: TraceJob, run: TraceRunOptions = {}): Promise<TraceJobResult> {
  const { env, db } = source;
  if (job.kind === "call") return traceCall(env, job, run);
  if (job.kind === "accessList") return createAccessList(env, job, run.pacer ? { pacer: run.pacer } : {});
  const block = db.getBlock(job.blockHash);
  if (block === undefined) throw notTraceable(`block ${bytesToHex(job.blockHash)} not found`);
  if (block.header.number === 0n) throw notTraceable("genesis is not traceable");
  const parent = db.getHeader(block.header.parentHash);
  if (parent === undefined) throw notTraceable(`parent ${bytesToHex(block.header.parentHash)} not found`);
  const senders = db.getSenders(job.blockHash) ?? block.transactions.map((t) => t.getSenderAddress().bytes);
  return traceBlockTransactions(
    env,
    { config: job.config, parentStateRoot: parent.stateRoot, context: blockContextOf(block.header), transactions: block.transactions, senders, ...(job.only !== undefined ? { only: job.only } : {}) },
    run,
  );
}
