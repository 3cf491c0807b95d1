/**
 * State of the FBFT state machine and its construction (start or restore). The state is plain data;
 * `step` clones it before changing it and never mutates the input.
 */
import type { BlockInfo } from "./blockCodec.ts";
import type { Committee } from "./committee.ts";
import type { AggregateProof, Commit, ConsensusMessage, Prepare, ViewChange } from "./messages.ts";
import { type SafetyRecord, createSafetyRecord } from "./safety.ts";
import { createBitmap } from "./bitmap.ts";
import { nextView } from "./leader.ts";

/** Static parameters of one node for one committee (epoch). */
export interface ConsensusConfig {
  readonly committee: Committee;
  /** Committee slots whose keys this node holds (may be empty: an observer). */
  readonly mySlots: readonly number[];
  /** Base of the view-change timeout, ms (DESIGN: devnet 3 s, mainnet-like 6 s). */
  readonly viewChangeBaseMs: number;
  /** Blocks per leader before rotation (see `blocksPerLeader`), null when rotation is off. */
  readonly blocksPerLeader: number | null;
  /** Messages of later heights/views kept for when the node gets there. */
  readonly maxBufferedMessages: number;
  /**
   * Rounds to only listen after start before signing (doppelganger guard); 0 signs at once. A round
   * ends with a committed block or with a timeout, so listening ends even when the network needs
   * this node's votes to make progress.
   */
  readonly listenRounds: number;
}

/** The latest committed block. */
export interface ChainHead {
  readonly number: bigint;
  readonly hash: Uint8Array;
  /** Header view of the head block. */
  readonly viewId: bigint;
  /** Its commit proof (null for genesis). */
  readonly commit: AggregateProof | null;
}

/** Where a node is within (height, view). */
export type Phase = "idle" | "propose" | "announce" | "validate" | "prepare" | "commit" | "viewChange";

/** A block under consideration in the current view. */
export interface Proposal {
  readonly block: Uint8Array;
  readonly info: BlockInfo;
  /** True when it is a locked block re-proposed by NEWVIEW (validators go straight to COMMIT). */
  readonly reproposal: boolean;
  readonly validation: "pending" | "valid" | "invalid";
}

/** A vote received by the leader. */
export interface Vote {
  readonly msg: Prepare | Commit;
  readonly from: string;
}

/**
 * Votes of one phase at the leader. Only verified votes hold slots: unverified ones (pending, or in
 * the batch being checked) may claim the same slots as each other, so a forgery excludes nothing.
 */
export interface VoteBook {
  verified: Vote[];
  pending: Vote[];
  /** The batch at the verifier (empty when none is). */
  checking: Vote[];
  /** Slots of the verified votes. */
  taken: Uint8Array;
  /** Votes for another block, kept to find double signing. */
  foreign: Vote[];
}

/** Per (height, view) data. */
export interface Round {
  proposal: Proposal | null;
  /** Verified prepare certificate of the proposal (from PREPARED or NEWVIEW). */
  cert: AggregateProof | null;
  prepares: VoteBook;
  commits: VoteBook;
  /** `buildBlock` asked and not yet answered. */
  building: boolean;
  sentPrepare: boolean;
  sentCommit: boolean;
  sentPrepared: boolean;
  sentCommitted: boolean;
  /** Leader: NEWVIEW to send once the re-proposed block validates or the new block arrives. */
  newViewDue: boolean;
  /** The proposal of this view came in a NEWVIEW. */
  fromNewView: boolean;
  /** Peer that sent the proposal (penalized when the block is invalid). */
  proposer: string;
}

/** A verified VIEWCHANGE kept by the node. */
export interface ViewChangeEntry {
  readonly msg: ViewChange;
  readonly from: string;
  /** Message signature and M1 verified too (done by the leader of that view). */
  readonly full: boolean;
}

/** A message set aside until the node reaches its height/view. */
export interface Buffered {
  readonly msg: ConsensusMessage;
  readonly from: string;
}

/** A block from sync with its commit proof. */
export interface SyncedBlock {
  readonly block: Uint8Array;
  readonly commit: AggregateProof;
  readonly from: string;
}

