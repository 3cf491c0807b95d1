/**
 * BLS12-381 signatures of the Ethereum proof-of-possession ciphersuite, behind one interface with
 * two backends (DESIGN §2): `native` (`@chainsafe/blst` through N-API) and `wasm` (`bls-eth-wasm`,
 * herumi compiled to WebAssembly). Both pass the consensus-spec vectors and are cross-checked.
 *
 * @example
 * const bls = await createBLS(); // native where it loads, else wasm
 * const sk = bls.keygen();
 * const sig = bls.sign(sk, msg);
 * bls.verify(bls.secretToPublic(sk), msg, sig); // true
 * @module
 */
import { BLSError, BLSErrorCode } from "./errors.ts";
import { createNativeBLS, loadBlst } from "./_native.ts";
import { createWasmBLS } from "./_wasm.ts";
import { loadHerumi } from "./_wasmLib.ts";
import { createWasmContext } from "./_wasmPairing.ts";
import type { BLS, BLSBackendName } from "./types.ts";

export { BLSError, BLSErrorCode };
export type { BLSErrorType } from "./errors.ts";
export { ethAggregatePublicKeys, ethFastAggregateVerify } from "./eth.ts";
export { aggregateSecretKeys } from "./aggregateSecretKeys.ts";
export { G2_POINT_AT_INFINITY, POP_DST, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, SIGNATURE_DST, SIGNATURE_LENGTH } from "./_encoding.ts";
export type { AggregateCheck, BLS, BLSBackendName, BLSCacheOptions, BLSCacheStats, SignatureSet } from "./types.ts";

// One instance per backend; a failed load is not cached, so a later call may retry.
const instances = new Map<BLSBackendName, Promise<BLS>>();

function load(backend: BLSBackendName): Promise<BLS> {
  let pending = instances.get(backend);
  if (!pending) {
    pending = backend === "native" ? loadBlst().then(createNativeBLS) : loadHerumi().then((lib) => createWasmBLS(createWasmContext(lib)));
    instances.set(backend, pending);
    pending.catch(() => instances.delete(backend));
  }
  return pending;
}

/**
 * The BLS implementation for `backend`: `"native"`, `"wasm"`, or `"auto"` (default) for native where
 * `@chainsafe/blst` loads in this runtime and wasm otherwise. Instances are created once per backend.
 * @throws {BLSError} BACKEND_UNAVAILABLE when the requested backend (for `"auto"`: both) cannot load.
 */
export async function createBLS(backend: BLSBackendName | "auto" = "auto"): Promise<BLS> {
  if (backend !== "auto") return load(backend);
  try {
    return await load("native");
  } catch (e) {
    if (e instanceof BLSError && e.code === BLSErrorCode.BACKEND_UNAVAILABLE) return load("wasm");
    throw e;
  }
}
