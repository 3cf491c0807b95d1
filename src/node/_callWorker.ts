/**
 * Worker entry of the call pool (callPool.ts): runs eth_call / eth_estimateGas probes and debug_
 * traces (traceJobs.ts) off the thread that runs consensus, on its own read-only connection to the
 * node's store (WAL lets it read while the node writes). The trie is content-addressed and never pruned, so the state root a call
 * names stays readable however far the chain has moved on. It must be an extra entrypoint of
 * `bun build --compile` (scripts/worker-entrypoints.txt).
 * @module
 */
import { setPriority } from "node:os";
import { ChainDB } from "../chain/index.ts";
import { ChainConfig, type ChainConfigData, TransactionError, createShardCommon } from "../core/index.ts";
import { createSecp256k1, parseSecp256k1BackendName, useSecp256k1Backend } from "../crypto/index.ts";
import { type CallEnvironment, type CallParams, CallError, type CallResult, type SimulateOptions, TraceError, simulateCall } from "../execution/index.ts";
import { StateStore } from "../state/index.ts";
import { type KVStore, openStore } from "../store/index.ts";
import { type TraceJob, type TraceJobResult, runTraceJob } from "./traceJobs.ts";

/** Main thread → worker. */
export type CallWorkerRequest =
  | { type: "init"; storeFile: string; config: ChainConfigData; shardId: number }
  | { type: "call"; id: number; stateRoot: Uint8Array; params: CallParams; opts: Omit<SimulateOptions, "pacer"> }
  | { type: "trace"; id: number; job: TraceJob };

/** A failure, rebuilt as the same error class on the main thread. */
export type CallWorkerFailure =
  | { kind: "call"; type: CallError["type"]; message: string }
  | { kind: "transaction"; type: TransactionError["type"]; message: string }
  | { kind: "trace"; type: TraceError["type"]; message: string }
  | { kind: "other"; message: string };

/** Worker → main thread. */
export type CallWorkerResponse =
  | { type: "ready" }
  | { type: "initFailed"; message: string }
  | { type: "result"; id: number; result: CallResult }
  | { type: "traced"; id: number; result: TraceJobResult }
  | { type: "failed"; id: number; failure: CallWorkerFailure };

interface WorkerScope {
  onmessage: ((ev: MessageEvent<CallWorkerRequest>) => void) | null;
  postMessage(msg: CallWorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;
let env: CallEnvironment | undefined;
let kv: KVStore | undefined;
let chainDB: ChainDB | undefined;

// On Linux, setpriority(PRIO_PROCESS, 0) applies to the calling thread only (threads are tasks), so
// this worker yields the CPU to the node's own thread — votes and block processing — whenever both
// want it. Where the runtime or OS refuses, the worker simply runs at the node's priority.
function lowerPriority(): void {
  try {
    setPriority(19);
  } catch {
    // Not permitted or not supported here: the OS schedules the worker like any other thread.
  }
}

function failureOf(e: unknown): CallWorkerFailure {
  if (e instanceof CallError) return { kind: "call", type: e.type, message: e.message };
  if (e instanceof TransactionError) return { kind: "transaction", type: e.type, message: e.message };
  if (e instanceof TraceError) return { kind: "trace", type: e.type, message: e.message };
  return { kind: "other", message: e instanceof Error ? e.message : String(e) };
}

// The ecrecover precompile on the secp256k1 backend its process chose (the CLI names it in the
// environment); until it loads, and if it cannot, calls run on noble, with the same answers.
try {
  const wanted = parseSecp256k1BackendName(process.env.HARMONY_SECP256K1_BACKEND ?? "auto");
  void createSecp256k1(wanted).then(useSecp256k1Backend, () => undefined);
} catch {
  // an unknown name or no environment access: noble stays
}

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "init") {
    lowerPriority();
    try {
      // Never writes; no quick_check (the node checked the file when it opened it).
      kv = openStore(msg.storeFile, { readonly: true, lock: false, quickCheck: false, busyTimeoutMs: 5000, cacheSizeKiB: 8192 });
      const config = new ChainConfig(msg.config);
      const db = new ChainDB(kv, createShardCommon(config, msg.shardId));
      chainDB = db;
      // Smaller caches than the node's own: there are several workers, and sqlite's page cache helps too.
      const store = new StateStore(kv, { nodeCacheBytes: 16 * 1024 * 1024, codeCacheBytes: 4 * 1024 * 1024 });
      env = { config, shardId: msg.shardId, store, getBlockHash: (n) => db.getCanonicalHash(n), stateRootAt: (n) => db.getHeaderByNumber(n)?.stateRoot };
      scope.postMessage({ type: "ready" });
    } catch (e) {
      scope.postMessage({ type: "initFailed", message: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  const id = msg.id;
  if (env === undefined) {
    scope.postMessage({ type: "failed", id, failure: { kind: "other", message: "call worker used before init" } });
    return;
  }
  if (msg.type === "trace") {
    runTraceJob({ env, db: chainDB as ChainDB }, msg.job).then(
      (result) => scope.postMessage({ type: "traced", id, result }),
      (e: unknown) => scope.postMessage({ type: "failed", id, failure: failureOf(e) }),
    );
    return;
  }
  simulateCall(env, msg.stateRoot, msg.params, msg.opts).then(
    (result) => scope.postMessage({ type: "result", id, result }),
    (e: unknown) => scope.postMessage({ type: "failed", id, failure: failureOf(e) }),
  );
};