/** Continuation of a `verify` action. */
export type PendingCheck =
  | { readonly kind: "message"; readonly msg: ConsensusMessage; readonly from: string; readonly full: boolean }
  | { readonly kind: "votes"; readonly phase: "prepare" | "commit"; readonly height: bigint; readonly view: bigint; readonly votes: readonly Vote[] }
  | { readonly kind: "foreign"; readonly vote: Vote; readonly against: Vote }
  | { readonly kind: "parentCommit"; readonly block: Uint8Array; readonly info: BlockInfo; readonly proof: AggregateProof; readonly from: string }
  | { readonly kind: "synced"; readonly block: Uint8Array; readonly info: BlockInfo; readonly proof: AggregateProof; readonly from: string }
  | { readonly kind: "futureHeight"; readonly height: bigint }
  | { readonly kind: "late"; readonly height: bigint; readonly vote: Vote };

/**
 * The leader's commit votes for the block it just committed, still collected until its next proposal
 * carries them (DESIGN §Consensus: the next header's `lastCommitSig`/`lastCommitBitmap` holds the
 * fullest valid set, so a slow honest validator still shows as available). Replaced, never mutated.
 */
export interface LateCommits {
  readonly height: bigint;
  readonly hash: Uint8Array;
  readonly blockView: bigint;
  /** Aggregate of the commit certificate and every late vote verified since. */
  readonly signature: Uint8Array;
  /** Slots it covers. */
  readonly taken: Uint8Array;
  /** Votes at the verifier. */
  readonly checking: number;
}

/** The whole state. Treat as immutable: `step` returns a new one. */
export interface ConsensusState {
  readonly config: ConsensusConfig;
  readonly started: boolean;
  /** Height being decided (head + 1). */
  readonly height: bigint;
  readonly view: bigint;
  readonly mode: "normal" | "viewChange";
  readonly phase: Phase;
  /** The view this height started in: a new block is accepted here without NEWVIEW. */
  readonly entryView: bigint;
  readonly head: ChainHead;
  /** Leader only: late commit votes for `head` (see {@link LateCommits}). */
  readonly late: LateCommits | null;
  /** Our latest COMMIT vote: the next leader counts its own signature in the late commits. */
  readonly myCommit: Commit | null;
  /** Commit bitmaps of the last blocks, oldest first (at most 4). */
  readonly recentBitmaps: readonly Uint8Array[];
  /** Trailing committed blocks whose header view is the current view (rotation counter). */
  readonly run: number;
  /** Consecutive failed views at this height (k of the timeout). */
  readonly failedViews: number;
  readonly safety: SafetyRecord;
  readonly round: Round;
  /** Verified VIEWCHANGEs at this height, by view (decimal string). */
  readonly viewChanges: ReadonlyMap<string, readonly ViewChangeEntry[]>;
  /** "slot:view" pairs we already relayed our VIEWCHANGEs to (this height). */
  readonly relayed: ReadonlySet<string>;
  /** Our own VIEWCHANGE of the current view, re-sent while waiting. */
  readonly ownViewChange: ViewChange | null;
  /** Blocks seen at this height and the last committed one, by hash hex. */
  readonly blocks: ReadonlyMap<string, Uint8Array>;
  readonly pending: ReadonlyMap<number, PendingCheck>;
  readonly nextCheckId: number;
  readonly buffered: readonly Buffered[];
  /** Blocks from sync for later heights, applied in order. */
  readonly synced: readonly SyncedBlock[];
  /** Highest height sync was asked from (-1 when never). */
  readonly syncFrom: bigint;
  /** Rounds (commits or timeouts) left to listen before signing. */
  readonly listening: number;
  /** Our keys were seen signing elsewhere: never sign again in this run. */
  readonly halted: boolean;
}

/** Arguments of {@link createConsensusState}. */
export interface CreateStateOptions {
  readonly config: Omit<ConsensusConfig, "maxBufferedMessages" | "listenRounds"> & { readonly maxBufferedMessages?: number; readonly listenRounds?: number };
  /** The latest committed block of the chain. */
  readonly head: ChainHead;
  /** Commit bitmaps of the latest blocks, oldest first (the last ≤ 4 are kept). */
  readonly recentBitmaps?: readonly Uint8Array[];
  /** Trailing blocks of the chain with the head's header view (see `computeRun`). */
  readonly run?: number;
  /** The stored safety record, when restarting. */
  readonly safety?: SafetyRecord | null;
}

/** Empty per-phase vote collection. */
export function emptyVoteBook(n: number): VoteBook {
  return { verified: [], pending: [], checking: [], taken: createBitmap(n), foreign: [] };
}

