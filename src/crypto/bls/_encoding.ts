/**
 * Byte-level facts about the Ethereum BLS12-381 ciphersuite shared by both backends: sizes, domain
 * separation tags, and the serialization rules of the ZCash compressed format that the backends do
 * not all enforce the same way.
 */

/** Secret key size: big-endian scalar below r. */
export const SECRET_KEY_LENGTH = 32;
/** Compressed G1 public key size. */
export const PUBLIC_KEY_LENGTH = 48;
/** Compressed G2 signature size. */
export const SIGNATURE_LENGTH = 96;

/** Signature DST of the proof-of-possession ciphersuite (draft-irtf-cfrg-bls-signature-05 §4.2.3). */
export const SIGNATURE_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
/** DST of `PopProve`/`PopVerify` (draft-irtf-cfrg-bls-signature-05 §4.2.3). */
export const POP_DST = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

/** Order r of the G1/G2 subgroups (and modulus of secret keys). */
export const CURVE_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

const COMPRESSED_FLAG = 0x80;
const INFINITY_FLAG = 0x40;
/** The infinity flag of the first byte of a compressed point. */
export const INFINITY_BIT = INFINITY_FLAG;

/** Compressed encoding of the G2 identity: the "infinity signature" of consensus-specs. */
export const G2_POINT_AT_INFINITY: Uint8Array = (() => {
  const out = new Uint8Array(SIGNATURE_LENGTH);
  out[0] = COMPRESSED_FLAG | INFINITY_FLAG;
  return out;
})();

/**
 * Classify a compressed point encoding by its flag bits only (no curve arithmetic):
 * `"point"` when it must still be decompressed and checked, `"infinity"` for the one canonical
 * identity encoding, `"invalid"` for a wrong length, a missing compression flag or a non-canonical
 * identity (herumi accepts `0xc0` followed by garbage; the ZCash format and blst do not).
 */
export function classifyEncoding(bytes: Uint8Array, length: number): "point" | "infinity" | "invalid" {
  if (bytes.length !== length) return "invalid";
  const first = bytes[0] ?? 0;
  if ((first & COMPRESSED_FLAG) === 0) return "invalid";
  if ((first & INFINITY_FLAG) === 0) return "point";
  if (first !== (COMPRESSED_FLAG | INFINITY_FLAG)) return "invalid";
  for (let i = 1; i < bytes.length; i++) if (bytes[i] !== 0) return "invalid";
  return "infinity";
}

/** Big-endian bytes to an unsigned integer. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let out = 0n;
  for (const b of bytes) out = (out << 8n) | BigInt(b);
  return out;
}

/** Constant-length byte equality (not constant-time; only used on public data). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Run a verification; any throw from the backend (bad encoding, subgroup) is a failed check (STYLE §10). */
export function verifiedOrFalse(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
