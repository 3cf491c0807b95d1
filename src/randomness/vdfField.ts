/**
 * The header's `vdf` field (DESIGN §Randomness): `rnd(32) ‖ y(256) ‖ proof(256)`, 544 bytes, with
 * `rnd = keccak256(y)` the epoch's randomness and (y, proof) the Wesolowski VDF of seed pRnd with
 * difficulty T (src/crypto/vdf). rnd is redundant with y but lets readers (RPC, shard chains) take
 * the randomness without hashing; validators check it.
 */
import type { Header } from "../core/header.ts";
import { keccak256 } from "../crypto/index.ts";
import { VDF_ELEMENT_BYTES, vdfVerify } from "../crypto/vdf/index.ts";
import type { VDFOutput } from "../crypto/vdf/index.ts";
import { concatBytes, equalBytes } from "../util/bytes.ts";
import type { EpochRandomnessState } from "./epochState.ts";
import { OK, RandomnessErrorCode, fail } from "./errors.ts";
import type { CheckResult } from "./errors.ts";
import { epochOfBlock, epochOffset, isVDFActive, vdfWindow } from "./params.ts";
import type { RandomnessParams } from "./params.ts";

/** Length of rnd. */
export const VDF_RND_BYTES = 32;
/** Length of the header's `vdf` field when present. */
export const VDF_FIELD_BYTES = VDF_RND_BYTES + 2 * VDF_ELEMENT_BYTES;

/** The parts of a `vdf` field. */
export interface VDFField {
  rnd: Uint8Array;
  y: Uint8Array;
  proof: Uint8Array;
}

/** rnd = keccak256(y). */
export function computeVDFRnd(y: Uint8Array): Uint8Array {
  return keccak256(y);
}

/**
 * The `vdf` field for a VDF output: keccak256(y) ‖ y ‖ proof.
 * @throws {RangeError} when y or proof is not 256 bytes.
 */
export function encodeVDFField(out: VDFOutput): Uint8Array {
  if (out.y.length !== VDF_ELEMENT_BYTES || out.proof.length !== VDF_ELEMENT_BYTES) throw new RangeError(`VDF y and proof must be ${VDF_ELEMENT_BYTES} bytes`);
  return concatBytes(computeVDFRnd(out.y), out.y, out.proof);
}

/** Split a `vdf` field into rnd, y, proof (copies); `null` when it is not 544 bytes. Does not verify. */
export function decodeVDFField(field: Uint8Array): VDFField | null {
  if (field.length !== VDF_FIELD_BYTES) return null;
  return {
    rnd: field.slice(0, VDF_RND_BYTES),
    y: field.slice(VDF_RND_BYTES, VDF_RND_BYTES + VDF_ELEMENT_BYTES),
    proof: field.slice(VDF_RND_BYTES + VDF_ELEMENT_BYTES),
  };
}

/**
 * Check a beacon header's `vdf` against the epoch's state before that header: empty is always
 * valid (inclusion is never required); otherwise the VDF must be active, the header must be the
 * state's next block, inside the window [cutoff + k, E − 2], the first inclusion of the epoch, and
 * carry rnd = keccak256(y) with (y, proof) verifying for seed pRnd and T. Never throws on bad bytes.
 * @throws {Error} only on a broken invariant (a state past the cut-off without pRnd).
 */
export function validateVDFField(header: Header, state: EpochRandomnessState, params: RandomnessParams): CheckResult {
  const { number } = header;
  if (header.vdf.length === 0) return OK;
  const epoch = epochOfBlock(params, number);
  if (!isVDFActive(params, epoch)) return fail({ code: RandomnessErrorCode.VDF_NOT_ACTIVE, number, epoch }, `block ${number}: VDF not active in epoch ${epoch}`);
  if (number !== state.nextNumber) return fail({ code: RandomnessErrorCode.OUT_OF_ORDER, number, expected: state.nextNumber }, `block ${number}: state expects block ${state.nextNumber}`);
  const offset = epochOffset(params, number);
  const w = vdfWindow(params);
  if (offset < w.start || offset > w.end) {
    return fail({ code: RandomnessErrorCode.VDF_OUTSIDE_WINDOW, number, offset, windowStart: w.start, windowEnd: w.end }, `block ${number}: VDF at offset ${offset}, window is [${w.start}, ${w.end}]`);
  }
  if (state.vdf !== null) return fail({ code: RandomnessErrorCode.VDF_DUPLICATE, number, epoch }, `block ${number}: VDF already included at block ${state.vdf.blockNumber}`);
  const parts = decodeVDFField(header.vdf);
  if (parts === null) return fail({ code: RandomnessErrorCode.VDF_MALFORMED, number, length: header.vdf.length, expected: VDF_FIELD_BYTES }, `block ${number}: VDF field of ${header.vdf.length} bytes`);
  if (!equalBytes(parts.rnd, computeVDFRnd(parts.y))) return fail({ code: RandomnessErrorCode.VDF_RND_MISMATCH, number, epoch }, `block ${number}: rnd is not keccak256(y)`);
  if (state.pRnd === null) throw new Error(`randomness invariant: epoch ${state.epoch} state at block ${number} (past the cut-off) has no pRnd`);
  if (!vdfVerify(state.pRnd, params.vdfT, parts.y, parts.proof)) return fail({ code: RandomnessErrorCode.VDF_INVALID_PROOF, number, epoch }, `block ${number}: VDF proof does not verify`);
  return OK;
}
