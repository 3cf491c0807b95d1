/**
 * Worker entry of the BLS verifier pool (blsPool.ts): runs the consensus layer's batched verifier
 * (aggregate first, bisect on failure) off the main thread, so that timers, votes and RPC stay
 * responsive while many signatures are checked. It must be an extra entrypoint of
 * `bun build --compile` (scripts/worker-entrypoints.txt).
 * @module
 */
import { type SignatureCheck, type VoteVerifier, createVoteVerifier } from "../consensus/index.ts";
import { type BLSBackendName, createBLS } from "../crypto/index.ts";

/** Main thread → worker. */
export type BLSWorkerRequest = { type: "init"; backend: BLSBackendName | "auto" } | { type: "verify"; id: number; checks: SignatureCheck[] };

/** Worker → main thread. */
export type BLSWorkerResponse =
  | { type: "ready"; backend: string }
  | { type: "result"; id: number; results: boolean[]; pairings: number }
  | { type: "error"; id: number; message: string };

interface WorkerScope {
  onmessage: ((ev: MessageEvent<BLSWorkerRequest>) => void) | null;
  postMessage(msg: BLSWorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;
let verifier: Promise<VoteVerifier & { stats: { checks: number } }> | undefined;

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "init") {
    verifier = createBLS(msg.backend).then((bls) => {
      scope.postMessage({ type: "ready", backend: bls.backend });
      return createVoteVerifier(bls);
    });
    verifier.catch((e: unknown) => scope.postMessage({ type: "error", id: 0, message: e instanceof Error ? e.message : String(e) }));
    return;
  }
  const id = msg.id;
  (verifier ?? Promise.reject(new Error("BLS worker used before init")))
    .then((v) => {
      const before = v.stats.checks;
      const results = v.verify(msg.checks);
      scope.postMessage({ type: "result", id, results, pairings: v.stats.checks - before });
    })
    .catch((e: unknown) => scope.postMessage({ type: "error", id, message: e instanceof Error ? e.message : String(e) }));
};
