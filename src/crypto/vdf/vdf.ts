/** The VDF object: a modulus, a verification kernel, and in-process or worker evaluation. */
import { VDFError, VDFErrorCode } from "./errors.ts";
import { VDFKernel } from "./kernel.ts";
import { RSA_2048_MODULUS } from "./modulus.ts";
import { evaluateInWorkerWith } from "./_workerClient.ts";
import type { VDFEvaluateOptions } from "./_workerClient.ts";
import { assertValidT, evaluationSteps, verifyWesolowski } from "./wesolowski.ts";
import type { VDFOutput } from "./wesolowski.ts";

// The in-process evaluation yields to the event loop this often, so timers and abort signals run.
const YIELD_INTERVAL_MS = 16;

/** A Wesolowski VDF over Z_N^× / {±1}. */
export interface VDF {
  /** The group modulus N. */
  readonly modulus: bigint;
  /**
   * Evaluate y = x^(2^T) for x = hashToGroup(seed) and prove it, on this thread (yielding to the
   * event loop every few ms).
   * @throws {TypeError} when seed is not a Uint8Array. @throws {RangeError} when T ∉ [1, 2^40].
   * @throws {VDFError} ABORTED when `signal` fires.
   */
  evaluate(seed: Uint8Array, T: number, opts?: VDFEvaluateOptions): Promise<VDFOutput>;
  /**
   * Like evaluate, in a Worker (one per call) so the calling thread never stalls; aborting the
   * signal terminates the worker.
   * @throws {VDFError} ABORTED when `signal` fires, WORKER_FAILED when the worker dies.
   */
  evaluateInWorker(seed: Uint8Array, T: number, opts?: VDFEvaluateOptions): Promise<VDFOutput>;
  /** Check (y, proof) for (seed, T): false for any malformed or tampered input; never throws. */
  verify(seed: Uint8Array, T: number, y: Uint8Array, proof: Uint8Array): boolean;
}

function assertArgs(seed: unknown, T: number): asserts seed is Uint8Array {
  if (!(seed instanceof Uint8Array)) throw new TypeError("VDF seed must be a Uint8Array");
  assertValidT(T);
}

async function evaluateHere(modulus: bigint, seed: Uint8Array, T: number, opts: VDFEvaluateOptions): Promise<VDFOutput> {
  assertArgs(seed, T);
  const { onProgress, signal } = opts;
  let squarings = 0;
  const abort = (): VDFError => new VDFError({ code: VDFErrorCode.ABORTED, squarings, T }, "VDF evaluation aborted");
  if (signal?.aborted) throw abort();
  const steps = evaluationSteps(VDFKernel.create(modulus), seed.slice(), T);
  let last = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (r.value.phase === "evaluate") squarings = r.value.done;
    onProgress?.(r.value);
    if (performance.now() - last >= YIELD_INTERVAL_MS) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      last = performance.now();
    }
    if (signal?.aborted) throw abort();
  }
}

/**
 * Create a VDF for modulus N (default: RSA-2048, the network's group).
 * @throws {RangeError} when the modulus is not odd in (2^64, 2^2048).
 * @throws {VDFError} KERNEL_UNAVAILABLE when the WASM kernel cannot be instantiated.
 */
export function createVDF(opts: { modulus?: bigint } = {}): VDF {
  const modulus = opts.modulus ?? RSA_2048_MODULUS;
  const kernel = VDFKernel.create(modulus);
  return {
    modulus,
    evaluate: (seed, T, o = {}) => evaluateHere(modulus, seed, T, o),
    evaluateInWorker: async (seed, T, o = {}) => {
      assertArgs(seed, T);
      return evaluateInWorkerWith(modulus, seed.slice(), T, o);
    },
    verify: (seed, T, y, proof) => verifyWesolowski(kernel, seed, T, y, proof),
  };
}
