/**
 * The safety record (DESIGN §Consensus): what this node has signed at the current height, written
 * durably before any signature leaves (the `persistSafety` action precedes the sends it covers) and
 * restored at start, so a node never signs conflicting messages, even across a crash. The rules:
 * - never sign for a view lower than one already signed in (`view` only grows);
 * - at one (height, view), PREPARE for at most one block;
 * - at one height, COMMIT for at most one block: that block is the node's lock, and the record keeps
 *   its M1 (block and prepare certificate) so a restarted node can still carry it into view changes;
 * - at one (height, view), one VIEWCHANGE claim.
 * Safety of the protocol rests on the lock rule: two commit quorums intersect in more than 1/3 of
 * the power, so in some honest node, which never commits two blocks at one height.
 */
import type { PreparedProof } from "./messages.ts";
import { sameBytes } from "./_hex.ts";

/** What a node has signed. `prepare`, `commit`, `viewChange` and `lock` refer to `height`. */
export interface SafetyRecord {
  readonly height: bigint;
  /** Highest view this node has signed anything in (any height). */
  readonly view: bigint;
  readonly prepare: { readonly view: bigint; readonly hash: Uint8Array } | null;
  /** The COMMIT signed at this height: the lock (`view` = the view it was first signed in). */
  readonly commit: { readonly view: bigint; readonly hash: Uint8Array; readonly blockView: bigint } | null;
  readonly viewChange: { readonly view: bigint; readonly lockHash: Uint8Array } | null;
  /** M1 of the lock, carried into VIEWCHANGE messages. */
  readonly lock: PreparedProof | null;
}

/** Why a signature is refused, or null when it may be made. */
export type SafetyVerdict = null | "LOWER_VIEW" | "CONFLICTING_PREPARE" | "LOCKED_ON_OTHER_BLOCK" | "CONFLICTING_VIEWCHANGE";

/** An empty record at `height` (nothing signed yet there), never below `view`. */
export function createSafetyRecord(height: bigint, view: bigint): SafetyRecord {
  return Object.freeze({ height, view, prepare: null, commit: null, viewChange: null, lock: null });
}

// The record's entries as they apply to `height`: an older height has nothing to say about it.
function at(r: SafetyRecord, height: bigint): SafetyRecord {
  return r.height === height ? r : createSafetyRecord(height, r.view);
}

/** May this node sign PREPARE for `hash` at (height, view)? */
export function checkPrepare(r: SafetyRecord, height: bigint, view: bigint, hash: Uint8Array): SafetyVerdict {
  if (height < r.height || view < r.view) return "LOWER_VIEW";
  const a = at(r, height);
  if (a.prepare && a.prepare.view === view && !sameBytes(a.prepare.hash, hash)) return "CONFLICTING_PREPARE";
  if (a.commit && !sameBytes(a.commit.hash, hash)) return "LOCKED_ON_OTHER_BLOCK";
  return null;
}

/** May this node sign COMMIT for `hash` at (height, view)? */
export function checkCommit(r: SafetyRecord, height: bigint, view: bigint, hash: Uint8Array): SafetyVerdict {
  if (height < r.height || view < r.view) return "LOWER_VIEW";
  const a = at(r, height);
  if (a.commit && !sameBytes(a.commit.hash, hash)) return "LOCKED_ON_OTHER_BLOCK";
  return null;
}

/** May this node sign a VIEWCHANGE claim naming `lockHash` at (height, view)? */
export function checkViewChange(r: SafetyRecord, height: bigint, view: bigint, lockHash: Uint8Array): SafetyVerdict {
  if (height < r.height || view < r.view) return "LOWER_VIEW";
  const a = at(r, height);
  if (a.viewChange && a.viewChange.view === view && !sameBytes(a.viewChange.lockHash, lockHash)) return "CONFLICTING_VIEWCHANGE";
  return null;
}

/** The record after signing PREPARE. @throws {Error} when {@link checkPrepare} refuses (a broken invariant). */
export function recordPrepare(r: SafetyRecord, height: bigint, view: bigint, hash: Uint8Array): SafetyRecord {
  assertAllowed(checkPrepare(r, height, view, hash), "prepare");
  return Object.freeze({ ...at(r, height), view, prepare: { view, hash } });
}

/** The record after signing COMMIT (sets the lock). @throws {Error} when {@link checkCommit} refuses. */
export function recordCommit(r: SafetyRecord, height: bigint, view: bigint, lock: { hash: Uint8Array; blockView: bigint; proof: PreparedProof }): SafetyRecord {
  assertAllowed(checkCommit(r, height, view, lock.hash), "commit");
  const a = at(r, height);
  const commit = a.commit ?? { view, hash: lock.hash, blockView: lock.blockView };
  return Object.freeze({ ...a, view, commit, lock: a.lock ?? lock.proof });
}

/** The record after signing a VIEWCHANGE claim. @throws {Error} when {@link checkViewChange} refuses. */
export function recordViewChange(r: SafetyRecord, height: bigint, view: bigint, lockHash: Uint8Array): SafetyRecord {
  assertAllowed(checkViewChange(r, height, view, lockHash), "viewchange");
  return Object.freeze({ ...at(r, height), view, viewChange: { view, lockHash } });
}

/** The lock hash this node claims at `height` (empty when none). */
export function lockHashAt(r: SafetyRecord, height: bigint): Uint8Array {
  return r.height === height && r.commit ? r.commit.hash : new Uint8Array(0);
}

function assertAllowed(v: SafetyVerdict, what: string): void {
  // Callers check first; signing against the record is a broken invariant that must stop the node.
  if (v !== null) throw new Error(`safety record refuses ${what}: ${v}`);
}
