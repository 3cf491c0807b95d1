/**
 * Double-sign evidence (DESIGN §Consensus, §Slashing): two valid votes of one key for different
 * blocks at the same height and view. Anyone may submit it; slashing comes with staking. Votes of a
 * multi-key node are aggregates, so the evidence names the slots signing both and keeps both votes
 * whole: each verifies against its own signers, and the intersection signed both blocks.
 */
import { intersectSlots } from "./bitmap.ts";
import type { Commit, Prepare } from "./messages.ts";
import { sameBytes } from "./_hex.ts";

/** A vote as kept in evidence. */
export interface SignedVote {
  readonly blockHash: Uint8Array;
  /** Third field of the commit payload (COMMIT only). */
  readonly blockView: bigint | null;
  readonly signers: Uint8Array;
  readonly signature: Uint8Array;
}

/** Proof that `slots` signed two different blocks at (height, view) in one phase. */
export interface DoubleSignEvidence {
  readonly phase: "prepare" | "commit";
  readonly height: bigint;
  readonly view: bigint;
  readonly slots: readonly number[];
  readonly first: SignedVote;
  readonly second: SignedVote;
}

function toSigned(v: Prepare | Commit): SignedVote {
  return { blockHash: v.blockHash, blockView: v.kind === "commit" ? v.blockView : null, signers: v.signers, signature: v.signature };
}

/**
 * Evidence from two votes whose signatures have been verified, or null when they do not conflict:
 * same phase and height, the same view (for COMMIT the signed header view, for PREPARE the message
 * view), different blocks, and at least one slot in both signer sets.
 */
export function findDoubleSign(a: Prepare | Commit, b: Prepare | Commit): DoubleSignEvidence | null {
  if (a.kind !== b.kind || a.height !== b.height) return null;
  // A COMMIT signs its view (the header view); a PREPARE signs only the hash, so its view is the message's.
  const view = (v: Prepare | Commit) => (v.kind === "commit" ? v.blockView : v.view);
  if (view(a) !== view(b)) return null;
  if (sameBytes(a.blockHash, b.blockHash)) return null;
  const slots = intersectSlots(a.signers, b.signers);
  if (slots.length === 0) return null;
  return Object.freeze({ phase: a.kind, height: a.height, view: view(a), slots, first: toSigned(a), second: toSigned(b) });
}
