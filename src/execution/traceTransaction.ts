/**
 * Re-running history with a tracer (geth's debug_traceTransaction / traceBlock / traceCall): a
 * block's transactions run on its parent's state in the block's context (number, timestamp,
 * coinbase, base fee; staking and cross-shard contracts as in block execution), untraced up to the
 * first traced one, so each traced transaction sees the writes of those before it. Nothing is
 * committed. A trace has one time budget for the whole re-run.
 * @module
 */
import type { SignedTransaction } from "../core/index.ts";
import { WorldState } from "../state/index.ts";
import type { CallPacer } from "./callPacer.ts";
import { type BlockContext, DeadlineExceeded, type ShardEVM, createShardEVM } from "./evmEnv.ts";
import { applyTransaction, startBlock } from "./executeBlock.ts";
import { applyMessage } from "./message.ts";
import { type CallEnvironment, type CallParams, type SimulateOptions, prepareCall } from "./simulateCall.ts";
import { messageFromTransaction } from "./transaction.ts";
import { type MessageTracer, type TracerScope, attachTracer } from "./_tracer.ts";
import { createCallTracer } from "./traceCallTracer.ts";
import { type StructLoggerLimits, createStructLogger } from "./traceStructLogger.ts";
import { createPrestateTracer } from "./tracePrestate.ts";
import { type TraceConfig, TraceError, TraceErrorCode, type TraceResult, type TxTrace } from "./traceTypes.ts";

/** A block to re-run: its parent's state root, its context, its transactions with their senders, the tracer. */
export interface TraceBlockInput {
  config: TraceConfig;
  parentStateRoot: Uint8Array;
  context: BlockContext;
  transactions: readonly SignedTransaction[];
  senders: readonly Uint8Array[];
  /** Index of the one transaction to trace (those after it are not run); absent = every one. */
  only?: number;
}

/** How a trace runs besides its config. */
export interface TraceRunOptions {
  /** Share the thread with other work (traces on the node's own thread; see callPacer.ts). */
  pacer?: CallPacer;
  /** The struct logger's size cap (tests lower it). */
  structLogger?: StructLoggerLimits;
}

function createTracer(config: TraceConfig, scope: TracerScope & { coinbase: Uint8Array }, opts: TraceRunOptions): MessageTracer {
  if (config.tracer === "callTracer") return createCallTracer(config.callTracer, scope);
  if (config.tracer === "prestateTracer") return createPrestateTracer(config.prestate, scope);
  return createStructLogger(config.logger, scope, opts.structLogger);
}

function timeoutError(timeoutMs: number): TraceError {
  return new TraceError({ code: TraceErrorCode.TIMEOUT, timeoutMs }, "execution timeout");
}

async function withinDeadline<T>(timeoutMs: number, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof DeadlineExceeded) throw timeoutError(timeoutMs);
    throw e;
  }
}

function traceEVM(env: CallEnvironment, deadline: number, opts: TraceRunOptions): Promise<ShardEVM> {
  return createShardEVM(env.config, env.shardId, env.store, env.getBlockHash, {
    deadline: () => deadline,
    ...(opts.pacer ? { pacer: opts.pacer } : {}),
    ...(env.stateRootAt ? { stateRootAt: env.stateRootAt } : {}),
  });
}

/**
 * Trace the transactions of a block (all, or `input.only`).
 * @throws {TraceError} TIMEOUT or TOO_LARGE; {TransactionError} when a transaction cannot run on that
 * state (not a stored block's); {StateError}/{TrieError} when the parent state is unavailable.
 */
export async function traceBlockTransactions(env: CallEnvironment, input: TraceBlockInput, opts: TraceRunOptions = {}): Promise<TxTrace[]> {
  const { transactions: txs, senders, only, config } = input;
  if (only !== undefined && (only < 0 || only >= txs.length)) throw new RangeError(`transaction index ${only} out of range (block has ${txs.length})`);
  const deadline = Date.now() + config.timeoutMs;
  const shard = await traceEVM(env, deadline, opts);
  shard.stateManager.world = new WorldState(env.store, input.parentStateRoot);
  const scope = { world: () => shard.stateManager.world, coinbase: input.context.coinbase };
  // A block's struct logs share one size cap, as they make one response.
  const shared = { ...opts, structLogger: { ...opts.structLogger, budget: { used: 0 } } };
  const b = startBlock(input.context);
  const last = only ?? txs.length - 1;
  const out: TxTrace[] = [];
  return withinDeadline(config.timeoutMs, async () => {
    for (let i = 0; i <= last; i++) {
      const tx = txs[i] as SignedTransaction;
      const sender = senders[i] as Uint8Array;
      // Transfers never reach the interpreter's deadline checks: the loop checks too.
      if (Date.now() > deadline) throw timeoutError(config.timeoutMs);
      if (only !== undefined && only !== i) {
        await applyTransaction(shard, b, tx, sender);
        continue;
      }
      const tracer = createTracer(config, scope, shared);
      const m = messageFromTransaction(tx, sender, input.context.baseFee);
      const detach = attachTracer(shard.evm, tracer);
      try {
        tracer.begin?.(m);
        const r = await applyTransaction(shard, b, tx, sender);
        out.push({ txHash: tx.hash(), result: tracer.result(m, r) });
      } finally {
        detach();
      }
    }
    return out;
  });
}

/** A call to trace: the state it runs on, its message, eth_call's options (gas cap, context, overrides), the tracer. */
export interface TraceCallInput {
  stateRoot: Uint8Array;
  params: CallParams;
  opts: Omit<SimulateOptions, "pacer" | "timeoutMs">;
  config: TraceConfig;
}

/**
 * Trace a call on the state at `stateRoot` (geth's debug_traceCall), overrides and gas cap as eth_call.
 * @throws {TraceError} TIMEOUT or TOO_LARGE; {TransactionError} as simulateCall.
 */
export async function traceCall(env: CallEnvironment, input: TraceCallInput, run: TraceRunOptions = {}): Promise<TraceResult> {
  const { stateRoot, params, opts, config } = input;
  const { shard, m, block } = await prepareCall(env, stateRoot, params, { ...opts, timeoutMs: config.timeoutMs, ...(run.pacer ? { pacer: run.pacer } : {}) });
  const tracer = createTracer(config, { world: () => shard.stateManager.world, coinbase: opts.blockContext.coinbase }, run);
  const detach = attachTracer(shard.evm, tracer);
  try {
    tracer.begin?.(m);
    const r = await withinDeadline(config.timeoutMs, () => applyMessage(shard, block, m));
    return tracer.result(m, r);
  } finally {
    detach();
  }
}
