/** Height and view transitions: start, commit of a block, timeouts and the start of a view change. */
import { slotsOfBitmap } from "./bitmap.ts";
import type { BlockInfo } from "./blockCodec.ts";
import { isQuorum, slotsPower } from "./committee.ts";
import { nextView } from "./leader.ts";
import type { AggregateProof, ViewChange } from "./messages.ts";
import { viewChangePayload } from "./payload.ts";
import { checkViewChange, lockHashAt, recordViewChange } from "./safety.ts";
import type { ConsensusAction } from "./types.ts";
import { type Ctx, armTimer, committeeOf, isLeader, leaderOf, persist, requestSync, resetRound, signMessage } from "./_core.ts";
import { canSign, roundPassed } from "./_doppelganger.ts";
import { hexKey } from "./_hex.ts";
import { tryNewView } from "./_viewChange.ts";

type Reason = Extract<ConsensusAction, { type: "viewChanged" }>["reason"];

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
  const view = s.view > info.viewId ? s.view : info.viewId;
  let run = info.viewId === view ? (s.head.viewId === info.viewId ? s.run + 1 : 1) : 0;
  s.head = { number: info.number, hash: info.hash, viewId: info.viewId, commit: proof };
  s.recentBitmaps = [...s.recentBitmaps, proof.bitmap].slice(-4);
  s.height = info.number + 1n;
  let next = view;
  let reason: Reason = "height";
  const k = s.config.blocksPerLeader;
  if (k !== null && run >= k) {
    next = nextView(committeeOf(c), view, { failed: false, recentBitmaps: s.recentBitmaps });
    run = 0;
    reason = "rotation";
  }
  s.view = next;
  s.entryView = next;
  s.run = run;
  s.failedViews = 0;
  s.viewChanges = new Map();
  s.relayed = new Set();
  s.blocks = new Map();
  beginView(c, reason);
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

/**
 * Leave for view `target`: sign and broadcast VIEWCHANGE(target) naming this node's lock with its
 * M1 (the safety record is written first), arm the back-off timer, and, as the new leader, see
 * whether the view change is already complete.
 */
export function startViewChange(c: Ctx, target: bigint, reason: Reason): void {
  const s = c.s;
  s.view = target;
  s.mode = "viewChange";
  s.phase = "viewChange";
  s.ownViewChange = null;
  resetRound(c);
  signViewChange(c);
  armTimer(c);
  c.out.push({ type: "viewChanged", height: s.height, view: target, leader: leaderOf(c, target), reason });
  if (isLeader(c, target)) tryNewView(c);
}

/** Sign and broadcast VIEWCHANGE for the current view (the safety record is written first). */
function signViewChange(c: Ctx): void {
  const s = c.s;
  const lockHash = lockHashAt(s.safety, s.height);
  if (!canSign(c) || checkViewChange(s.safety, s.height, s.view, lockHash) !== null) return;
  persist(c, recordViewChange(s.safety, s.height, s.view, lockHash));
  const slots = s.config.mySlots;
  const vc = signMessage<ViewChange>(c, {
    kind: "viewchange", height: s.height, view: s.view, signers: new Uint8Array(0), signature: new Uint8Array(0), lockHash,
    claimSignature: c.x.signer.sign(slots, viewChangePayload(s.height, s.view, lockHash)),
    prepared: lockHash.length > 0 ? s.safety.lock : null,
  }, slots);
  s.ownViewChange = vc;
  c.out.push({ type: "broadcast", message: vc });
  addViewChange(c, vc, "", true);
}

/**
 * The timer of (height, view) fired. In normal mode the view failed: change view. In a view change,
 * escalate only once more than 2/3 have left this view (VIEWCHANGE for it or a later one), so a lone
 * node does not run ahead of the rest; until then re-send our VIEWCHANGE and wait again.
 */
export function onTimeout(c: Ctx, height: bigint, view: bigint): void {
  const s = c.s;
  if (!s.started || height !== s.height || view !== s.view) return;
  // A sync asked for at this height has not delivered by now: ask again (maybe another peer).
  if (s.syncFrom >= s.height) {
    s.syncFrom = -1n;
    requestSync(c);
  }
  s.relayed = new Set();
  roundPassed(c);
  if (s.mode === "viewChange" && !isQuorum(leftPower(c, s.view), committeeOf(c).totalPower)) {
    // Re-send ours, or sign it now if this node was still listening when it entered the view.
    if (s.ownViewChange) c.out.push({ type: "broadcast", message: s.ownViewChange });
    else signViewChange(c);
    armTimer(c);
    if (isLeader(c, s.view)) tryNewView(c);
    return;
  }
  s.failedViews += 1;
  startViewChange(c, nextView(committeeOf(c), s.view, { failed: true, recentBitmaps: s.recentBitmaps }), "timeout");
}

/** Key of a block for the per-height block map. */
export function blockKey(info: BlockInfo): string {
  return hexKey(info.hash);
}
