/** evaluateInWorker: one Worker per evaluation, progress messages, AbortSignal → terminate(). */
import { VDFError, VDFErrorCode } from "./errors.ts";
import type { WorkerRequest, WorkerResponse } from "./_messages.ts";
import type { VDFOutput, VDFProgress } from "./wesolowski.ts";
import { workerURL } from "../../util/workerURL.ts";

/** Options of an evaluation. */
export interface VDFEvaluateOptions {
  /** Called with the progress of the evaluation, then of the proof. */
  onProgress?: (progress: VDFProgress) => void;
  /** Cancels the evaluation; the promise rejects with VDFError ABORTED. */
  signal?: AbortSignal;
}

// Path of worker.ts from the repository root, as listed in scripts/worker-entrypoints.txt. In an
// executable built by `bun build --compile mod.ts <worker entrypoints>`, every module's
// import.meta.url is the executable's own URL in Bun's embedded file system (file:///$bunfs/root/
// harmony; B:/~BUN/root/ on Windows), and each extra entrypoint keeps its path relative to the root
// of all entrypoints: the repository root, where mod.ts lives.
const WORKER_PATH_FROM_ROOT = "src/crypto/vdf/worker.ts";

function vdfWorkerURL(): URL {
  return workerURL(import.meta.url, "worker.ts", WORKER_PATH_FROM_ROOT);
}

function aborted(T: number, squarings: number): VDFError {
  return new VDFError({ code: VDFErrorCode.ABORTED, squarings, T }, "VDF evaluation aborted");
}

/** Evaluate in a new Worker running worker.ts; see VDF.evaluateInWorker. */
export function evaluateInWorkerWith(modulus: bigint, seed: Uint8Array, T: number, opts: VDFEvaluateOptions = {}): Promise<VDFOutput> {
  const { onProgress, signal } = opts;
  return new Promise<VDFOutput>((resolve, reject) => {
    if (signal?.aborted) {
      reject(aborted(T, 0));
      return;
    }
    let squarings = 0;
    let settled = false;
    const worker = new Worker(vdfWorkerURL(), { type: "module" });
    const finish = (): void => {
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      worker.terminate();
    };
    const onAbort = (): void => {
      if (settled) return;
      finish();
      reject(aborted(T, squarings));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.onmessage = (ev: MessageEvent<WorkerResponse>): void => {
      if (settled) return;
      const msg = ev.data;
      if (msg.type === "progress") {
        if (msg.progress.phase === "evaluate") squarings = msg.progress.done;
        onProgress?.(msg.progress);
      } else if (msg.type === "result") {
        finish();
        resolve({ y: msg.y, proof: msg.proof });
      } else {
        finish();
        // Argument errors keep their built-in type; everything else is a worker failure.
        if (msg.name === "RangeError") reject(new RangeError(msg.message));
        else if (msg.name === "TypeError") reject(new TypeError(msg.message));
        else reject(new VDFError({ code: VDFErrorCode.WORKER_FAILED, reason: `${msg.code ?? msg.name}: ${msg.message}` }, msg.message));
      }
    };
    worker.onerror = (ev: ErrorEvent): void => {
      ev.preventDefault?.();
      if (settled) return;
      finish();
      reject(new VDFError({ code: VDFErrorCode.WORKER_FAILED, reason: ev.message || "worker error" }, "VDF worker failed"));
    };
    const request: WorkerRequest = { type: "evaluate", seed, T, modulusHex: modulus.toString(16) };
    worker.postMessage(request);
  });
}
