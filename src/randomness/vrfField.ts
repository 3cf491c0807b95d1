/** The header rule for the `vrf` field of a beacon block (DESIGN §Randomness). */
import type { Header } from "../core/header.ts";
import type { BLS } from "../crypto/index.ts";
import { OK, RandomnessErrorCode, fail } from "./errors.ts";
import type { CheckResult } from "./errors.ts";
import { epochOfBlock, isVRFActive } from "./params.ts";
import type { RandomnessParams } from "./params.ts";
import { verifyVRF } from "./vrf.ts";

/** What {@link validateVRFField} needs besides the header. */
export interface VRFFieldContext {
  /** BLS public key of the slot that led the block's view (the proposer). */
  leaderPublicKey: Uint8Array;
  params: RandomnessParams;
}

/**
 * Check a beacon header's `vrf`: empty at genesis and before the VRF activates; otherwise present and
 * a valid VRF of the leader over the header's parent hash. Never throws on bad bytes.
 */
export function validateVRFField(bls: BLS, header: Header, ctx: VRFFieldContext): CheckResult {
  const number = header.number;
  const required = number > 0n && isVRFActive(ctx.params, epochOfBlock(ctx.params, number));
  if (!required) {
    if (header.vrf.length === 0) return OK;
    return fail({ code: RandomnessErrorCode.VRF_UNEXPECTED, number }, `block ${number}: VRF present but not active`);
  }
  if (header.vrf.length === 0) return fail({ code: RandomnessErrorCode.VRF_MISSING, number }, `block ${number}: VRF missing`);
  if (!verifyVRF(bls, ctx.leaderPublicKey, header.parentHash, header.vrf)) {
    return fail({ code: RandomnessErrorCode.VRF_INVALID, number }, `block ${number}: VRF does not verify against the leader key`);
  }
  return OK;
}
