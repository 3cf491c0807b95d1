/**
 * Typed errors of the consensus layer (STYLE §9-10). Bad arguments throw built-ins; bytes from the
 * network that are not a consensus message raise {@link ConsensusError} with a peer action, so the
 * driver can score the sender (Lodestar `GossipActionError`).
 */
import { NodeError } from "../util/errors.ts";

/** Codes of {@link ConsensusError}. */
export const ConsensusErrorCode = {
  /** The bytes are not a well-formed consensus message (bad RLP, kind, field length, integer, size). */
  MESSAGE_MALFORMED: "CONSENSUS_ERROR_MESSAGE_MALFORMED",
  /** The bytes of a stored safety record do not decode: the node must not sign until an operator looks. */
  SAFETY_RECORD_CORRUPT: "CONSENSUS_ERROR_SAFETY_RECORD_CORRUPT",
  /** A block handed to the consensus layer does not decode through its block codec. */
  BLOCK_MALFORMED: "CONSENSUS_ERROR_BLOCK_MALFORMED",
} as const;

/** What the driver does with the peer that sent a rejected message. */
export type PeerAction = "REJECT" | "IGNORE";

/** Metadata of a {@link ConsensusError}. */
export type ConsensusErrorType =
  | { code: typeof ConsensusErrorCode.MESSAGE_MALFORMED; reason: string; action: PeerAction }
  | { code: typeof ConsensusErrorCode.SAFETY_RECORD_CORRUPT; reason: string }
  | { code: typeof ConsensusErrorCode.BLOCK_MALFORMED; reason: string };

/** A consensus-domain error with a stable code. */
export class ConsensusError extends NodeError<ConsensusErrorType> {}

/** Build the MESSAGE_MALFORMED error every decoder throws. */
export function malformedMessage(reason: string): ConsensusError {
  return new ConsensusError({ code: ConsensusErrorCode.MESSAGE_MALFORMED, reason, action: "REJECT" }, `malformed consensus message: ${reason}`);
}
