/** Types of the secp256k1 recovery backends (secp256k1Backend.ts), apart so the backends import no loader. */

/** Names of the secp256k1 recovery backends. */
export type Secp256k1BackendName = "native" | "wasm" | "noble";

/** One recovery implementation. Inputs are range-checked by the caller (secp256k1.ts). */
export interface Secp256k1Backend {
  readonly name: Secp256k1BackendName;
  /**
   * The 65-byte uncompressed public key (0x04‖X‖Y) that signed the 32-byte `hash` with the 64-byte
   * compact signature r‖s and recovery id 0..3, or null when none recovers.
   */
  recover(hash: Uint8Array, compact: Uint8Array, recovery: number): Uint8Array | null;
}
