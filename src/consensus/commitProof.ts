/**
 * The one rule for a block's commit proof (DESIGN §Consensus step 5): a bitmap of exactly ceil(n/8)
 * bytes over the committee with no bit past its last slot, signers holding more than 2/3 of the
 * power, and a 96-byte aggregate of their signatures over `commitPayload(number, hash, viewId)`.
 * Block sync, a proposal's carried parent proof and anything else that accepts a final block ask it.
 * The signature itself is returned as a check to make (STYLE §3), so callers batch it on their verifier.
 */
import { isValidBitmap } from "./bitmap.ts";
import { type Committee, bitmapPower, isQuorum, keysOfBitmap } from "./committee.ts";
import { commitPayload } from "./payload.ts";
import type { SignatureCheck } from "./verifier.ts";

/** The block a commit proof is for. */
export interface CommittedBlockRef {
  readonly number: bigint;
  readonly hash: Uint8Array;
  readonly viewId: bigint;
}

/** Why a proof cannot be valid, or the aggregate-signature check that decides it. */
export type CommitProofCheck = { readonly ok: false; readonly reason: string } | { readonly ok: true; readonly check: SignatureCheck };

/** The structural checks of a commit proof for `block`, and the signature check left to make. */
export function commitProofCheck(committee: Committee, block: CommittedBlockRef, signature: Uint8Array, bitmap: Uint8Array): CommitProofCheck {
  if (signature.length !== 96) return { ok: false, reason: `commit signature of ${signature.length} bytes, expected 96` };
  if (!isValidBitmap(bitmap, committee.size)) return { ok: false, reason: `commit bitmap does not fit a committee of ${committee.size}` };
  if (!isQuorum(bitmapPower(committee, bitmap), committee.totalPower)) return { ok: false, reason: "commit bitmap is not a quorum" };
  return { ok: true, check: { publicKeys: keysOfBitmap(committee, bitmap), message: commitPayload(block.number, block.hash, block.viewId), signature } };
}
