/**
 * Hash functions of the protocol: Keccak-256 (the original Keccak padding Ethereum and Harmony use,
 * not FIPS-202 SHA3-256) and SHA-256 (FIPS 180-4). Thin wrappers over `@noble/hashes`.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

function assertBytes(data: unknown, fn: string): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${fn}: expected Uint8Array, got ${typeof data}`);
}

/**
 * Keccak-256 digest (32 bytes).
 * @throws {TypeError} when `data` is not a Uint8Array.
 */
export function keccak256(data: Uint8Array): Uint8Array {
  assertBytes(data, "keccak256");
  return keccak_256(data);
}

/**
 * SHA-256 digest (32 bytes).
 * @throws {TypeError} when `data` is not a Uint8Array.
 */
export function sha256(data: Uint8Array): Uint8Array {
  assertBytes(data, "sha256");
  return nobleSha256(data);
}
