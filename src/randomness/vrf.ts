/**
 * The leader's VRF in each beacon header (DESIGN §Randomness): `vrf = output(32) ‖ proof(96)` with
 * `proof = BLS-sign(sk, keccak256("harmony-ts/vrf" ‖ parentHash))` and `output = keccak256(proof)`.
 *
 * Why this is a VRF: a BLS signature (Ethereum PoP ciphersuite, deterministic hash-to-curve) is unique
 * for a key and message, so the leader cannot grind alternatives; anyone verifies it with the
 * leader's public key; and nobody without the secret key can predict it.
 *
 * Why the domain tag instead of signing the parent hash itself: validators already BLS-sign block
 * hashes in FBFT PREPARE votes (§Consensus) with the same keys. A VRF over the bare parent hash would
 * equal the leader's PREPARE signature on the parent, which the parent's leader collected a block
 * earlier — it could predict the VRF. The tag makes the two messages distinct.
 */
import type { BLS } from "../crypto/index.ts";
import { keccak256 } from "../crypto/index.ts";
import { concatBytes, equalBytes } from "../util/bytes.ts";
import { tag } from "./_bytes.ts";

/** Length of the VRF output (keccak256 of the proof). */
export const VRF_OUTPUT_BYTES = 32;
/** Length of the VRF proof (a compressed BLS G2 signature). */
export const VRF_PROOF_BYTES = 96;
/** Length of the header's `vrf` field when present. */
export const VRF_FIELD_BYTES = VRF_OUTPUT_BYTES + VRF_PROOF_BYTES;

const VRF_DOMAIN = tag("harmony-ts/vrf");

/**
 * The message the leader signs: keccak256("harmony-ts/vrf" ‖ parentHash).
 * @throws {TypeError} when parentHash is not 32 bytes.
 */
export function vrfMessage(parentHash: Uint8Array): Uint8Array {
  if (!(parentHash instanceof Uint8Array) || parentHash.length !== 32) throw new TypeError("VRF parent hash must be 32 bytes");
  return keccak256(concatBytes(VRF_DOMAIN, parentHash));
}

/**
 * The leader's VRF for the block on top of `parentHash`: output(32) ‖ proof(96).
 * @throws {TypeError} when parentHash is not 32 bytes. @throws {BLSError} on an invalid secret key.
 */
export function computeVRF(bls: BLS, secretKey: Uint8Array, parentHash: Uint8Array): Uint8Array {
  const proof = bls.sign(secretKey, vrfMessage(parentHash));
  return concatBytes(keccak256(proof), proof);
}

/**
 * True when `vrf` is output ‖ proof with proof a valid signature of `leaderPublicKey` over the VRF
 * message of `parentHash` and output = keccak256(proof). False for any malformed input; never throws.
 */
export function verifyVRF(bls: BLS, leaderPublicKey: Uint8Array, parentHash: Uint8Array, vrf: Uint8Array): boolean {
  if (!(vrf instanceof Uint8Array) || vrf.length !== VRF_FIELD_BYTES) return false;
  if (!(parentHash instanceof Uint8Array) || parentHash.length !== 32) return false;
  const output = vrf.subarray(0, VRF_OUTPUT_BYTES);
  const proof = vrf.subarray(VRF_OUTPUT_BYTES);
  if (!equalBytes(output, keccak256(proof))) return false;
  try {
    return bls.verify(leaderPublicKey, vrfMessage(parentHash), proof);
  } catch {
    return false;
  }
}

/**
 * The 32-byte output of a VRF field (a copy).
 * @throws {RangeError} when the field is not 128 bytes.
 */
export function vrfOutput(vrf: Uint8Array): Uint8Array {
  if (vrf.length !== VRF_FIELD_BYTES) throw new RangeError(`VRF field must be ${VRF_FIELD_BYTES} bytes, got ${vrf.length}`);
  return vrf.slice(0, VRF_OUTPUT_BYTES);
}
