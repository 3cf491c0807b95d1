/**
 * eth_call / eth_estimateGas off the consensus thread: a small pool of Workers (_callWorker.ts), each
 * with its own read-only connection to the node's store, runs one call at a time on the state root
 * the call names. The operating system then schedules the node's main thread (votes, blocks, RPC)
 * next to the calls instead of after them. A call waits in a bounded queue while every worker is
 * busy; the wait counts against its timeout, and a full queue refuses at once. At the deadline the
 * caller gets the timeout error; a worker that has still not given up a little later (the EVM
 * checks the deadline itself, at jumps; a starved thread may be late) is retired: a fresh worker takes
 * its place, and the old one is terminated once it answers. Terminating a worker in the middle of a
 * read would strand its sqlite locks inside this process and fail the node's next write.
 * @module
 */
import type { ChainConfig } from "../core/index.ts";
import { type CallParams, CallError, CallErrorCode, type CallResult, type SimulateOptions, TraceError, TraceErrorCode } from "../execution/index.ts";
import { TransactionError } from "../core/index.ts";
import type { Logger } from "../util/logger.ts";
import { workerURL } from "../util/workerURL.ts";
import type { CallWorkerFailure, CallWorkerRequest, CallWorkerResponse } from "./_callWorker.ts";
import { NodeCallError, NodeCallErrorCode } from "./errors.ts";
import type { TraceJob, TraceJobResult } from "./traceJobs.ts";

// Path of the worker from the repository root, as listed in scripts/worker-entrypoints.txt.
const WORKER_PATH_FROM_ROOT = "src/node/_callWorker.ts";

/** Options of {@link createCallPool}. */
export interface CallPoolOptions {
  /** Workers. Default min(2, cores − 1), at least 1: a core stays free for the node's own thread. */
  size?: number;
  /** Calls waiting for a worker before more are refused. Default 64. */
  maxQueued?: number;
  /** How long past its deadline a worker may take to give up before it is retired. Default 1000 ms. */
  graceMs?: number;
}

/** What the workers open. */
export interface CallPoolModules {
  /** The node's sqlite file (opened with `shareReads`). */
  storeFile: string;
  config: ChainConfig;
  shardId: number;
  logger: Logger;
}

/** Counters for /metrics. */
export interface CallPoolStats {
  workers: number;
  busy: number;
  queued: number;
  calls: number;
  timeouts: number;
  refused: number;
  /** Workers retired after overrunning a deadline, or replaced after failing. */
  replaced: number;
}

/** The pool. */
export interface CallPool {
  /** False once no worker could start (callers then run calls on their own thread). */
  usable(): boolean;
  /**
   * Run a call on a worker; `opts.timeoutMs` (default 5000) bounds queueing and running together.
   * @throws {CallError} TIMEOUT; {TransactionError} as simulateCall; {NodeCallError} QUEUE_FULL or WORKER_FAILED.
   */
  call(stateRoot: Uint8Array, params: CallParams, opts: Omit<SimulateOptions, "pacer">): Promise<CallResult>;
  /**
   * Run a debug_ trace on a worker, in the same queue as calls; `job.config.timeoutMs` bounds queueing and running.
   * @throws {TraceError} TIMEOUT, NOT_TRACEABLE, TOO_LARGE; {TransactionError}; {NodeCallError} QUEUE_FULL or WORKER_FAILED.
   */
  trace(job: TraceJob): Promise<TraceJobResult>;
  stats(): CallPoolStats;
  close(): void;
}

type Job = {
  id: number;
  req: Extract<CallWorkerRequest, { type: "call" | "trace" }>;
  deadline: number;
  timeoutMs: number;
  resolve: (r: never) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  settled: boolean;
};
type Slot = { worker: Worker; ready: boolean; job: Job | undefined; kill: ReturnType<typeof setTimeout> | undefined; retired: boolean };

function errorOf(f: CallWorkerFailure): Error {
  if (f.kind === "call") return new CallError(f.type, f.message);
  if (f.kind === "transaction") return new TransactionError(f.type, f.message);
  if (f.kind === "trace") return new TraceError(f.type, f.message);
  return new NodeCallError({ code: NodeCallErrorCode.WORKER_FAILED, reason: f.message }, f.message);
}

// The worker gives up at the job's deadline: the time left once it leaves the queue.
function withTimeLeft(req: Job["req"], left: number): CallWorkerRequest {
  if (req.type === "call") return { ...req, opts: { ...req.opts, timeoutMs: left } };
  // Only timeoutMs changes, so the job keeps its own kind's config shape.
  return { ...req, job: { ...req.job, config: { ...req.job.config, timeoutMs: left } } as TraceJob };
}

/** The pool of a node with `workers` call workers (undefined = default size), or undefined for 0. */
export function createNodeCallPool(workers: number | undefined, modules: CallPoolModules): CallPool | undefined {
  return workers === 0 ? undefined : createCallPool(workers === undefined ? {} : { size: workers }, modules);
}

