/**
 * Proof of possession in pure TypeScript (`@noble/curves`), for backends whose API fixes the
 * hash-to-curve DST to the signature one: `@chainsafe/blst` 2.x exposes no DST parameter, so the
 * native backend cannot hash with `BLS_POP_...`. POP is done once per key registration, so the few
 * milliseconds of pure-JS pairing are acceptable; the wasm backend computes the same bytes through
 * herumi's `hashAndMapToWithDst`, and the unit tests cross-check the two.
 * PopProve/PopVerify: draft-irtf-cfrg-bls-signature-05 §3.3.2–3.3.3.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { POP_DST } from "./_encoding.ts";

const sigs = bls12_381.longSignatures;

/**
 * Proof for a secret key already validated by the caller, over its 48-byte compressed public key.
 * @throws {Error} from noble only if `secretKey` is out of range, which callers rule out first.
 */
export function popProveNoble(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return sigs.Signature.toBytes(sigs.sign(sigs.hash(publicKey, POP_DST), secretKey));
}

/** Pairing check e(pk, H_pop(pk)) == e(g1, proof) for inputs already subgroup-checked by the caller. */
export function popVerifyNoble(publicKey: Uint8Array, proof: Uint8Array): boolean {
  try {
    return sigs.verify(proof, sigs.hash(publicKey, POP_DST), publicKey);
  } catch {
    return false;
  }
}
