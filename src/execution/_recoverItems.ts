/**
 * Packed sender-recovery jobs, shared by the main thread and the recovery workers:
 * each job is hash(32) ‖ r(32) ‖ s(32) ‖ recoveryId(1); each answer ok(1) ‖ address(20).
 */
import { keccak256, recoverPublicKey } from "../crypto/index.ts";

/** Bytes per packed job. */
export const JOB_BYTES = 97;
/** Bytes per packed answer. */
export const ANSWER_BYTES = 21;

/** Recover the senders of `count` packed jobs into packed answers (ok = 0 for an invalid signature). */
export function recoverPacked(jobs: Uint8Array): Uint8Array {
  const count = jobs.length / JOB_BYTES;
  const out = new Uint8Array(count * ANSWER_BYTES);
  for (let i = 0; i < count; i++) {
    const j = jobs.subarray(i * JOB_BYTES, (i + 1) * JOB_BYTES);
    try {
      // r‖s‖recoveryId is the 65-byte signature form recoverPublicKey takes (ids other than 0/1 are refused).
      const pub = recoverPublicKey(j.subarray(0, 32), j.subarray(32, 97));
      out[i * ANSWER_BYTES] = 1;
      // A recovered key is a curve point by construction: hash it without publicKeyToAddress's point check.
      out.set(keccak256(pub.subarray(1)).subarray(12), i * ANSWER_BYTES + 1);
    } catch {
      out[i * ANSWER_BYTES] = 0;
    }
  }
  return out;
}
