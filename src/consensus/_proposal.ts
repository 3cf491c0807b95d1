/** Proposals: the leader's block (ANNOUNCE), its validation, and what a validated block leads to. */
import { isValidBitmap } from "./bitmap.ts";
import type { BlockInfo } from "./blockCodec.ts";
import { bitmapPower, isQuorum } from "./committee.ts";
import type { Announce } from "./messages.ts";
import { commitPayload } from "./payload.ts";
import { checkPrepare, recordPrepare } from "./safety.ts";
import {
  type Ctx, aggregateCheck, blockInfo, buffer, committeeOf, isLeader, isSingleSigner, keepBlock, leaderOf, messageCheck, penalize, persist, requestChecks, requestSync, resetRound, armTimer, signMessage,
} from "./_core.ts";
import { addOwnVote, makeVote, sendCommit, sendPrepare } from "./_round.ts";
import { canSign } from "./_doppelganger.ts";
import { sendNewView } from "./_viewChange.ts";
import { hexKey, sameBytes } from "./_hex.ts";

/** The driver's block for (height, view) arrived (answer to `buildBlock`). */
export function onPropose(c: Ctx, height: bigint, view: bigint, block: Uint8Array): void {
  const s = c.s;
  if (!s.round.building || height !== s.height || view !== s.view) return;
  s.round.building = false;
  const info = c.x.blockCodec.decodeBlockInfo(block);
  // The driver built it on our head for our view; anything else is a broken invariant.
  if (info.number !== height || !sameBytes(info.parentHash, s.head.hash) || info.viewId !== view) {
    throw new Error(`buildBlock answered with block ${info.number}/view ${info.viewId} that does not extend head ${s.head.number} in view ${view}`);
  }
  keepBlock(c, info, block);
  s.round.proposal = { block, info, reproposal: false, validation: "valid" };
  if (s.round.newViewDue) sendNewView(c);
  else announce(c);
}

/** As leader: record our PREPARE, broadcast ANNOUNCE, count our own vote. */
function announce(c: Ctx): void {
  const s = c.s;
  const p = s.round.proposal;
  if (!p || !canSign(c) || checkPrepare(s.safety, s.height, s.view, p.info.hash) !== null) return;
  persist(c, recordPrepare(s.safety, s.height, s.view, p.info.hash));
  const msg = signMessage<Announce>(c, {
    kind: "announce", height: s.height, view: s.view, signers: new Uint8Array(0), signature: new Uint8Array(0), blockHash: p.info.hash, block: p.block,
  }, [leaderOf(c, s.view)]);
  c.out.push({ type: "broadcast", message: msg });
  s.phase = "prepare";
  s.round.sentPrepare = true;
  addOwnVote(c, makeVote(c, "prepare"));
}

/** True when this node has signed nothing at the current height. */
function untouched(c: Ctx): boolean {
  const r = c.s.safety;
  return r.height !== c.s.height || (r.prepare === null && r.commit === null && r.viewChange === null);
}

/**
 * ANNOUNCE: accepted in the view a height started in, or (a node that has signed nothing at this
 * height) in a later view by at most one leader cycle, which lets a node that lags in views follow.
 */
export function onAnnounce(c: Ctx, msg: Announce, from: string): void {
  const s = c.s;
  if (msg.height < s.height || msg.view < s.view) return;
  if (msg.height > s.height) {
    if (msg.height === s.height + 1n) catchUpFromChild(c, msg.block, from);
    buffer(c, msg, from);
    return;
  }
  if (!acceptableAnnounce(c, msg)) return;
  const leader = leaderOf(c, msg.view);
  if (s.config.mySlots.includes(leader)) return;
  if (!isSingleSigner(c, msg.signers, leader)) return penalize(c, from, "announce not signed by the leader");
  const info = blockInfo(c, msg.block, from);
  if (!info) return;
  if (info.number !== msg.height || !sameBytes(info.hash, msg.blockHash) || info.viewId !== msg.view || !sameBytes(info.parentHash, s.head.hash)) {
    return penalize(c, from, "announced block does not match the announce or the head");
  }
  requestChecks(c, [messageCheck(c, msg)], { kind: "message", msg, from, full: true });
}

function acceptableAnnounce(c: Ctx, msg: Announce): boolean {
  const s = c.s;
  if (s.round.proposal !== null || s.mode !== "normal") return false;
  if (msg.view === s.view) return s.view === s.entryView;
  return untouched(c) && msg.view - s.view <= BigInt(committeeOf(c).size);
}

/** ANNOUNCE with a valid leader signature. */
export function onVerifiedAnnounce(c: Ctx, msg: Announce, from: string): void {
  const s = c.s;
  if (msg.height !== s.height || msg.view < s.view || !acceptableAnnounce(c, msg)) return;
  const info = c.x.blockCodec.decodeBlockInfo(msg.block);
  if (msg.view > s.view) {
    s.view = msg.view;
    s.entryView = msg.view;
    s.run = 0;
    resetRound(c);
    armTimer(c);
    c.out.push({ type: "viewChanged", height: s.height, view: s.view, leader: leaderOf(c, s.view), reason: "join" });
  }
  propose(c, msg.block, info, from, false);
}

/** Take `block` as the proposal of this view and ask the driver to validate it. */
export function propose(c: Ctx, block: Uint8Array, info: BlockInfo, from: string, reproposal: boolean): void {
  const s = c.s;
  keepBlock(c, info, block);
  s.round.proposal = { block, info, reproposal, validation: "pending" };
  s.round.proposer = from;
  s.phase = "validate";
  c.out.push({ type: "validateBlock", height: s.height, view: s.view, hash: info.hash, block });
}

/** The driver's verdict on the proposal. */
export function onBlockValidated(c: Ctx, hash: Uint8Array, valid: boolean, reason: string | undefined): void {
  const s = c.s;
  const p = s.round.proposal;
  if (!p || p.validation !== "pending" || !sameBytes(p.info.hash, hash)) return;
  if (!valid) {
    s.round.proposal = { ...p, validation: "invalid" };
    penalize(c, s.round.proposer, `invalid block: ${reason ?? "rejected by validation"}`);
    return;
  }
  s.round.proposal = { ...p, validation: "valid" };
  if (s.round.newViewDue && isLeader(c, s.view)) sendNewView(c);
  else if (p.reproposal || s.round.cert) sendCommit(c);
  else sendPrepare(c);
}

/**
 * A block of the next height carries the commit proof of its parent: if the parent is the block we
 * have for our height, check the proof and commit it; without the parent, ask for sync.
 */
export function catchUpFromChild(c: Ctx, child: Uint8Array, from: string): void {
  const s = c.s;
  let info: BlockInfo;
  try {
    info = c.x.blockCodec.decodeBlockInfo(child);
  } catch {
    return;
  }
  const parent = s.blocks.get(hexKey(info.parentHash));
  if (!parent) return requestSync(c);
  for (const p of s.pending.values()) if (p.kind === "parentCommit" && p.info.number === s.height) return;
  const pInfo = c.x.blockCodec.decodeBlockInfo(parent);
  const proof = { signature: info.lastCommitSig, bitmap: info.lastCommitBitmap };
  const n = committeeOf(c);
  if (pInfo.number !== s.height || proof.signature.length !== 96 || !isValidBitmap(proof.bitmap, n.size) || !isQuorum(bitmapPower(n, proof.bitmap), n.totalPower)) return;
  requestChecks(c, [aggregateCheck(c, proof.bitmap, commitPayload(pInfo.number, pInfo.hash, pInfo.viewId), proof.signature)], {
    kind: "parentCommit", block: parent, info: pInfo, proof, from,
  });
}
