/**
 * FBFT consensus (DESIGN §Consensus) as a pure state machine, `step(state, event, ctx) → { state,
 * actions }`, for an I/O driver to run (src/node) and the simulator to test (test/sim). Also the
 * pieces the driver and other layers need: message and safety-record codecs, committee and quorum
 * math, leader schedule, timeouts, vote payloads, the batched vote verifier, double-sign evidence.
 * @module
 */
export { step } from "./step.ts";
export type { StepResult } from "./step.ts";
export { createConsensusState, computeRun } from "./state.ts";
export type { ChainHead, ConsensusConfig, ConsensusState, CreateStateOptions, Phase } from "./state.ts";
export type { ConsensusAction, ConsensusEvent, Signer, StepContext } from "./types.ts";
export { createBLSSigner, createStepContext } from "./signer.ts";
export { MAX_MESSAGE_BYTES, MAX_VIEWCHANGE_GROUPS, decodeConsensusMessage, encodeConsensusMessage, signingBytes } from "./codec.ts";
export { SELF_SIGNED_KINDS } from "./messages.ts";
export type {
  AggregateProof, Announce, Commit, Committed, ConsensusMessage, MessageKind, NewView, Prepare, Prepared, PreparedProof, ViewChange, ViewChangeGroup,
} from "./messages.ts";
export { COMMIT_PAYLOAD_LENGTH, HASH_LENGTH, commitPayload, preparePayload, viewChangePayload } from "./payload.ts";
export {
  MAX_COMMITTEE_SIZE, bitmapPower, createCommittee, isOneThird, isQuorum, keysOfBitmap, quorumThreshold, slotsPower,
} from "./committee.ts";
export type { Committee, CommitteeOptions } from "./committee.ts";
export { commitProofCheck } from "./commitProof.ts";
export type { CommitProofCheck, CommittedBlockRef } from "./commitProof.ts";
export {
  areDisjoint, bitmapFromSlots, bitmapLength, countBits, createBitmap, hasBit, intersectSlots, isValidBitmap, orBitmaps, setBit, slotsOfBitmap,
} from "./bitmap.ts";
export { ABSENT_WINDOW, absentSlots, blocksPerLeader, leaderSlot, nextView } from "./leader.ts";
export type { NextViewOptions } from "./leader.ts";
export { MAX_TIMEOUT_EXPONENT, viewChangeTimeout } from "./timeout.ts";
export {
  checkCommit, checkPrepare, checkViewChange, createSafetyRecord, lockHashAt, recordCommit, recordPrepare, recordViewChange,
} from "./safety.ts";
export type { SafetyRecord, SafetyVerdict } from "./safety.ts";
export { decodeSafetyRecord, encodeSafetyRecord } from "./safetyCodec.ts";
export { findDoubleSign } from "./evidence.ts";
export type { DoubleSignEvidence, SignedVote } from "./evidence.ts";
export { createVoteVerifier } from "./verifier.ts";
export type { SignatureCheck, VerifierStats, VoteVerifier, VoteVerifierOptions } from "./verifier.ts";
export { coreBlockCodec } from "./blockCodec.ts";
export type { BlockCodec, BlockInfo } from "./blockCodec.ts";
export { ConsensusError, ConsensusErrorCode } from "./errors.ts";
export type { ConsensusErrorType, PeerAction } from "./errors.ts";