/** Empty per-view round. */
export function emptyRound(n: number): Round {
  return {
    proposal: null, cert: null, prepares: emptyVoteBook(n), commits: emptyVoteBook(n), building: false,
    sentPrepare: false, sentCommit: false, sentPrepared: false, sentCommitted: false, newViewDue: false, fromNewView: false, proposer: "",
  };
}

/**
 * Trailing blocks with the same header view as the last one: the rotation counter a node derives
 * from its chain at start (`viewIds` oldest first).
 */
export function computeRun(viewIds: readonly bigint[]): number {
  const last = viewIds[viewIds.length - 1];
  let run = 0;
  for (let i = viewIds.length - 1; i >= 0 && viewIds[i] === last; i--) run++;
  return run;
}

/**
 * The state of a node at start or restart. The view is the highest of the head's view and the
 * record's view (a node never signs below a view it signed in); when the head's leader has used up
 * its blocks, the height starts in the next view. A record of the current height restores the lock.
 * @throws {RangeError} on a slot outside the committee, a non-positive timeout base or a negative
 * listening period.
 */
export function createConsensusState(opts: CreateStateOptions): ConsensusState {
  const { committee } = opts.config;
  for (const s of opts.config.mySlots) if (!Number.isInteger(s) || s < 0 || s >= committee.size) throw new RangeError(`slot ${s} outside the committee`);
  if (!(opts.config.viewChangeBaseMs > 0)) throw new RangeError("viewChangeBaseMs must be positive");
  const config: ConsensusConfig = Object.freeze({ ...opts.config, mySlots: Object.freeze([...new Set(opts.config.mySlots)].sort((a, b) => a - b)), maxBufferedMessages: opts.config.maxBufferedMessages ?? 4 * committee.size + 64, listenRounds: opts.config.listenRounds ?? 0 });
  if (!Number.isInteger(config.listenRounds) || config.listenRounds < 0) throw new RangeError("listenRounds must be a non-negative integer");
  const height = opts.head.number + 1n;
  const recent = (opts.recentBitmaps ?? []).slice(-4);
  let run = opts.run ?? 0;
  let view = opts.head.viewId;
  if (config.blocksPerLeader !== null && run >= config.blocksPerLeader) {
    view = nextView(committee, view, { failed: false, recentBitmaps: recent });
    run = 0;
  }
  const record = opts.safety ?? null;
  if (record && record.view > view) {
    view = record.view;
    run = 0;
  }
  const safety = record && record.height >= height ? record : createSafetyRecord(height, record ? record.view : view);
  return Object.freeze({
    config, started: false, height, view, mode: "normal" as const, phase: "idle" as const, entryView: view,
    head: opts.head, late: null, myCommit: null, recentBitmaps: recent, run, failedViews: 0, safety, round: emptyRound(committee.size),
    viewChanges: new Map(), relayed: new Set<string>(), ownViewChange: null, blocks: new Map(), pending: new Map(), nextCheckId: 1,
    buffered: [], synced: [], syncFrom: -1n, listening: config.listenRounds, halted: false,
  });
}

/** Mutable working copy used inside `step`. */
export type Draft = { -readonly [K in keyof ConsensusState]: ConsensusState[K] } & {
  viewChanges: Map<string, ViewChangeEntry[]>;
  relayed: Set<string>;
  blocks: Map<string, Uint8Array>;
  pending: Map<number, PendingCheck>;
  buffered: Buffered[];
  synced: SyncedBlock[];
  round: Round;
};

function cloneBook(b: VoteBook): VoteBook {
  return { verified: [...b.verified], pending: [...b.pending], checking: [...b.checking], taken: b.taken.slice(), foreign: [...b.foreign] };
}

/** Copy of the containers `step` changes (byte arrays are never mutated, so they are shared). */
export function cloneState(s: ConsensusState): Draft {
  return {
    ...s,
    round: { ...s.round, prepares: cloneBook(s.round.prepares), commits: cloneBook(s.round.commits) },
    viewChanges: new Map([...s.viewChanges].map(([k, v]) => [k, [...v]])),
    relayed: new Set(s.relayed),
    blocks: new Map(s.blocks),
    pending: new Map(s.pending),
    buffered: [...s.buffered],
    synced: [...s.synced],
  };
}
