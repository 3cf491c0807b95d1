/**
 * Batched BLS verification off the event loop (DESIGN §2, issues 4 and 11): a small pool of Workers,
 * each running the backend's verifier on decoded points (`BLS.verifyChecks`: the sum of a batch
 * first, bisection only when it fails; committee keys decoded once per worker and kept), in front of
 * a verdict cache so that a signature checked once — e.g. when gossip was validated before relaying
 * — is not checked again when the state machine asks. Where Workers cannot start, the same verifier
 * runs on this thread.
 */
import type { SignatureCheck } from "../consensus/index.ts";
import { type BLS, type BLSBackendName, type BLSCacheStats, keccak256 } from "../crypto/index.ts";
import type { Logger } from "../util/logger.ts";
import { workerURL } from "../util/workerURL.ts";
import type { BLSWorkerRequest, BLSWorkerResponse } from "./_blsWorker.ts";

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
}

// Path of the worker from the repository root, as listed in scripts/worker-entrypoints.txt (for
// `bun build --compile` executables; see src/util/workerURL.ts).
const WORKER_PATH_FROM_ROOT = "src/node/_blsWorker.ts";

function cacheKey(c: SignatureCheck): string {
  const keys = new Uint8Array(c.publicKeys.length * 48 + 96 + 32);
  c.publicKeys.forEach((k, i) => keys.set(k.subarray(0, 48), i * 48));
  keys.set(c.signature.subarray(0, 96), c.publicKeys.length * 48);
  keys.set(keccak256(c.message), c.publicKeys.length * 48 + 96);
  let s = "";
  for (const b of keccak256(keys)) s += b.toString(16).padStart(2, "0");
  return `${s}:${c.publicKeys.length}:${c.message.length}`;
}

interface PooledWorker {
  worker: Worker;
  inflight: number;
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

/**
 * Create the verifier pool over `bls` (used inline, and naming the workers' backend).
 * @throws never: a pool whose workers fail verifies on this thread.
 */
export function createBLSVerifierPool(bls: BLS, opts: BLSPoolOptions, modules: { logger: Logger }): AsyncVoteVerifier {
  const log = modules.logger;
  const cacheSize = opts.cacheSize ?? 8192;
  const cache = new Map<string, boolean>();
  const stats: BLSPoolStats = {
    checks: 0, cacheHits: 0, pairings: 0, workerBatches: 0, inlineBatches: 0, workers: 0, verifyMs: 0, verifyBatches: 0,
    publicKeyHits: 0, publicKeyMisses: 0, signatureHits: 0, signatureMisses: 0,
  };
  // Workers that stopped still count what their caches did.
  const retired: BLSCacheStats[] = [];
  const pending = new Map<number, { resolve: (r: boolean[]) => void; checks: SignatureCheck[]; w: PooledWorker }>();
  let nextId = 1;
  let workers: PooledWorker[] = [];
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  const size = opts.size ?? Math.max(1, Math.min(4, cores - 1));

  function runInline(checks: SignatureCheck[]): boolean[] {
    stats.inlineBatches++;
    const before = bls.cacheStats().pairings;
    const t0 = performance.now();
    const r = bls.verifyChecks(checks);
    stats.verifyMs += performance.now() - t0;
    stats.verifyBatches++;
    stats.pairings += bls.cacheStats().pairings - before;
    return r;
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
      p.resolve(runInline(p.checks));
    }
  }

  for (let i = 0; i < size; i++) {
    try {
      const w: PooledWorker = { worker: new Worker(workerURL(import.meta.url, "_blsWorker.ts", WORKER_PATH_FROM_ROOT).href, { type: "module" }), inflight: 0 };
      (w.worker as { unref?: () => void }).unref?.();
      w.worker.onmessage = (ev: MessageEvent<BLSWorkerResponse>) => {
        const m = ev.data;
        if (m.type === "ready") {
          w.backend = m.backend;
          return;
        }
        const p = pending.get(m.id);
        if (m.type === "error") {
          if (p === undefined) return fail(w, m.message);
          pending.delete(m.id);
          w.inflight--;
          return p.resolve(runInline(p.checks));
        }
        if (p === undefined) return;
        pending.delete(m.id);
        w.inflight--;
        stats.pairings += m.pairings;
        stats.verifyMs += m.ms;
        stats.verifyBatches++;
        w.cache = m.cache;
        // Leaders aggregate the votes they verified: hand this thread the decompressed points.
        if (w.backend === bls.backend) bls.importSignaturePoints(p.checks.filter((_, i) => m.results[i]).map((c) => c.signature), m.points);
        p.resolve(m.results);
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

  function dispatch(checks: SignatureCheck[]): Promise<boolean[]> {
    const w = workers.reduce<PooledWorker | undefined>((best, x) => (best === undefined || x.inflight < best.inflight ? x : best), undefined);
    if (w === undefined) return Promise.resolve(runInline(checks));
    const id = nextId++;
    w.inflight++;
    stats.workerBatches++;
    return new Promise((resolve) => {
      pending.set(id, { resolve, checks, w });
      w.worker.postMessage({ type: "verify", id, checks } satisfies BLSWorkerRequest);
    });
  }

  return {
    async verify(checks) {
      stats.checks += checks.length;
      const out: boolean[] = new Array(checks.length).fill(false);
      // A malformed check (not bytes where bytes belong) has no key: false, without a worker round trip.
      const keys = checks.map((c) => {
        try {
          return cacheKey(c);
        } catch {
          return null;
        }
      });
      const uncached: number[] = [];
      keys.forEach((k, i) => {
        if (k === null) return;
        const v = cache.get(k);
        if (v === undefined) uncached.push(i);
        else {
          stats.cacheHits++;
          out[i] = v;
        }
      });
      if (uncached.length === 0) return out;
      const results = await dispatch(uncached.map((i) => checks[i] as SignatureCheck));
      uncached.forEach((i, j) => {
        const v = results[j] === true;
        out[i] = v;
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
        cache.set(keys[i] as string, v);
      });
      return out;
    },
    stats: () => ({ ...stats, ...sumCacheStats([bls.cacheStats(), ...retired, ...workers.map((w) => w.cache)]) }),
    close() {
      for (const w of workers) {
        w.worker.terminate();
        if (w.cache) retired.push(w.cache);
      }
      workers = [];
      stats.workers = 0;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.resolve(runInline(p.checks));
      }
    },
  };
}
