/**
 * NEWVIEW at a validator. Valid when signed by the leader of its view, its M3 groups are disjoint,
 * correctly signed and together more than 2/3 of the power, and its block is either a new block of
 * that view (allowed only when every claim is nil) or a block some group is locked on, with its M1
 * prepare certificate (then validators COMMIT right away). A valid NEWVIEW moves the node to its
 * view: more than 2/3 asked for it.
 */
import { areDisjoint, isValidBitmap, orBitmaps } from "./bitmap.ts";
import { bitmapPower, isQuorum } from "./committee.ts";
import type { NewView } from "./messages.ts";
import { preparePayload, viewChangePayload } from "./payload.ts";
import { type Ctx, aggregateCheck, armTimer, blockInfo, buffer, committeeOf, isQuorumProof, isSingleSigner, leaderOf, messageCheck, penalize, requestChecks, resetRound } from "./_core.ts";
import { propose } from "./_proposal.ts";
import { sameBytes } from "./_hex.ts";
import { checkOwnKeys } from "./_doppelganger.ts";

function structurallyValid(c: Ctx, msg: NewView, from: string): boolean {
  const s = c.s;
  const n = committeeOf(c);
  const bad = (why: string) => {
    penalize(c, from, `newview: ${why}`);
    return false;
  };
  if (!isSingleSigner(c, msg.signers, leaderOf(c, msg.view))) return bad("not signed by the leader of its view");
  for (const [i, g] of msg.groups.entries()) {
    if (!isValidBitmap(g.bitmap, n.size)) return bad(`group ${i} bitmap malformed`);
    for (const h of msg.groups.slice(i + 1)) if (!areDisjoint(g.bitmap, h.bitmap)) return bad("groups overlap");
  }
  if (!isQuorum(bitmapPower(n, orBitmaps(msg.groups.map((g) => g.bitmap))), n.totalPower)) return bad("M3 below a quorum");
  const info = blockInfo(c, msg.block, from);
  if (!info) return false;
  if (info.number !== s.height || !sameBytes(info.parentHash, s.head.hash)) return bad("block does not extend the head");
  if (msg.cert === null) {
    if (msg.groups.some((g) => g.lockHash.length > 0)) return bad("new block while a lock is claimed");
    if (info.viewId !== msg.view) return bad("new block of another view");
  } else {
    if (!msg.groups.some((g) => sameBytes(g.lockHash, info.hash))) return bad("re-proposed block nobody is locked on");
    if (info.viewId >= msg.view || !isQuorumProof(c, msg.cert)) return bad("re-proposal without a valid M1");
  }
  return true;
}

/** NEWVIEW arrived. */
export function onNewView(c: Ctx, msg: NewView, from: string): void {
  const s = c.s;
  if (msg.height < s.height || (msg.height === s.height && msg.view < s.view)) return;
  if (msg.height > s.height) return buffer(c, msg, from);
  if (msg.view === s.view && s.round.fromNewView) return;
  if (c.s.config.mySlots.includes(leaderOf(c, msg.view)) || !structurallyValid(c, msg, from)) return;
  const hash = c.x.blockCodec.decodeBlockInfo(msg.block).hash;
  const checks = [messageCheck(c, msg), ...msg.groups.map((g) => aggregateCheck(c, g.bitmap, viewChangePayload(msg.height, msg.view, g.lockHash), g.signature))];
  if (msg.cert) checks.push(aggregateCheck(c, msg.cert.bitmap, preparePayload(hash), msg.cert.signature));
  requestChecks(c, checks, { kind: "message", msg, from, full: true });
}

/** NEWVIEW with valid signatures: enter its view and validate its block. */
export function onVerifiedNewView(c: Ctx, msg: NewView, from: string): void {
  const s = c.s;
  if (msg.height !== s.height || msg.view < s.view || (msg.view === s.view && s.round.fromNewView)) return;
  for (const g of msg.groups) checkOwnKeys(c, g.bitmap, "viewchange", { height: msg.height, view: msg.view, hash: g.lockHash }, msg);
  const moved = msg.view !== s.view || s.mode !== "normal";
  s.view = msg.view;
  s.mode = "normal";
  s.ownViewChange = null;
  resetRound(c);
  s.round.fromNewView = true;
  s.round.cert = msg.cert;
  armTimer(c);
  if (moved) c.out.push({ type: "viewChanged", height: s.height, view: s.view, leader: leaderOf(c, s.view), reason: "newview" });
  propose(c, msg.block, c.x.blockCodec.decodeBlockInfo(msg.block), from, msg.cert !== null);
}
