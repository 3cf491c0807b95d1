/**
 * Typed errors of block sync (STYLE §9, §10). Every one carries a peer action: `REJECT` when the peer
 * that served the bytes is provably at fault (malformed response, broken linkage, a commit signature
 * that does not verify, a body that does not match its header), `IGNORE` when it is not (it lacks the
 * data, or the failure is ours).
 */
import { PeerAction } from "../p2p/index.ts";
import { NodeError } from "../util/errors.ts";

/** Codes of {@link SyncError}. */
export const SyncErrorCode = {
  /** A sync request whose bytes are not the expected RLP (served side). */
  MALFORMED_REQUEST: "SYNC_ERROR_MALFORMED_REQUEST",
  /** A response that does not decode, or holds more items than asked for. */
  MALFORMED_RESPONSE: "SYNC_ERROR_MALFORMED_RESPONSE",
  /** A header out of sequence, not linked to its parent, or failing its stateless checks. */
  INVALID_HEADER: "SYNC_ERROR_INVALID_HEADER",
  /** A commit signature that does not verify for its block against the committee. */
  INVALID_COMMIT: "SYNC_ERROR_INVALID_COMMIT",
  /** A block whose hash or transactions do not match the verified header. */
  INVALID_BODY: "SYNC_ERROR_INVALID_BODY",
  /** The peer does not have (or no longer serves) what was asked for. */
  UNAVAILABLE: "SYNC_ERROR_UNAVAILABLE",
  /** No connected peer can serve a range. */
  NO_PEERS: "SYNC_ERROR_NO_PEERS",
  /** The commit verifier failed (not a verdict): nobody is blamed. */
  VERIFIER_FAILED: "SYNC_ERROR_VERIFIER_FAILED",
} as const;
/** One of {@link SyncErrorCode}. */
export type SyncErrorCode = (typeof SyncErrorCode)[keyof typeof SyncErrorCode];

type Reject = typeof PeerAction.REJECT;
type Ignore = typeof PeerAction.IGNORE;

/** Metadata of a {@link SyncError}, one shape per code. */
export type SyncErrorType =
  | { code: typeof SyncErrorCode.MALFORMED_REQUEST; action: Reject; reason: string }
  | { code: typeof SyncErrorCode.MALFORMED_RESPONSE; action: Reject; reason: string }
  | { code: typeof SyncErrorCode.INVALID_HEADER; action: Reject; number: bigint; reason: string }
  | { code: typeof SyncErrorCode.INVALID_COMMIT; action: Reject; number: bigint }
  | { code: typeof SyncErrorCode.INVALID_BODY; action: Reject; number: bigint; reason: string }
  | { code: typeof SyncErrorCode.UNAVAILABLE; action: Ignore; what: string }
  | { code: typeof SyncErrorCode.NO_PEERS; action: Ignore; from: bigint; to: bigint }
  | { code: typeof SyncErrorCode.VERIFIER_FAILED; action: Ignore; number: bigint; reason: string };

/** A sync failure with its code, metadata and what it means for the peer that served the data. */
export class SyncError extends NodeError<SyncErrorType> {
  /** What this failure means for the serving peer's score. */
  get action(): PeerAction {
    return this.type.action;
  }
}

/** A REJECT-level error for a malformed request (served side). */
export function malformedRequest(reason: string): SyncError {
  return new SyncError({ code: SyncErrorCode.MALFORMED_REQUEST, action: PeerAction.REJECT, reason }, `malformed sync request: ${reason}`);
}

/** A REJECT-level error for a malformed response. */
export function malformedResponse(reason: string): SyncError {
  return new SyncError({ code: SyncErrorCode.MALFORMED_RESPONSE, action: PeerAction.REJECT, reason }, `malformed sync response: ${reason}`);
}

/** A REJECT-level error for a header that does not belong where it was served. */
export function invalidHeader(number: bigint, reason: string): SyncError {
  return new SyncError({ code: SyncErrorCode.INVALID_HEADER, action: PeerAction.REJECT, number, reason }, `invalid header ${number}: ${reason}`);
}

/** A REJECT-level error for a block whose body does not match its verified header. */
export function invalidBody(number: bigint, reason: string): SyncError {
  return new SyncError({ code: SyncErrorCode.INVALID_BODY, action: PeerAction.REJECT, number, reason }, `invalid block ${number}: ${reason}`);
}

/** An IGNORE-level error: the peer lacks what was asked for. */
export function unavailable(what: string): SyncError {
  return new SyncError({ code: SyncErrorCode.UNAVAILABLE, action: PeerAction.IGNORE, what }, `peer cannot serve ${what}`);
}
