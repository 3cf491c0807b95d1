/**
 * Worker entry of the VDF: runs one evaluation off the main thread and reports progress, so
 * consensus never stalls on it. Started by evaluateInWorker; cancelled by terminate(). It must be
 * an extra entrypoint of `bun build --compile` (scripts/worker-entrypoints.txt).
 * @module
 */
import { VDFKernel } from "./kernel.ts";
import { evaluationSteps } from "./wesolowski.ts";
import type { WorkerRequest, WorkerResponse } from "./_messages.ts";

// At most one progress message per interval; the last step is always reported by the result.
const PROGRESS_INTERVAL_MS = 50;

interface WorkerScope {
  onmessage: ((ev: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (ev: MessageEvent<WorkerRequest>): void => {
  const { seed, T, modulusHex } = ev.data;
  try {
    const steps = evaluationSteps(VDFKernel.create(BigInt(`0x${modulusHex}`)), seed, T);
    let last = performance.now();
    for (;;) {
      const r = steps.next();
      if (r.done) {
        scope.postMessage({ type: "result", y: r.value.y, proof: r.value.proof });
        return;
      }
      const now = performance.now();
      if (now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        scope.postMessage({ type: "progress", progress: r.value });
      }
    }
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const code = (err as { code?: unknown }).code;
    scope.postMessage({ type: "error", name: err.name, code: typeof code === "string" ? code : undefined, message: err.message });
  }
};
