/**
 * The fallback randomness of an epoch whose VDF output was not included in time (DESIGN
 * §Randomness): `keccak256("harmony-ts/fallback" ‖ pRnd ‖ epoch as u64 BE)`.
 *
 * Why no single leader gains by withholding the VDF output, and the chain never stalls:
 * - pRnd is fixed at the cut-off, before anyone can have evaluated the VDF; the VDF output is a
 *   deterministic function of pRnd that every node can compute, so any later leader of the window
 *   includes the same value. One leader withholding changes nothing: the next one includes it.
 * - If no leader of the whole window includes a valid output, the fallback is a deterministic
 *   function of pRnd and the epoch too: it does not depend on who withheld, when, or on anything
 *   chosen after the cut-off, so withholding cannot steer it toward a chosen value.
 * - What remains is a choice between two values fixed at the cut-off (VDF or fallback), open only
 *   to a coalition holding every leader term of the window (devnet: an 11-block window against
 *   8-block terms, so at least two leaders). Validators never wait for the VDF: the window has a fixed end.
 */
import { keccak256 } from "../crypto/index.ts";
import { concatBytes } from "../util/bytes.ts";
import { tag, u64BE } from "./_bytes.ts";

const FALLBACK_DOMAIN = tag("harmony-ts/fallback");

/**
 * The fallback randomness of `epoch` from its pRnd.
 * @throws {RangeError} when pRnd is not 32 bytes or epoch ∉ [0, 2^64).
 */
export function computeFallbackRandomness(pRnd: Uint8Array, epoch: bigint): Uint8Array {
  if (pRnd.length !== 32) throw new RangeError(`pRnd must be 32 bytes, got ${pRnd.length}`);
  return keccak256(concatBytes(FALLBACK_DOMAIN, pRnd, u64BE(epoch)));
}
