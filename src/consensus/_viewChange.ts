/**
 * View change: VIEWCHANGE messages are broadcast; every node keeps the verified ones of its height
 * to follow a view change that more than 1/3 of the power has started, and the leader of the new
 * view turns more than 2/3 of them into a NEWVIEW: the locked block re-proposed with its M1 when any
 * sender names a lock, a new block when all claims are nil.
 */
import { areDisjoint, orBitmaps, slotsOfBitmap } from "./bitmap.ts";
import { isOneThird, isQuorum, slotsPower } from "./committee.ts";
import type { NewView, ViewChange, ViewChangeGroup } from "./messages.ts";
import { preparePayload, viewChangePayload } from "./payload.ts";
import type { ViewChangeEntry } from "./state.ts";
import { nextView } from "./leader.ts";
import { checkPrepare, checkViewChange, lockHashAt, recordPrepare, recordViewChange } from "./safety.ts";
import {
  type Ctx, aggregateCheck, armTimer, committeeOf, isLeader, isQuorumProof, keepBlock, leaderOf, messageCheck, penalize, persist, requestChecks, requestSync, resetRound, signMessage,
} from "./_core.ts";
import { canSign, checkOwnKeys, roundPassed } from "./_doppelganger.ts";
import { type Reason, addViewChange, leftPower } from "./_flow.ts";
import { hexKey, sameBytes } from "./_hex.ts";
import { addOwnVote, makeVote, sendCommit } from "./_round.ts";

function entriesAt(c: Ctx, view: bigint): readonly ViewChangeEntry[] {
  return c.s.viewChanges.get(view.toString()) ?? [];
}

/** VIEWCHANGE arrived. Everyone checks the claim signature; the new leader also the message and M1. */
export function onViewChange(c: Ctx, msg: ViewChange, from: string): void {
  const s = c.s;
  if (msg.height < s.height) return;
  if (msg.height === s.height && msg.view < s.view) return relayTo(c, msg);
  const claim = aggregateCheck(c, msg.signers, viewChangePayload(msg.height, msg.view, msg.lockHash), msg.claimSignature);
  if (msg.height > s.height) {
    if (s.syncFrom < s.height) requestChecks(c, [claim], { kind: "futureHeight", height: msg.height });
    return;
  }
  if (entriesAt(c, msg.view).some((e) => !areDisjoint(e.msg.signers, msg.signers))) return;
  const full = isLeader(c, msg.view);
  const checks = [claim];
  if (full) {
    checks.push(messageCheck(c, msg));
    if (msg.prepared) {
      let ok = false;
      try {
        const info = c.x.blockCodec.decodeBlockInfo(msg.prepared.block);
        ok = info.number === s.height && sameBytes(info.hash, msg.lockHash) && sameBytes(info.parentHash, s.head.hash) && isQuorumProof(c, msg.prepared.cert);
      } catch {
        ok = false;
      }
      if (!ok) return penalize(c, from, "viewchange with an invalid M1");
      checks.push(aggregateCheck(c, msg.prepared.cert.bitmap, preparePayload(msg.lockHash), msg.prepared.cert.signature));
    }
  }
  requestChecks(c, checks, { kind: "message", msg, from, full });
}

/**
 * The sender is in an older view of our height: send it the VIEWCHANGEs we hold for its view and
 * later ones (they carry their own signatures), so it can complete or follow the view change it
 * missed. Once per sender slot and view of ours until our timer fires again.
 */
function relayTo(c: Ctx, msg: ViewChange): void {
  const s = c.s;
  const slot = slotsOfBitmap(msg.signers)[0];
  if (slot === undefined || s.config.mySlots.includes(slot)) return;
  const key = `${slot}:${s.view}`;
  if (s.relayed.has(key)) return;
  s.relayed.add(key);
  for (const [view, entries] of s.viewChanges) {
    if (BigInt(view) < msg.view) continue;
    for (const e of entries) if (areDisjoint(e.msg.signers, msg.signers)) c.out.push({ type: "send", toSlot: slot, message: e.msg });
  }
}

/** VIEWCHANGE with valid signatures: keep it, maybe join the view change, maybe send NEWVIEW. */
export function onVerifiedViewChange(c: Ctx, msg: ViewChange, from: string, full: boolean): void {
  const s = c.s;
  if (msg.height !== s.height || msg.view < s.view) return;
  if (entriesAt(c, msg.view).some((e) => !areDisjoint(e.msg.signers, msg.signers))) return;
  checkOwnKeys(c, msg.signers, "viewchange", { height: msg.height, view: msg.view, hash: msg.lockHash }, msg);
  addViewChange(c, msg, from, full);
  if (full && msg.prepared) keepBlock(c, c.x.blockCodec.decodeBlockInfo(msg.prepared.block), msg.prepared.block);
  maybeJoin(c);
  if (msg.view === s.view && s.mode === "viewChange" && isLeader(c, s.view)) tryNewView(c);
}

