/**
 * Hash functions of the protocol: Keccak-256 (the original Keccak padding Ethereum and Harmony use,
 * not FIPS-202 SHA3-256) and SHA-256 (FIPS 180-4). Keccak-256 runs on the WASM kernel of wasm/keccak
 * (about 0.9× node:crypto's native SHA3-256 on 1 MiB and on 32 bytes, where @noble/hashes reaches
 * ~0.1×; neither Bun nor Deno offers a native keccak), with @noble/hashes as the reference it is
 * tested against and the fallback where WebAssembly is missing. SHA-256 is @noble/hashes.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { createWasmKeccak256 } from "./_keccakWasm.ts";

/** Names of the keccak-256 backends. */
export type KeccakBackendName = "wasm" | "noble";

const impls: Partial<Record<KeccakBackendName, (data: Uint8Array) => Uint8Array>> = { noble: keccak_256 };
try {
  impls.wasm = createWasmKeccak256();
} catch {
  // no WebAssembly in this runtime: noble stays
}
let activeName: KeccakBackendName = impls.wasm ? "wasm" : "noble";
let active = impls[activeName] as (data: Uint8Array) => Uint8Array;

function assertBytes(data: unknown, fn: string): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${fn}: expected Uint8Array, got ${typeof data}`);
}

/**
 * Keccak-256 digest (32 bytes), on the active backend.
 * @throws {TypeError} when `data` is not a Uint8Array.
 */
export function keccak256(data: Uint8Array): Uint8Array {
  assertBytes(data, "keccak256");
  return active(data);
}

/** The keccak-256 backend in use on this thread. */
export function getKeccakBackend(): KeccakBackendName {
  return activeName;
}

/**
 * Switch this thread's keccak-256 backend (`auto` = wasm where it instantiated, else noble).
 * @throws {RangeError} on an unknown name or a backend this runtime cannot run.
 */
export function setKeccakBackend(name: KeccakBackendName | "auto"): KeccakBackendName {
  const n = name === "auto" ? (impls.wasm ? "wasm" : "noble") : name;
  const impl = impls[n];
  if (!impl) throw new RangeError(`keccak backend "${name}" is not available here`);
  activeName = n;
  active = impl;
  return n;
}

/**
 * SHA-256 digest (32 bytes).
 * @throws {TypeError} when `data` is not a Uint8Array.
 */
export function sha256(data: Uint8Array): Uint8Array {
  assertBytes(data, "sha256");
  return nobleSha256(data);
}
