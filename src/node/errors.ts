/** Typed errors of the node wiring (STYLE §9-10): configuration, keys and consensus driver failures. */
import { NodeError } from "../util/errors.ts";

/** Codes of {@link ValidatorNodeError}. */
export const ValidatorNodeErrorCode = {
  /** A key file (BLS keystore, passphrase, node key) could not be read or decrypted. */
  KEY_UNREADABLE: "NODE_ERROR_KEY_UNREADABLE",
  /** A BLS key of the node is not in the genesis committee of any shard, or keys span shards. */
  KEY_NOT_IN_COMMITTEE: "NODE_ERROR_KEY_NOT_IN_COMMITTEE",
  /** The genesis has no committee for the node's shard. */
  NO_COMMITTEE: "NODE_ERROR_NO_COMMITTEE",
  /** The safety record file could not be written durably: the node must not sign. */
  SAFETY_WRITE_FAILED: "NODE_ERROR_SAFETY_WRITE_FAILED",
} as const;

/** Metadata of a {@link ValidatorNodeError}. */
export type ValidatorNodeErrorType =
  | { code: typeof ValidatorNodeErrorCode.KEY_UNREADABLE; path: string; reason: string }
  | { code: typeof ValidatorNodeErrorCode.KEY_NOT_IN_COMMITTEE; key: string }
  | { code: typeof ValidatorNodeErrorCode.NO_COMMITTEE; shardId: number }
  | { code: typeof ValidatorNodeErrorCode.SAFETY_WRITE_FAILED; path: string; reason: string };

/** A node-level failure with a stable code. */
export class ValidatorNodeError extends NodeError<ValidatorNodeErrorType> {}

/** Codes of {@link NodeCallError}. */
export const NodeCallErrorCode = {
  /** Every call worker is busy and the queue is full: the client should retry later. */
  QUEUE_FULL: "NODE_CALL_ERROR_QUEUE_FULL",
  /** A call worker crashed, was replaced after overrunning a deadline, or the pool closed. */
  WORKER_FAILED: "NODE_CALL_ERROR_WORKER_FAILED",
} as const;

/** Metadata of a {@link NodeCallError}. */
export type NodeCallErrorType =
  | { code: typeof NodeCallErrorCode.QUEUE_FULL; maxQueued: number }
  | { code: typeof NodeCallErrorCode.WORKER_FAILED; reason: string };

/** A call the node's call pool could not run. */
export class NodeCallError extends NodeError<NodeCallErrorType> {}
