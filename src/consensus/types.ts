/**
 * The driver-facing contract of the FBFT state machine: the events `step` consumes, the actions it
 * returns, and the capabilities it is given.
 *
 * Driver rules: actions are executed in order; `persistSafety` must be durable (fsync) before any
 * later action of the same step is executed, since the sends after it carry the signatures it
 * records; `verify`, `validateBlock` and `buildBlock` may complete asynchronously, their results come
 * back as `verified`, `blockValidated` and `propose` events; one consensus timer exists and each
 * `setTimer` replaces it.
 *
 * Signing is a capability ({@link Signer}) passed into `step` rather than an action: BLS signatures
 * are deterministic, so `sign` behaves as a pure function of its arguments; the keys stay with the
 * driver (the state holds none); and an action round trip per signature would add a phase to every
 * vote for nothing. What must be ordered, the durable safety record, is an action.
 */
import type { BlockCodec } from "./blockCodec.ts";
import type { DoubleSignEvidence } from "./evidence.ts";
import type { AggregateProof, ConsensusMessage } from "./messages.ts";
import type { SafetyRecord } from "./safety.ts";
import type { SignatureCheck } from "./verifier.ts";

/** Signs with this node's keys. */
export interface Signer {
  /**
   * The aggregate signature of the keys of `slots` (all held by this node) over `message`.
   * @throws {Error} when the node does not hold a key of `slots`.
   */
  sign(slots: readonly number[], message: Uint8Array): Uint8Array;
}

/** Pure capabilities `step` uses. */
export interface StepContext {
  readonly signer: Signer;
  /** BLS aggregation of already verified signatures (`BLS.aggregateSignatures`). */
  readonly aggregateSignatures: (signatures: Uint8Array[]) => Uint8Array;
  readonly blockCodec: BlockCodec;
}

/** Inputs of the state machine. `from` is the driver's opaque peer id, echoed in `penalize`. */
export type ConsensusEvent =
  /** Begin: arm the timer and, as leader, ask for a block. */
  | { readonly type: "start" }
  /** A decoded message from the network. */
  | { readonly type: "message"; readonly message: ConsensusMessage; readonly from: string }
  /** The consensus timer fired for (height, view). */
  | { readonly type: "timeout"; readonly height: bigint; readonly view: bigint }
  /** The block asked for by `buildBlock`. */
  | { readonly type: "propose"; readonly height: bigint; readonly view: bigint; readonly block: Uint8Array }
  /** Result of `validateBlock` (full validation: header, parent, txs, execution). */
  | { readonly type: "blockValidated"; readonly hash: Uint8Array; readonly valid: boolean; readonly reason?: string }
  /** Verdicts of a `verify` action, one per check. */
  | { readonly type: "verified"; readonly id: number; readonly results: readonly boolean[] }
  /** A block with its commit proof fetched by sync after `requestSync`. */
  | { readonly type: "syncedBlock"; readonly block: Uint8Array; readonly commit: AggregateProof; readonly from: string };

/** Outputs of the state machine, to be executed in order. */
export type ConsensusAction =
  /** Write the record durably before executing any later action. */
  | { readonly type: "persistSafety"; readonly record: SafetyRecord }
  /** Send to the node holding committee slot `toSlot` (votes go to the leader). */
  | { readonly type: "send"; readonly toSlot: number; readonly message: ConsensusMessage }
  | { readonly type: "broadcast"; readonly message: ConsensusMessage }
  /** (Re)arm the single consensus timer; fire `timeout` with (height, view) after delayMs. */
  | { readonly type: "setTimer"; readonly height: bigint; readonly view: bigint; readonly delayMs: number }
  /** As leader: build a block on the head; answer with a `propose` event. */
  | { readonly type: "buildBlock"; readonly height: bigint; readonly view: bigint; readonly parentHash: Uint8Array; readonly lastCommit: AggregateProof | null }
  /** Fully validate a proposed block; answer with `blockValidated`. */
  | { readonly type: "validateBlock"; readonly height: bigint; readonly view: bigint; readonly hash: Uint8Array; readonly block: Uint8Array }
  /** The block is final: store it with its commit proof (the next header carries the proof). */
  | { readonly type: "commitBlock"; readonly height: bigint; readonly hash: Uint8Array; readonly block: Uint8Array; readonly blockView: bigint; readonly commit: AggregateProof }
  /** Check signatures with the VoteVerifier; answer with `verified` carrying the same id. */
  | { readonly type: "verify"; readonly id: number; readonly checks: readonly SignatureCheck[] }
  /** Double signing seen: keep and expose it. */
  | { readonly type: "evidence"; readonly evidence: DoubleSignEvidence }
  /** The peer sent an invalid or useless message: score it down. */
  | { readonly type: "penalize"; readonly from: string; readonly reason: string }
  /** This node is behind: fetch committed blocks from `fromHeight` and feed them as `syncedBlock`. */
  | { readonly type: "requestSync"; readonly fromHeight: bigint }
  /**
   * Another node signs with our keys (a signature our safety record does not account for): this node
   * has stopped signing; alert the operator.
   */
  | { readonly type: "doppelganger"; readonly slots: readonly number[]; readonly message: ConsensusMessage }
  /** Informational: the node entered (height, view) with this leader (logs, metrics). */
  | { readonly type: "viewChanged"; readonly height: bigint; readonly view: bigint; readonly leader: number; readonly reason: "start" | "height" | "rotation" | "timeout" | "join" | "newview" };
