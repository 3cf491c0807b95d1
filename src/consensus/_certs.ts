/** Certificates from the leader (PREPARED, COMMITTED) and committed blocks from sync. */
import type { BlockInfo } from "./blockCodec.ts";
import type { AggregateProof, Committed, Prepared } from "./messages.ts";
import { commitProofCheck } from "./commitProof.ts";
import { preparePayload } from "./payload.ts";
import { type Ctx, aggregateCheck, blockInfo, buffer, committeeOf, isQuorumProof, isSingleSigner, leaderOf, messageCheck, penalize, requestChecks, requestSync } from "./_core.ts";
import { commitAndAdvance } from "./_flow.ts";
import { propose } from "./_proposal.ts";
import { sendCommit } from "./_round.ts";
import { hexKey, sameBytes } from "./_hex.ts";
import { checkOwnKeys } from "./_doppelganger.ts";

// Signed by the leader of its view, which is not us.
function fromLeader(c: Ctx, msg: Prepared | Committed, from: string): boolean {
  const leader = leaderOf(c, msg.view);
  if (c.s.config.mySlots.includes(leader)) return false;
  if (isSingleSigner(c, msg.signers, leader)) return true;
  penalize(c, from, `${msg.kind} not signed by the leader`);
  return false;
}

/** PREPARED: more than 2/3 prepared the block; validators COMMIT once they have validated it. */
export function onPrepared(c: Ctx, msg: Prepared, from: string): void {
  const s = c.s;
  if (msg.height < s.height || (msg.height === s.height && msg.view < s.view)) return;
  if (msg.height > s.height || msg.view > s.view || s.mode !== "normal") return buffer(c, msg, from);
  if (s.round.cert || (s.round.proposal && !sameBytes(s.round.proposal.info.hash, msg.blockHash))) return;
  if (!fromLeader(c, msg, from)) return;
  if (!isQuorumProof(c, msg.cert)) return penalize(c, from, "prepared certificate without a quorum");
  const info = blockInfo(c, msg.block, from);
  if (!info) return;
  if (info.number !== s.height || !sameBytes(info.hash, msg.blockHash) || !sameBytes(info.parentHash, s.head.hash) || info.viewId > msg.view) {
    return penalize(c, from, "prepared block does not match");
  }
  requestChecks(c, [messageCheck(c, msg), aggregateCheck(c, msg.cert.bitmap, preparePayload(msg.blockHash), msg.cert.signature)], { kind: "message", msg, from, full: true });
}

/** PREPARED with valid signatures. */
export function onVerifiedPrepared(c: Ctx, msg: Prepared, from: string): void {
  const s = c.s;
  if (msg.height !== s.height || msg.view !== s.view || s.mode !== "normal" || s.round.cert) return;
  const p = s.round.proposal;
  if (p && !sameBytes(p.info.hash, msg.blockHash)) return;
  s.round.cert = msg.cert;
  if (!p) return propose(c, msg.block, c.x.blockCodec.decodeBlockInfo(msg.block), from, false);
  if (p.validation === "valid") sendCommit(c);
}

/** COMMITTED: the block is final for every node that sees it, whatever view it is in. */
export function onCommitted(c: Ctx, msg: Committed, from: string): void {
  const s = c.s;
  if (msg.height < s.height) return;
  if (!fromLeader(c, msg, from)) return;
  const proof = commitProofCheck(committeeOf(c), { number: msg.height, hash: msg.blockHash, viewId: msg.blockView }, msg.cert.signature, msg.cert.bitmap);
  if (!proof.ok) return penalize(c, from, `commit certificate: ${proof.reason}`);
  const check = proof.check;
  if (msg.height > s.height) {
    buffer(c, msg, from);
    if (s.syncFrom < s.height) requestChecks(c, [check], { kind: "futureHeight", height: msg.height });
    return;
  }
  requestChecks(c, [messageCheck(c, msg), check], { kind: "message", msg, from, full: true });
}

/** COMMITTED with valid signatures: commit the block if we have it, else fetch it. */
export function onVerifiedCommitted(c: Ctx, msg: Committed): void {
  const s = c.s;
  if (msg.height !== s.height) return;
  checkOwnKeys(c, msg.cert.bitmap, "commit", { height: msg.height, view: msg.view, hash: msg.blockHash }, msg);
  const block = s.blocks.get(hexKey(msg.blockHash));
  if (!block) return requestSync(c);
  const info = c.x.blockCodec.decodeBlockInfo(block);
  if (info.viewId !== msg.blockView || !sameBytes(info.parentHash, s.head.hash)) return;
  // Final before our COMMIT left (the quorum formed without us): sign it still, for the next header's
  // bitmap — the block we validated and hold the PREPARED proof of can only be this final one.
  const p = s.round.proposal;
  if (p !== null && sameBytes(p.info.hash, msg.blockHash) && p.validation === "valid" && s.round.cert !== null && !s.round.sentCommit) sendCommit(c);
  commitAndAdvance(c, block, info, msg.cert);
}

/** A block fetched by sync with its commit proof; later heights wait in the buffer. */
export function onSyncedBlock(c: Ctx, block: Uint8Array, commit: AggregateProof, from: string): void {
  const s = c.s;
  const info = blockInfo(c, block, from);
  if (!info || info.number < s.height) return;
  if (info.number > s.height) return bufferSynced(c, block, commit, from);
  if (!sameBytes(info.parentHash, s.head.hash)) return penalize(c, from, "synced block does not extend the head");
  const proof = commitProofCheck(committeeOf(c), info, commit.signature, commit.bitmap);
  if (!proof.ok) return penalize(c, from, `synced block: ${proof.reason}`);
  for (const p of s.pending.values()) if (p.kind === "synced" && p.info.number === info.number) return;
  requestChecks(c, [proof.check], { kind: "synced", block, info, proof: commit, from });
}

function bufferSynced(c: Ctx, block: Uint8Array, commit: AggregateProof, from: string): void {
  const s = c.s;
  s.synced.push({ block, commit, from });
  if (s.synced.length > 64) s.synced.shift();
}

/** A commit proof checked for a block of our height (from sync or from the child's header). */
export function onVerifiedCommitProof(c: Ctx, block: Uint8Array, info: BlockInfo, proof: AggregateProof, ok: boolean, from: string): void {
  const s = c.s;
  if (!ok) return penalize(c, from, "invalid commit proof");
  if (info.number !== s.height || !sameBytes(info.parentHash, s.head.hash)) return;
  commitAndAdvance(c, block, info, proof);
}
