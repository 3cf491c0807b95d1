/**
 * The sum of secret keys modulo r. BLS signing is linear in the key — sign(a + b, m) = sign(a, m) +
 * sign(b, m) — so one signature with the sum is byte for byte the aggregate of the signatures of each
 * key: a node holding many committee keys signs a vote once (one hash-to-curve, one scalar
 * multiplication) instead of once per key and then aggregating.
 */
import { BLSError, BLSErrorCode } from "./errors.ts";
import { CURVE_ORDER, SECRET_KEY_LENGTH, bytesToBigInt } from "./_encoding.ts";

/**
 * `Σ secretKeys mod r` as a 32-byte big-endian secret key, or `null` when the sum is 0 mod r (no
 * valid secret key; the caller signs key by key then — it happens only for keys chosen to cancel).
 * @throws {BLSError} EMPTY_AGGREGATE on `[]`; INVALID_SECRET_KEY (its index in the message) for a key
 * that is not 32 bytes encoding an integer in [1, r).
 */
export function aggregateSecretKeys(secretKeys: readonly Uint8Array[]): Uint8Array | null {
  if (secretKeys.length === 0) throw new BLSError({ code: BLSErrorCode.EMPTY_AGGREGATE, what: "secretKeys" });
  let sum = 0n;
  secretKeys.forEach((sk, i) => {
    const v = sk.length === SECRET_KEY_LENGTH ? bytesToBigInt(sk) : 0n;
    if (v === 0n || v >= CURVE_ORDER) throw new BLSError({ code: BLSErrorCode.INVALID_SECRET_KEY, length: sk.length }, `secret key ${i} is not in [1, r)`);
    sum = (sum + v) % CURVE_ORDER;
  });
  if (sum === 0n) return null;
  const out = new Uint8Array(SECRET_KEY_LENGTH);
  for (let i = SECRET_KEY_LENGTH - 1; i >= 0; i--) {
    out[i] = Number(sum & 0xffn);
    sum >>= 8n;
  }
  return out;
}
