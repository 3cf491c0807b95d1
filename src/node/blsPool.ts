/**
 * Batched BLS verification off the event loop (DESIGN §2, issues 4 and 11): a small pool of Workers,
 * each running the backend's verifier on decoded points (`BLS.verifyChecks`: the sum of a batch
 * first, bisection only when it fails; committee keys decoded once per worker and kept), in front of
 * a verdict cache so that a signature checked once — e.g. when gossip was validated before relaying
 * — is not checked again when the state machine asks. Calls made while every worker is busy (or in
 * the same turn) leave together as one batch when a worker is free: a synced range's commit proofs,
 * asked one by one, cost one worker message and one multi-pairing, not one of each per block. Where
 * Workers cannot start, the same verifier runs on this thread.
 */
import type { SignatureCheck } from "../consensus/index.ts";
import type { BLS, BLSBackendName, BLSCacheStats } from "../crypto/index.ts";
import type { Logger } from "../util/logger.ts";
import { workerURL } from "../util/workerURL.ts";
import type { BLSWorkerRequest, BLSWorkerResponse } from "./_blsWorker.ts";
import { type WireCheck, packCheck } from "./_blsWire.ts";

/** Checks signatures asynchronously; `results[i]` is the verdict on `checks[i]`. Never rejects. */
export interface AsyncVoteVerifier {
  verify(checks: readonly SignatureCheck[]): Promise<boolean[]>;
  /** Counters for `/metrics`. */
  stats(): BLSPoolStats;
  /** Stop the workers; later calls verify on this thread. */
  close(): void;
}

/** Counters of a pool. */
export interface BLSPoolStats {
  /** Checks asked for. */
  checks: number;
  /** Checks answered from the cache. */
  cacheHits: number;
  /** Pairing checks run (one per aggregate verification or batch). */
  pairings: number;
  /** Batches sent to workers / run inline. */
  workerBatches: number;
  inlineBatches: number;
  /** Workers running. */
  workers: number;
  /** Time spent verifying batches (workers and this thread), and the batches verified. */
  verifyMs: number;
  verifyBatches: number;
  /**
   * Decoded-point caches of this thread's backend and of every worker, summed: public keys found
   * decoded (hits) or decompressed and subgroup-checked now (misses); likewise signatures.
   */
  publicKeyHits: number;
  publicKeyMisses: number;
  signatureHits: number;
  signatureMisses: number;
}

/** Options of {@link createBLSVerifierPool}. */
export interface BLSPoolOptions {
  /** Workers; 0 verifies on this thread. Default min(4, cores − 1), at least 1. */
  size?: number;
  /** Backend the workers load. Default: the main thread's backend. */
  backend?: BLSBackendName;
  /** Verdicts remembered. Default 8192. */
  cacheSize?: number;
  /** Most checks in one worker message (more wait for the next free worker). Default 256. */
  maxBatch?: number;
}

// Path of the worker from the repository root, as listed in scripts/worker-entrypoints.txt (for
// `bun build --compile` executables; see src/util/workerURL.ts).
const WORKER_PATH_FROM_ROOT = "src/node/_blsWorker.ts";

/** One `verify` call: its uncached checks wait in the queue, then ride in a worker batch. */
interface Call {
  readonly checks: readonly SignatureCheck[];
  readonly out: boolean[];
  /** Indices into `checks` still to verify, with their packed form. */
  readonly toVerify: number[];
  readonly wire: WireCheck[];
  readonly resolve: (r: boolean[]) => void;
}

interface PooledWorker {
  worker: Worker;
  /** The batch it verifies now (one at a time: later calls gather into the next one). */
  busy: boolean;
  /** The worker's cache counters as of its last answer. */
  cache?: BLSCacheStats;
  /** The backend the worker loaded (its points are imported only when it is ours). */
  backend?: string;
}