/**
 * More than 1/3 of the power asks for views above ours (or for ours while we still wait in it
 * normally): some honest node is there, so we go to the lowest of those views and send ours.
 */
function maybeJoin(c: Ctx): void {
  const s = c.s;
  const slots = new Set<number>();
  let lowest: bigint | null = null;
  for (const [key, entries] of s.viewChanges) {
    const view = BigInt(key);
    if (view < s.view || (view === s.view && s.mode === "viewChange")) continue;
    for (const e of entries) for (const i of slotsOfBitmap(e.msg.signers)) slots.add(i);
    if (lowest === null || view < lowest) lowest = view;
  }
  if (lowest === null || !isOneThird(slotsPower(committeeOf(c), slots), committeeOf(c).totalPower)) return;
  s.failedViews += 1;
  startViewChange(c, lowest, "join");
}

/** As leader of the view being changed to: send NEWVIEW once more than 2/3 have asked for it. */
export function tryNewView(c: Ctx): void {
  const s = c.s;
  if (s.round.newViewDue || s.mode !== "viewChange" || !canSign(c)) return;
  const entries = entriesAt(c, s.view).filter((e) => e.full);
  const power = slotsPower(committeeOf(c), entries.flatMap((e) => slotsOfBitmap(e.msg.signers)));
  if (!isQuorum(power, committeeOf(c).totalPower)) return;
  const byLock = new Map<string, bigint>();
  for (const e of entries) {
    if (e.msg.lockHash.length === 0) continue;
    const k = hexKey(e.msg.lockHash);
    byLock.set(k, (byLock.get(k) ?? 0n) + slotsPower(committeeOf(c), slotsOfBitmap(e.msg.signers)));
  }
  s.round.newViewDue = true;
  if (byLock.size > 0) {
    // Re-propose the block most of the locked power is locked on (ties: lowest hash).
    const [best] = [...byLock].sort((a, b) => (a[1] === b[1] ? (a[0] < b[0] ? -1 : 1) : a[1] > b[1] ? -1 : 1))[0] as [string, bigint];
    const e = entries.find((x) => hexKey(x.msg.lockHash) === best) as ViewChangeEntry;
    const proof = e.msg.prepared;
    if (!proof) return;
    const info = c.x.blockCodec.decodeBlockInfo(proof.block);
    keepBlock(c, info, proof.block);
    s.round.proposal = { block: proof.block, info, reproposal: true, validation: "pending" };
    s.round.cert = proof.cert;
    s.phase = "validate";
    c.out.push({ type: "validateBlock", height: s.height, view: s.view, hash: info.hash, block: proof.block });
    return;
  }
  // All nil: a new block. A block this node already announced in this view is reused, since a
  // second one would be two blocks at one height and view.
  const prepared = s.safety.height === s.height && s.safety.prepare?.view === s.view ? s.blocks.get(hexKey(s.safety.prepare.hash)) : undefined;
  if (prepared) {
    s.round.proposal = { block: prepared, info: c.x.blockCodec.decodeBlockInfo(prepared), reproposal: false, validation: "valid" };
    return sendNewView(c);
  }
  s.phase = "propose";
  s.round.building = true;
  c.out.push({ type: "buildBlock", height: s.height, view: s.view, parentHash: s.head.hash, lastCommit: s.head.commit });
}

function groupsOf(c: Ctx, entries: readonly ViewChangeEntry[]): ViewChangeGroup[] {
  const byLock = new Map<string, ViewChangeEntry[]>();
  for (const e of entries) byLock.set(hexKey(e.msg.lockHash), [...(byLock.get(hexKey(e.msg.lockHash)) ?? []), e]);
  return [...byLock.values()].map((group) => ({
    lockHash: (group[0] as ViewChangeEntry).msg.lockHash,
    signature: c.x.aggregateSignatures(group.map((e) => e.msg.claimSignature)),
    bitmap: orBitmaps(group.map((e) => e.msg.signers)),
  }));
}

/** Broadcast NEWVIEW with the proposal of this view and cast our own vote on it. */
export function sendNewView(c: Ctx): void {
  const s = c.s;
  const p = s.round.proposal;
  if (!p || !s.round.newViewDue) return;
  s.round.newViewDue = false;
  const reproposal = p.reproposal;
  if (!reproposal) {
    if (checkPrepare(s.safety, s.height, s.view, p.info.hash) !== null) return;
    persist(c, recordPrepare(s.safety, s.height, s.view, p.info.hash));
  }
  const msg = signMessage<NewView>(c, {
    kind: "newview", height: s.height, view: s.view, signers: new Uint8Array(0), signature: new Uint8Array(0),
    groups: groupsOf(c, entriesAt(c, s.view).filter((e) => e.full)), block: p.block, cert: reproposal ? s.round.cert : null,
  }, [leaderOf(c, s.view)]);
  s.mode = "normal";
  c.out.push({ type: "broadcast", message: msg });
  if (reproposal) return sendCommit(c);
  s.phase = "prepare";
  s.round.sentPrepare = true;
  addOwnVote(c, makeVote(c, "prepare"));
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
