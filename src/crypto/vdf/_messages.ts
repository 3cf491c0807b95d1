/** Messages between evaluateInWorker and worker.ts (structured-clone friendly). */
import type { VDFProgress } from "./wesolowski.ts";

/** Main thread → worker: evaluate (seed, T) modulo the hex modulus. */
export interface WorkerRequest {
  type: "evaluate";
  seed: Uint8Array;
  T: number;
  modulusHex: string;
}

/** Worker → main thread. */
export type WorkerResponse =
  | { type: "progress"; progress: VDFProgress }
  | { type: "result"; y: Uint8Array; proof: Uint8Array }
  | { type: "error"; name: string; code: string | undefined; message: string };