/** Cache counters of several backends added up. */
function sumCacheStats(list: readonly (BLSCacheStats | undefined)[]): Pick<BLSPoolStats, "publicKeyHits" | "publicKeyMisses" | "signatureHits" | "signatureMisses"> {
  const out = { publicKeyHits: 0, publicKeyMisses: 0, signatureHits: 0, signatureMisses: 0 };
  for (const c of list) {
    if (c === undefined) continue;
    out.publicKeyHits += c.publicKeyHits;
    out.publicKeyMisses += c.publicKeyMisses;
    out.signatureHits += c.signatureHits;
    out.signatureMisses += c.signatureMisses;
  }
  return out;
}

// Split `calls` into at most `groups` batches of about equal check counts, calls kept whole.
function splitCalls(calls: Call[], groups: number): Call[][] {
  if (groups <= 1 || calls.length <= 1) return [calls];
  const total = calls.reduce((n, c) => n + c.toVerify.length, 0);
  const per = Math.ceil(total / groups);
  const out: Call[][] = [[]];
  let n = 0;
  for (const c of calls) {
    if (n >= per && out.length < groups) {
      out.push([]);
      n = 0;
    }
    (out[out.length - 1] as Call[]).push(c);
    n += c.toVerify.length;
  }
  return out;
}

/**
 * Create the verifier pool over `bls` (used inline, and naming the workers' backend).
 * @throws never: a pool whose workers fail verifies on this thread.
 */
