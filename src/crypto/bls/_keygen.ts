/**
 * EIP-2333 `derive_master_SK` (the `HKDF_mod_r` KeyGen of draft-irtf-cfrg-bls-signature-04 §2.3),
 * in TypeScript for backends without it. https://eips.ethereum.org/EIPS/eip-2333#derive_master_sk
 */
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { BLSError, BLSErrorCode } from "./errors.ts";
import { bytesToBigInt, CURVE_ORDER, SECRET_KEY_LENGTH } from "./_encoding.ts";

const SALT = new TextEncoder().encode("BLS-SIG-KEYGEN-SALT-");
/** L = ceil((3 * ceil(log2(r))) / 16) = 48 bytes of HKDF output. */
const L = 48;
/** Minimum IKM length required by EIP-2333. */
export const MIN_IKM_LENGTH = 32;

/**
 * Derive the master secret key from `ikm` (≥ 32 bytes) and return it as 32 big-endian bytes.
 * @throws {BLSError} INVALID_IKM when `ikm` is shorter than 32 bytes.
 */
export function deriveMasterSecretKey(ikm: Uint8Array): Uint8Array {
  if (ikm.length < MIN_IKM_LENGTH) throw new BLSError({ code: BLSErrorCode.INVALID_IKM, length: ikm.length });
  const ikmPadded = new Uint8Array(ikm.length + 1); // IKM || I2OSP(0, 1)
  ikmPadded.set(ikm);
  const info = Uint8Array.of(0, L); // key_info (empty) || I2OSP(L, 2)
  let salt: Uint8Array = SALT;
  let sk = 0n;
  while (sk === 0n) {
    salt = sha256(salt);
    const okm = expand(sha256, extract(sha256, ikmPadded, salt), info, L);
    sk = bytesToBigInt(okm) % CURVE_ORDER;
  }
  const out = new Uint8Array(SECRET_KEY_LENGTH);
  for (let i = SECRET_KEY_LENGTH - 1; i >= 0; i--) {
    out[i] = Number(sk & 0xffn);
    sk >>= 8n;
  }
  return out;
}

/** 32 fresh random bytes of IKM from the platform CSPRNG. */
export function randomIKM(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(MIN_IKM_LENGTH));
}
