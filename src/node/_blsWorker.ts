/**
 * Worker entry of the BLS verifier pool (blsPool.ts): runs the backend's batched verifier on decoded
 * points (`BLS.verifyChecks`: one sum per message, a random-linear-combination batch across
 * messages, bisection on failure) off the main thread, so that timers, votes and RPC stay responsive
 * while many signatures are checked. Each worker keeps its own cache of decoded committee keys, so a
 * key is decompressed and subgroup-checked once per worker. Checks arrive packed (_blsWire.ts).
 * It must be an extra entrypoint of `bun build --compile` (scripts/worker-entrypoints.txt).
 * @module
 */
import { type BLS, type BLSBackendName, type BLSCacheStats, createBLS } from "../crypto/index.ts";
import { type PackedCheck, signatureOf, unpackCheck } from "./_blsWire.ts";

/** Main thread → worker. */
export type BLSWorkerRequest = { type: "init"; backend: BLSBackendName | "auto" } | { type: "verify"; id: number; checks: PackedCheck[] };

/**
 * Worker → main thread. `cache` is the worker's running total; `ms` the time this batch took;
 * `points` the uncompressed signatures of the checks that verified, in order, so that the main
 * thread aggregates the votes without decompressing them again.
 */
export type BLSWorkerResponse =
  | { type: "ready"; backend: string }
  | { type: "result"; id: number; results: boolean[]; pairings: number; ms: number; cache: BLSCacheStats; points: Uint8Array[] }
  | { type: "error"; id: number; message: string };

interface WorkerScope {
  onmessage: ((ev: MessageEvent<BLSWorkerRequest>) => void) | null;
  postMessage(msg: BLSWorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;
let backend: Promise<BLS> | undefined;

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "init") {
    backend = createBLS(msg.backend).then((bls) => {
      scope.postMessage({ type: "ready", backend: bls.backend });
      return bls;
    });
    backend.catch((e: unknown) => scope.postMessage({ type: "error", id: 0, message: e instanceof Error ? e.message : String(e) }));
    return;
  }
  const id = msg.id;
  (backend ?? Promise.reject(new Error("BLS worker used before init")))
    .then((bls) => {
      const before = bls.cacheStats().pairings;
      const t0 = performance.now();
      const results = bls.verifyChecks(msg.checks.map(unpackCheck));
      const ms = performance.now() - t0;
      const cache = bls.cacheStats();
      const points = bls.exportSignaturePoints(msg.checks.filter((_, i) => results[i]).map(signatureOf));
      scope.postMessage({ type: "result", id, results, pairings: cache.pairings - before, ms, cache, points });
    })
    .catch((e: unknown) => scope.postMessage({ type: "error", id, message: e instanceof Error ? e.message : String(e) }));
};
