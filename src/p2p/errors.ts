/**
 * Typed errors of the p2p layer (STYLE §9, §10). Every one carries a peer action: `REJECT` when the
 * remote peer broke the protocol (its score goes down, as Lodestar's `GossipActionError`), `IGNORE`
 * when it did not (timeouts of a busy peer, local misuse, a peer that simply went away).
 */
import { NodeError } from "../util/errors.ts";

/** What the failure means for the remote peer's score. */
export const PeerAction = {
  /** Drop the input; the peer did nothing provably wrong. */
  IGNORE: "IGNORE",
  /** The peer sent something invalid: score it down (and disconnect it on protocol violations). */
  REJECT: "REJECT",
} as const;
/** One of {@link PeerAction}. */
export type PeerAction = (typeof PeerAction)[keyof typeof PeerAction];

/** Codes of {@link P2PError}. */
export const P2PErrorCode = {
  NETWORK_MISMATCH: "P2P_NETWORK_MISMATCH",
  GENESIS_MISMATCH: "P2P_GENESIS_MISMATCH",
  SHARD_MISMATCH: "P2P_SHARD_MISMATCH",
  PROTOCOL_VERSION: "P2P_PROTOCOL_VERSION",
  /** The handshake signature does not verify against the announced node key. */
  BAD_SIGNATURE: "P2P_BAD_SIGNATURE",
  HANDSHAKE_TIMEOUT: "P2P_HANDSHAKE_TIMEOUT",
  /** A frame longer than `maxMessageBytes` (checked before decoding). */
  FRAME_TOO_LARGE: "P2P_FRAME_TOO_LARGE",
  /** Text frame, unknown type, bad RLP or a field of the wrong shape. */
  MALFORMED_FRAME: "P2P_MALFORMED_FRAME",
  /** A well-formed frame at the wrong time (data before the handshake, a second HELLO, …). */
  UNEXPECTED_FRAME: "P2P_UNEXPECTED_FRAME",
  PEER_NOT_CONNECTED: "P2P_PEER_NOT_CONNECTED",
  PEER_DISCONNECTED: "P2P_PEER_DISCONNECTED",
  REQUEST_TIMEOUT: "P2P_REQUEST_TIMEOUT",
  UNKNOWN_METHOD: "P2P_UNKNOWN_METHOD",
  /** The remote handler failed or refused (busy, response too large). */
  REMOTE_ERROR: "P2P_REMOTE_ERROR",
  /** The message could not be queued: socket buffer full or peer gone. */
  SEND_FAILED: "P2P_SEND_FAILED",
  STOPPED: "P2P_STOPPED",
} as const;
/** One of {@link P2PErrorCode}. */
export type P2PErrorCode = (typeof P2PErrorCode)[keyof typeof P2PErrorCode];

type Mismatch<C, T> = { code: C; action: typeof PeerAction.REJECT; ours: T; theirs: T };

/** Metadata of a {@link P2PError}, one shape per code. */
export type P2PErrorType =
  | Mismatch<typeof P2PErrorCode.NETWORK_MISMATCH, number>
  | Mismatch<typeof P2PErrorCode.GENESIS_MISMATCH, string>
  | Mismatch<typeof P2PErrorCode.SHARD_MISMATCH, number>
  | Mismatch<typeof P2PErrorCode.PROTOCOL_VERSION, number>
  | { code: typeof P2PErrorCode.BAD_SIGNATURE; action: typeof PeerAction.REJECT }
  | { code: typeof P2PErrorCode.HANDSHAKE_TIMEOUT; action: typeof PeerAction.IGNORE; timeoutMs: number }
  | { code: typeof P2PErrorCode.FRAME_TOO_LARGE; action: typeof PeerAction.REJECT; size: number; max: number }
  | { code: typeof P2PErrorCode.MALFORMED_FRAME; action: typeof PeerAction.REJECT; reason: string }
  | { code: typeof P2PErrorCode.UNEXPECTED_FRAME; action: typeof PeerAction.REJECT; frameType: number; state: string }
  | { code: typeof P2PErrorCode.PEER_NOT_CONNECTED; action: typeof PeerAction.IGNORE; peer: string }
  | { code: typeof P2PErrorCode.PEER_DISCONNECTED; action: typeof PeerAction.IGNORE; peer: string }
  | { code: typeof P2PErrorCode.REQUEST_TIMEOUT; action: typeof PeerAction.IGNORE; peer: string; method: string; timeoutMs: number }
  | { code: typeof P2PErrorCode.UNKNOWN_METHOD; action: typeof PeerAction.IGNORE; peer: string; method: string }
  | { code: typeof P2PErrorCode.REMOTE_ERROR; action: PeerAction; peer: string; method: string; reason: string }
  | { code: typeof P2PErrorCode.SEND_FAILED; action: typeof PeerAction.IGNORE; peer: string }
  | { code: typeof P2PErrorCode.STOPPED; action: typeof PeerAction.IGNORE };

/** A p2p failure with its code, metadata and the action it implies for the peer's score. */
export class P2PError extends NodeError<P2PErrorType> {
  /** What this failure means for the remote peer's score. */
  get action(): PeerAction {
    return this.type.action;
  }
}

/** Shorthand for the common "peer sent bytes we cannot parse" error. */
export function malformed(reason: string): P2PError {
  return new P2PError({ code: P2PErrorCode.MALFORMED_FRAME, action: PeerAction.REJECT, reason }, `malformed frame: ${reason}`);
}
