/**
 * The Wesolowski VDF of the epoch randomness (DESIGN §Randomness, issue 5): group Z_N^× / {±1}
 * with N = RSA-2048, inputs hashed into the group, evaluation by repeated squaring in a WASM
 * kernel (wasm/vdf, embedded in the executable), on the calling thread or in a Worker with
 * progress and cancellation, and verification in well under 10 ms.
 *
 * ```ts
 * const { y, proof } = await evaluateInWorker(seed, 1 << 20, { onProgress, signal });
 * vdfVerify(seed, 1 << 20, y, proof); // true
 * ```
 * @module
 */
import { createVDF } from "./vdf.ts";
import type { VDF } from "./vdf.ts";
import type { VDFEvaluateOptions } from "./_workerClient.ts";
import type { VDFOutput } from "./wesolowski.ts";
import { runSelfTest } from "./selfTest.ts";
import type { VDFSelfTestResult } from "./selfTest.ts";

export { createVDF } from "./vdf.ts";
export { VDFError, VDFErrorCode } from "./errors.ts";
export { RSA_2048_MODULUS, VDF_ELEMENT_BYTES } from "./modulus.ts";
export { MAX_T } from "./wesolowski.ts";
export { VDFKernel } from "./kernel.ts";
export type { VDF } from "./vdf.ts";
export type { VDFErrorType } from "./errors.ts";
export type { VDFEvaluateOptions } from "./_workerClient.ts";
export type { VDFOutput, VDFProgress } from "./wesolowski.ts";
export type { VDFSelfTestResult } from "./selfTest.ts";

let shared: VDF | undefined;

function defaultVDF(): VDF {
  shared ??= createVDF();
  return shared;
}

/**
 * Evaluate and prove on this thread with the RSA-2048 group (see VDF.evaluate).
 * @throws {TypeError} bad seed. @throws {RangeError} T ∉ [1, 2^40]. @throws {VDFError} ABORTED.
 */
export function vdfEvaluate(seed: Uint8Array, T: number, opts: VDFEvaluateOptions = {}): Promise<VDFOutput> {
  return defaultVDF().evaluate(seed, T, opts);
}

/**
 * Evaluate and prove in a Worker with the RSA-2048 group (see VDF.evaluateInWorker).
 * @throws {TypeError} bad seed. @throws {RangeError} T ∉ [1, 2^40].
 * @throws {VDFError} ABORTED when the signal fires, WORKER_FAILED when the worker dies.
 */
export function evaluateInWorker(seed: Uint8Array, T: number, opts: VDFEvaluateOptions = {}): Promise<VDFOutput> {
  return defaultVDF().evaluateInWorker(seed, T, opts);
}

/**
 * Verify (y, proof) for (seed, T) in the RSA-2048 group: false for anything malformed or
 * tampered; never throws on bad bytes.
 * @throws {VDFError} KERNEL_UNAVAILABLE only if WebAssembly itself is unavailable.
 */
export function vdfVerify(seed: Uint8Array, T: number, y: Uint8Array, proof: Uint8Array): boolean {
  return defaultVDF().verify(seed, T, y, proof);
}

/**
 * Evaluate (in a Worker unless `inWorker: false`) and verify once with delay T, with timings:
 * the check behind `harmony vdf selftest` that the executable computes a VDF on its own.
 * @throws {RangeError} T ∉ [1, 2^40]. @throws {VDFError} WORKER_FAILED / KERNEL_UNAVAILABLE.
 */
export function vdfSelfTest(T: number, opts: { inWorker?: boolean } = {}): Promise<VDFSelfTestResult> {
  return runSelfTest(defaultVDF(), T, opts);
}
