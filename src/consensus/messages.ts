/**
 * The FBFT messages (DESIGN §Consensus) as immutable plain data. Every message names its height and
 * view and carries `signers` (a committee bitmap) and `signature` (their aggregate BLS signature).
 * Votes (PREPARE, COMMIT) sign the vote payload; leader messages (ANNOUNCE, PREPARED, COMMITTED,
 * NEWVIEW) and VIEWCHANGE sign their own encoding with the signature field empty ({@link
 * ./codec.ts signingBytes}). A node holding several keys sends one vote signed by all of them.
 */

/** An aggregate signature and the bitmap of its signers. */
export interface AggregateProof {
  readonly signature: Uint8Array;
  readonly bitmap: Uint8Array;
}

/** M1: a block with the aggregate of more than 2/3 PREPARE signatures over its hash. */
export interface PreparedProof {
  readonly block: Uint8Array;
  readonly cert: AggregateProof;
}

/** One part of M3: VIEWCHANGE claim signatures that name the same lock, aggregated. */
export interface ViewChangeGroup {
  /** Empty (no lock: Harmony's M2 "nil") or the 32-byte hash the signers are locked on. */
  readonly lockHash: Uint8Array;
  readonly signature: Uint8Array;
  readonly bitmap: Uint8Array;
}

interface Base {
  readonly height: bigint;
  readonly view: bigint;
  readonly signers: Uint8Array;
  readonly signature: Uint8Array;
}

/** Leader → all: the proposed block, signed by the leader. */
export interface Announce extends Base {
  readonly kind: "announce";
  readonly blockHash: Uint8Array;
  readonly block: Uint8Array;
}

/** Validator → leader: signature over the block hash. */
export interface Prepare extends Base {
  readonly kind: "prepare";
  readonly blockHash: Uint8Array;
}

/** Leader → all: > 2/3 prepare signatures (cert) and the block. */
export interface Prepared extends Base {
  readonly kind: "prepared";
  readonly blockHash: Uint8Array;
  readonly block: Uint8Array;
  readonly cert: AggregateProof;
}

/** Validator → leader: signature over the commit payload of (height, blockHash, blockView). */
export interface Commit extends Base {
  readonly kind: "commit";
  readonly blockHash: Uint8Array;
  /** The block header's view (the third field of the commit payload). */
  readonly blockView: bigint;
}

/** Leader → all: > 2/3 commit signatures; the block is final. */
export interface Committed extends Base {
  readonly kind: "committed";
  readonly blockHash: Uint8Array;
  readonly blockView: bigint;
  readonly cert: AggregateProof;
}

/** Validator → all: leave for `view`, naming the block it is locked on (if any) with its M1. */
export interface ViewChange extends Base {
  readonly kind: "viewchange";
  /** Empty or the hash of the block the sender committed to at this height. */
  readonly lockHash: Uint8Array;
  /** The signers' aggregate signature over {@link ./payload.ts viewChangePayload}. */
  readonly claimSignature: Uint8Array;
  /** M1 of the lock; present exactly when lockHash is. */
  readonly prepared: PreparedProof | null;
}

/**
 * New leader → all: M3 (the VIEWCHANGE claims of > 2/3 of the power, grouped by lock) and the block
 * of the new view: the locked block re-proposed with its M1 cert, or (all claims nil) a new block.
 */
export interface NewView extends Base {
  readonly kind: "newview";
  readonly groups: readonly ViewChangeGroup[];
  readonly block: Uint8Array;
  /** M1 of a re-proposed block; null for a new block. */
  readonly cert: AggregateProof | null;
}

/** Any FBFT message. */
export type ConsensusMessage = Announce | Prepare | Prepared | Commit | Committed | ViewChange | NewView;

/** The kind tag of a message. */
export type MessageKind = ConsensusMessage["kind"];

/** Kinds sent by a leader (or any sender) signed over their own encoding. */
export const SELF_SIGNED_KINDS: ReadonlySet<MessageKind> = new Set(["announce", "prepared", "committed", "viewchange", "newview"]);
