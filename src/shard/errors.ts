/**
 * Typed errors of the shard layer (STYLE §9-10): why a crosslink is refused. Decoding throws
 * {@link CrossLinkError} with a peer action (the bytes come from the network); verification returns
 * the same codes as a verdict (a signature check answers, it does not throw).
 * @module
 */
import { NodeError } from "../util/errors.ts";

/** Codes of {@link CrossLinkError} and of a failed {@link CrossLinkVerdict}. */
export const CrossLinkErrorCode = {
  /** The bytes are not a well-formed crosslink (or list of crosslinks) encoding. */
  MALFORMED: "CROSSLINK_ERROR_MALFORMED",
  /** The link names the beacon shard or a shard the network does not have. */
  NOT_A_SHARD: "CROSSLINK_ERROR_NOT_A_SHARD",
  /** The beacon chain's shard state has no committee for the link's shard at its epoch. */
  NO_COMMITTEE: "CROSSLINK_ERROR_NO_COMMITTEE",
  /** The bitmap does not have the length of a bitmap over the committee, or sets a slot past its end. */
  BITMAP_SHAPE: "CROSSLINK_ERROR_BITMAP_SHAPE",
  /** The signers hold 2/3 of the committee's voting power or less. */
  NO_QUORUM: "CROSSLINK_ERROR_NO_QUORUM",
  /** The aggregate signature is not the signers' signature over the commit payload. */
  BAD_SIGNATURE: "CROSSLINK_ERROR_BAD_SIGNATURE",
  /** The link's epoch is not its shard's previous epoch or the next one, or is past the beacon block's. */
  WRONG_EPOCH: "CROSSLINK_ERROR_WRONG_EPOCH",
  /** The link's block number is already crosslinked (or listed twice). */
  DUPLICATE: "CROSSLINK_ERROR_DUPLICATE",
  /** The link does not follow its shard's last crosslinked block, or the list is not ordered by shard. */
  OUT_OF_ORDER: "CROSSLINK_ERROR_OUT_OF_ORDER",
} as const;

/** One of {@link CrossLinkErrorCode}. */
export type CrossLinkErrorCodeValue = (typeof CrossLinkErrorCode)[keyof typeof CrossLinkErrorCode];

/** What a node does with the peer that sent a refused crosslink. */
export type CrossLinkPeerAction = "REJECT" | "IGNORE";

/** Metadata of a {@link CrossLinkError}. */
export type CrossLinkErrorType = { code: CrossLinkErrorCodeValue; reason: string; action: CrossLinkPeerAction };

/** A refused crosslink. */
export class CrossLinkError extends NodeError<CrossLinkErrorType> {}

/** A refused crosslink: the code and a reason for people. */
export type CrossLinkFailure = { readonly ok: false; readonly code: CrossLinkErrorCodeValue; readonly reason: string };

/** The outcome of a crosslink check: accepted or refused. */
export type CrossLinkVerdict = { readonly ok: true } | CrossLinkFailure;

/** A refused verdict. */
export function refuse(code: CrossLinkErrorCodeValue, reason: string): CrossLinkFailure {
  return { ok: false, code, reason };
}