/** Start the workers. @throws never: a pool whose workers cannot start reports `usable() === false`. */
export function createCallPool(opts: CallPoolOptions, modules: CallPoolModules): CallPool {
  const log = modules.logger;
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  const size = Math.max(1, opts.size ?? Math.min(2, cores - 1));
  const maxQueued = opts.maxQueued ?? 64;
  const graceMs = opts.graceMs ?? 1000;
  const queue: Job[] = [];
  const slots: Slot[] = [];
  const retired = new Set<Slot>();
  const stats = { calls: 0, timeouts: 0, refused: 0, replaced: 0 };
  let nextId = 1;
  let failedStarts = 0;
  let closed = false;
  const init: CallWorkerRequest = { type: "init", storeFile: modules.storeFile, config: modules.config.toData(), shardId: modules.shardId };

  const settle = (job: Job, f: () => void): boolean => {
    if (job.settled) return false;
    job.settled = true;
    clearTimeout(job.timer);
    f();
    return true;
  };
  const pump = () => {
    for (const slot of slots) {
      if (!slot.ready || slot.job !== undefined) continue;
      const job = queue.shift();
      if (job === undefined) return;
      slot.job = job;
      const left = Math.max(1, job.deadline - Date.now());
      slot.worker.postMessage(withTimeLeft(job.req, left));
      // The EVM gives up at the deadline by itself; one that does not is starved of CPU or busy
      // outside the interpreter's loop (a precompile, a huge copy): a fresh worker takes its place.
      slot.kill = setTimeout(() => retire(slot), left + graceMs);
    }
  };
  const finish = (slot: Slot) => {
    clearTimeout(slot.kill);
    slot.kill = undefined;
    slot.job = undefined;
    pump();
  };
  const retire = (slot: Slot) => {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    slot.retired = true;
    retired.add(slot);
    stats.replaced++;
    log.warn("call worker overran a deadline; a fresh one takes its place", { graceMs });
    if (!closed) start();
  };
  const replace = (slot: Slot, reason: string) => {
    slot.worker.terminate();
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    stats.replaced++;
    const job = slot.job;
    clearTimeout(slot.kill);
    if (job) settle(job, () => job.reject(new NodeCallError({ code: NodeCallErrorCode.WORKER_FAILED, reason }, `call worker failed: ${reason}`)));
    log.warn("call worker replaced", { reason });
    if (!closed) start();
  };
  const start = () => {
    let worker: Worker;
    try {
      worker = new Worker(workerURL(import.meta.url, "_callWorker.ts", WORKER_PATH_FROM_ROOT).href, { type: "module" });
    } catch (e) {
      failedStarts++;
      log.warn("call worker cannot start; calls run on the main thread", { error: e });
      return;
    }
    (worker as { unref?: () => void }).unref?.();
    const slot: Slot = { worker, ready: false, job: undefined, kill: undefined, retired: false };
    slots.push(slot);
    worker.onmessage = (ev: MessageEvent<CallWorkerResponse>) => {
      const m = ev.data;
      if (m.type === "ready") {
        slot.ready = true;
        return pump();
      }
      if (m.type === "initFailed") {
        failedStarts++;
        log.warn("call worker cannot open the store; calls run on the main thread", { reason: m.message });
        slot.worker.terminate();
        slots.splice(slots.indexOf(slot), 1);
        return;
      }
      const job = slot.job;
      if (slot.retired) {
        // Between calls now, so nothing of sqlite is in flight: safe to end.
        retired.delete(slot);
        slot.worker.terminate();
        if (job !== undefined) settle(job, () => (m.type === "failed" ? job.reject(errorOf(m.failure)) : job.resolve(m.result as never)));
        return;
      }
      if (job === undefined || job.id !== m.id) return;
      if (m.type === "result" || m.type === "traced") settle(job, () => job.resolve(m.result as never));
      else if (settle(job, () => job.reject(errorOf(m.failure))) && m.failure.kind === "call" && m.failure.type.code === CallErrorCode.TIMEOUT) stats.timeouts++;
      finish(slot);
    };
    worker.onerror = (ev) => {
      ev.preventDefault?.();
      if (slot.retired) {
        retired.delete(slot);
        slot.worker.terminate();
        return;
      }
      replace(slot, ev.message ?? "worker error");
    };
    worker.postMessage(init);
  };
  for (let i = 0; i < size; i++) start();

  function submit<T>(req: (id: number) => Job["req"], timeoutMs: number, timeoutError: () => Error): Promise<T> {
    if (queue.length >= maxQueued) {
      stats.refused++;
      return Promise.reject(new NodeCallError({ code: NodeCallErrorCode.QUEUE_FULL, maxQueued }, `too many calls waiting (max ${maxQueued}); try again later`));
    }
    stats.calls++;
    return new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const job: Job = { id, req: req(id), deadline: Date.now() + timeoutMs, timeoutMs, resolve: resolve as (r: never) => void, reject, timer: undefined, settled: false };
      job.timer = setTimeout(() => {
        const at = queue.indexOf(job);
        if (at >= 0) queue.splice(at, 1);
        if (settle(job, () => reject(timeoutError()))) stats.timeouts++;
      }, timeoutMs);
      queue.push(job);
      pump();
    });
  }

  return {
    usable: () => !closed && (slots.length > 0 || failedStarts < size),
    call(stateRoot, params, o) {
      const timeoutMs = o.timeoutMs ?? 5000;
      return submit<CallResult>((id) => ({ type: "call", id, stateRoot, params, opts: o }), timeoutMs, () => new CallError({ code: CallErrorCode.TIMEOUT, timeoutMs }, `execution aborted (timeout = ${timeoutMs / 1000}s)`));
    },
    trace(job) {
      const timeoutMs = job.config.timeoutMs;
      return submit<TraceJobResult>((id) => ({ type: "trace", id, job }), timeoutMs, () => new TraceError({ code: TraceErrorCode.TIMEOUT, timeoutMs }, "execution timeout"));
    },
    stats: () => ({ workers: slots.length, busy: slots.filter((s) => s.job !== undefined).length, queued: queue.length, ...stats }),
    close() {
      closed = true;
      for (const s of [...slots.splice(0), ...retired]) {
        clearTimeout(s.kill);
        s.worker.terminate();
        if (s.job) queue.push(s.job);
      }
      retired.clear();
      for (const j of queue.splice(0)) settle(j, () => j.reject(new NodeCallError({ code: NodeCallErrorCode.WORKER_FAILED, reason: "pool closed" }, "call pool closed")));
    },
  };
}