export function createBLSVerifierPool(bls: BLS, opts: BLSPoolOptions, modules: { logger: Logger; onBatch?: (seconds: number) => void }): AsyncVoteVerifier {
  const log = modules.logger;
  const cacheSize = opts.cacheSize ?? 8192;
  const maxBatch = opts.maxBatch ?? 256;
  const cache = new Map<string, boolean>();
  const stats: BLSPoolStats = {
    checks: 0, cacheHits: 0, pairings: 0, workerBatches: 0, inlineBatches: 0, workers: 0, verifyMs: 0, verifyBatches: 0,
    publicKeyHits: 0, publicKeyMisses: 0, signatureHits: 0, signatureMisses: 0,
  };
  // Workers that stopped still count what their caches did.
  const retired: BLSCacheStats[] = [];
  const pending = new Map<number, { calls: Call[]; w: PooledWorker }>();
  let queue: Call[] = [];
  let flushScheduled = false;
  let nextId = 1;
  let workers: PooledWorker[] = [];
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  const size = opts.size ?? Math.max(1, Math.min(4, cores - 1));

  function remember(key: string, v: boolean): void {
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(key, v);
  }

  // Verdicts `results` (in order of the calls' toVerify lists) into the calls, the cache, and their promises.
  function settle(calls: Call[], results: readonly boolean[]): void {
    let j = 0;
    for (const call of calls) {
      call.toVerify.forEach((i, k) => {
        const v = results[j++] === true;
        call.out[i] = v;
        remember((call.wire[k] as WireCheck).cacheKey, v);
      });
      call.resolve(call.out);
    }
  }

  function runInline(calls: Call[]): void {
    const checks = calls.flatMap((c) => c.toVerify.map((i) => c.checks[i] as SignatureCheck));
    stats.inlineBatches++;
    const before = bls.cacheStats().pairings;
    const t0 = performance.now();
    const r = bls.verifyChecks(checks);
    const ms = performance.now() - t0;
    stats.verifyMs += ms;
    stats.verifyBatches++;
    modules.onBatch?.(ms / 1000);
    stats.pairings += bls.cacheStats().pairings - before;
    settle(calls, r);
  }

  function fail(w: PooledWorker, reason: string): void {
    log.warn("BLS worker failed; verifying on the main thread", { reason });
    w.worker.terminate();
    if (w.cache) retired.push(w.cache);
    workers = workers.filter((x) => x !== w);
    stats.workers = workers.length;
    for (const [id, p] of pending) {
      if (p.w !== w) continue;
      pending.delete(id);
      runInline(p.calls);
    }
    scheduleFlush();
  }

  function onResult(w: PooledWorker, m: Extract<BLSWorkerResponse, { type: "result" }>): void {
    const p = pending.get(m.id);
    if (p === undefined) return;
    pending.delete(m.id);
    w.busy = false;
    stats.pairings += m.pairings;
    stats.verifyMs += m.ms;
    stats.verifyBatches++;
    modules.onBatch?.(m.ms / 1000);
    w.cache = m.cache;
    // Leaders aggregate the votes they verified: hand this thread the decompressed points.
    if (w.backend === bls.backend) {
      const sent = p.calls.flatMap((c) => c.toVerify.map((i) => (c.checks[i] as SignatureCheck).signature));
      bls.importSignaturePoints(sent.filter((_, i) => m.results[i]), m.points);
    }
    settle(p.calls, m.results);
    flush();
  }

  for (let i = 0; i < size; i++) {
    try {
      const w: PooledWorker = { worker: new Worker(workerURL(import.meta.url, "_blsWorker.ts", WORKER_PATH_FROM_ROOT).href, { type: "module" }), busy: false };
      (w.worker as { unref?: () => void }).unref?.();
      w.worker.onmessage = (ev: MessageEvent<BLSWorkerResponse>) => {
        const m = ev.data;
        if (m.type === "ready") {
          w.backend = m.backend;
          return;
        }
        if (m.type === "result") return onResult(w, m);
        const p = pending.get(m.id);
        if (p === undefined) return fail(w, m.message);
        pending.delete(m.id);
        w.busy = false;
        runInline(p.calls);
        flush();
      };
      w.worker.onerror = (ev) => fail(w, ev instanceof ErrorEvent ? ev.message : "worker error");
      w.worker.postMessage({ type: "init", backend: opts.backend ?? bls.backend } satisfies BLSWorkerRequest);
      workers.push(w);
    } catch (e) {
      log.warn("cannot start BLS workers; verifying on the main thread", { error: e });
      break;
    }
  }
  stats.workers = workers.length;

  function send(w: PooledWorker, calls: Call[]): void {
    const id = nextId++;
    w.busy = true;
    stats.workerBatches++;
    pending.set(id, { calls, w });
    w.worker.postMessage({ type: "verify", id, checks: calls.flatMap((c) => c.wire.map((x) => x.packed)) } satisfies BLSWorkerRequest);
  }

  // Hand the queue to the free workers (as many batches as there are free ones, none above
  // maxBatch); what does not fit waits for the next answer.
  function flush(): void {
    flushScheduled = false;
    if (queue.length === 0) return;
    if (workers.length === 0) {
      const calls = queue;
      queue = [];
      return runInline(calls);
    }
    const free = workers.filter((w) => !w.busy);
    if (free.length === 0) return;
    let take = 0;
    let n = 0;
    while (take < queue.length && (take === 0 || n + (queue[take] as Call).toVerify.length <= maxBatch * free.length)) n += (queue[take++] as Call).toVerify.length;
    const calls = queue.slice(0, take);
    queue = queue.slice(take);
    splitCalls(calls, free.length).forEach((group, i) => send(free[i] as PooledWorker, group));
  }

  function scheduleFlush(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    queueMicrotask(flush);
  }

  return {
    verify(checks) {
      stats.checks += checks.length;
      const out: boolean[] = new Array(checks.length).fill(false);
      const toVerify: number[] = [];
      const wire: WireCheck[] = [];
      checks.forEach((c, i) => {
        // A malformed check has no packed form: false, without a worker round trip.
        const w = packCheck(c);
        if (w === null) return;
        const v = cache.get(w.cacheKey);
        if (v !== undefined) {
          stats.cacheHits++;
          out[i] = v;
          return;
        }
        toVerify.push(i);
        wire.push(w);
      });
      if (toVerify.length === 0) return Promise.resolve(out);
      return new Promise<boolean[]>((resolve) => {
        queue.push({ checks, out, toVerify, wire, resolve });
        scheduleFlush();
      });
    },
    stats: () => ({ ...stats, ...sumCacheStats([bls.cacheStats(), ...retired, ...workers.map((w) => w.cache)]) }),
    close() {
      for (const w of workers) {
        w.worker.terminate();
        if (w.cache) retired.push(w.cache);
      }
      workers = [];
      stats.workers = 0;
      const calls = [...[...pending.values()].flatMap((p) => p.calls), ...queue];
      pending.clear();
      queue = [];
      if (calls.length > 0) runInline(calls);
    },
  };
}
