/**
 * Height and view transitions below every message handler: start, entering a view, committing a
 * block and moving to the next height, and the VIEWCHANGE book that both directions consult.
 */
import { areDisjoint, orBitmaps, slotsOfBitmap } from "./bitmap.ts";
import type { BlockInfo } from "./blockCodec.ts";
import { slotsPower } from "./committee.ts";
import { nextView } from "./leader.ts";
import type { AggregateProof, ViewChange } from "./messages.ts";
import type { ConsensusAction } from "./types.ts";
import { type Ctx, armTimer, committeeOf, isLeader, leaderOf, resetRound } from "./_core.ts";
import { canSign, roundPassed } from "./_doppelganger.ts";
import { hexKey, sameBytes } from "./_hex.ts";

/** Why the node entered a view (the `viewChanged` action). */
export type Reason = Extract<ConsensusAction, { type: "viewChanged" }>["reason"];

/** Enter the current (height, view) in normal mode: the leader asks for a block, others wait. */
export function beginView(c: Ctx, reason: Reason): void {
  const s = c.s;
  resetRound(c);
  s.mode = "normal";
  s.ownViewChange = null;
  armTimer(c);
  c.out.push({ type: "viewChanged", height: s.height, view: s.view, leader: leaderOf(c, s.view), reason });
  if (isLeader(c, s.view) && s.view === s.entryView && canSign(c)) {
    s.phase = "propose";
    s.round.building = true;
    c.out.push({ type: "buildBlock", height: s.height, view: s.view, parentHash: s.head.hash, lastCommit: s.head.commit });
  } else {
    s.phase = "announce";
  }
}

/** Handle `start`. */
export function onStart(c: Ctx): void {
  if (c.s.started) return;
  c.s.started = true;
  beginView(c, "start");
}

/**
 * The block is final: store it and move to the next height. The next height starts in the same
 * view unless the leader has proposed its share of blocks (rotation); a node that had already left
 * the block's view for a later one stays in the later view (views never go back).
 */
export function commitAndAdvance(c: Ctx, block: Uint8Array, info: BlockInfo, proof: AggregateProof): void {
  const s = c.s;
  c.out.push({ type: "commitBlock", height: info.number, hash: info.hash, block, blockView: info.viewId, commit: proof });
  roundPassed(c);
  const recentBitmaps = [...s.recentBitmaps, proof.bitmap].slice(-4);
  const { view, run, reason } = viewAfterCommit(c, info, recentBitmaps);
  s.head = { number: info.number, hash: info.hash, viewId: info.viewId, commit: proof };
  s.recentBitmaps = recentBitmaps;
  s.height = info.number + 1n;
  s.view = view;
  s.entryView = view;
  s.run = run;
  s.failedViews = 0;
  s.viewChanges = new Map();
  s.relayed = new Set();
  s.blocks = new Map();
  // The next proposer collects late COMMITs for this block (see _lateCommits.ts).
  s.late = isLeader(c, view) ? openLate(c, info, proof) : null;
  if (s.late !== null && s.late.taken !== proof.bitmap) s.head = { ...s.head, commit: { signature: s.late.signature, bitmap: s.late.taken } };
  beginView(c, reason);
}

// The late-commit book of the next proposer starts from the certificate plus our own COMMIT for the
// block, which a leader taking over at a handover signed as a validator.
function openLate(c: Ctx, info: BlockInfo, proof: AggregateProof): NonNullable<Ctx["s"]["late"]> {
  const mine = c.s.myCommit;
  const ours = mine !== null && mine.height === info.number && sameBytes(mine.blockHash, info.hash) && mine.blockView === info.viewId && areDisjoint(mine.signers, proof.bitmap);
  return {
    height: info.number,
    hash: info.hash,
    blockView: info.viewId,
    signature: ours ? c.x.aggregateSignatures([proof.signature, mine.signature]) : proof.signature,
    taken: ours ? orBitmaps([proof.bitmap, mine.signers]) : proof.bitmap,
    checking: 0,
  };
}

/**
 * The view the next height starts in once `info` is committed: the same view unless the leader has
 * proposed its share of blocks (rotation); a node already in a later view stays there.
 */
export function viewAfterCommit(c: Ctx, info: BlockInfo, recentBitmaps: readonly Uint8Array[]): { view: bigint; run: number; reason: Reason } {
  const s = c.s;
  const view = s.view > info.viewId ? s.view : info.viewId;
  const run = info.viewId === view ? (s.head.viewId === info.viewId ? s.run + 1 : 1) : 0;
  const k = s.config.blocksPerLeader;
  if (k !== null && run >= k) return { view: nextView(committeeOf(c), view, { failed: false, recentBitmaps }), run: 0, reason: "rotation" };
  return { view, run, reason: "height" };
}

/**
 * Power of the distinct signers of verified VIEWCHANGEs for `view` or any later view: a VIEWCHANGE
 * for view w says its sender has given up every view below w.
 */
export function leftPower(c: Ctx, view: bigint): bigint {
  const slots = new Set<number>();
  for (const [key, entries] of c.s.viewChanges) {
    if (BigInt(key) < view) continue;
    for (const e of entries) for (const i of slotsOfBitmap(e.msg.signers)) slots.add(i);
  }
  return slotsPower(committeeOf(c), slots);
}

/** Add a verified VIEWCHANGE to the book of its view. */
export function addViewChange(c: Ctx, msg: ViewChange, from: string, full: boolean): void {
  const key = msg.view.toString();
  c.s.viewChanges.set(key, [...(c.s.viewChanges.get(key) ?? []), { msg, from, full }]);
}

/** Key of a block for the per-height block map. */
export function blockKey(info: BlockInfo): string {
  return hexKey(info.hash);
}
