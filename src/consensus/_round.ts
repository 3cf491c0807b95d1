/**
 * This node's own votes and the leader's quorum: PREPARE and COMMIT signed for the current proposal
 * (the safety record written first), the leader's tally of verified votes, and the step to PREPARED
 * and COMMITTED. Below the message handlers, which all call into it; it calls only `_flow.ts`.
 */
import { orBitmaps } from "./bitmap.ts";
import { bitmapPower, isQuorum } from "./committee.ts";
import type { AggregateProof, Commit, Committed, Prepare, Prepared } from "./messages.ts";
import { commitPayload, preparePayload } from "./payload.ts";
import { checkCommit, checkPrepare, recordCommit, recordPrepare } from "./safety.ts";
import type { Vote, VoteBook } from "./state.ts";
import { type Ctx, committeeOf, isLeader, leaderOf, myBitmap, persist, signMessage } from "./_core.ts";
import { canSign } from "./_doppelganger.ts";
import { commitAndAdvance, viewAfterCommit } from "./_flow.ts";
import { onLateCommit } from "./_lateCommits.ts";

/** The two vote phases. */
export type VotePhase = "prepare" | "commit";

/** The leader's vote book of `phase` in this round. */
export function bookOf(c: Ctx, phase: VotePhase): VoteBook {
  return phase === "prepare" ? c.s.round.prepares : c.s.round.commits;
}

/** Voting power of the signers of `votes` (counted once per vote: callers keep them disjoint). */
export function votesPower(c: Ctx, votes: readonly Vote[]): bigint {
  let p = 0n;
  for (const v of votes) p += bitmapPower(committeeOf(c), v.msg.signers);
  return p;
}

/** This node's vote of `phase` on the current proposal, signed by all its keys. */
export function makeVote<P extends VotePhase>(c: Ctx, phase: P): P extends "prepare" ? Prepare : Commit;
export function makeVote(c: Ctx, phase: VotePhase): Prepare | Commit {
  const s = c.s;
  const p = s.round.proposal;
  if (!p) throw new Error("makeVote without a proposal");
  const base = { height: s.height, view: s.view, blockHash: p.info.hash, signers: myBitmap(c) };
  if (phase === "prepare") return Object.freeze({ kind: "prepare", ...base, signature: c.x.signer.sign(s.config.mySlots, preparePayload(p.info.hash)) });
  return Object.freeze({ kind: "commit", ...base, blockView: p.info.viewId, signature: c.x.signer.sign(s.config.mySlots, commitPayload(s.height, p.info.hash, p.info.viewId)) });
}

/** Count a verified vote: its slots are booked and no other vote can take them. */
export function bookVerified(c: Ctx, phase: VotePhase, vote: Vote): void {
  const book = bookOf(c, phase);
  book.verified.push(vote);
  book.taken = orBitmaps([book.taken, vote.msg.signers]);
}

/** Count the leader's own vote (trusted: we just signed it). */
export function addOwnVote(c: Ctx, vote: Prepare | Commit): void {
  bookVerified(c, vote.kind, { msg: vote, from: "" });
  maybeAdvance(c, vote.kind);
}

function certOf(c: Ctx, votes: readonly Vote[]): AggregateProof {
  return { signature: c.x.aggregateSignatures(votes.map((v) => v.msg.signature)), bitmap: orBitmaps(votes.map((v) => v.msg.signers)) };
}

/** Move on once the verified votes of `phase` are a quorum: PREPARED, then COMMITTED. */
export function maybeAdvance(c: Ctx, phase: VotePhase): void {
  const s = c.s;
  const p = s.round.proposal;
  const book = bookOf(c, phase);
  if (!p || !isQuorum(votesPower(c, book.verified), committeeOf(c).totalPower)) return;
  const leader = [leaderOf(c, s.view)];
  const empty = { signers: new Uint8Array(0), signature: new Uint8Array(0) };
  if (phase === "prepare" && !s.round.sentPrepared) {
    s.round.sentPrepared = true;
    const cert = certOf(c, book.verified);
    s.round.cert = cert;
    const msg = signMessage<Prepared>(c, { kind: "prepared", height: s.height, view: s.view, ...empty, blockHash: p.info.hash, block: p.block, cert }, leader);
    c.out.push({ type: "broadcast", message: msg });
    sendCommit(c);
  } else if (phase === "commit" && !s.round.sentCommitted) {
    s.round.sentCommitted = true;
    const cert = certOf(c, book.verified);
    const msg = signMessage<Committed>(c, { kind: "committed", height: s.height, view: s.view, ...empty, blockHash: p.info.hash, blockView: p.info.viewId, cert }, leader);
    c.out.push({ type: "broadcast", message: msg });
    // Votes that came with the quorum but were not counted yet (waiting, or at the verifier) are late
    // commits now: the round's books go with the height.
    const leftover = [...book.pending, ...book.checking];
    commitAndAdvance(c, p.block, p.info, cert);
    for (const v of leftover) if (v.msg.kind === "commit") onLateCommit(c, v.msg, v.from);
  }
}

/** Sign PREPARE for the validated proposal and send it to the leader (record first). */
export function sendPrepare(c: Ctx): void {
  const s = c.s;
  const p = s.round.proposal;
  s.phase = "prepare";
  if (!p || !canSign(c) || s.round.sentPrepare) return;
  if (checkPrepare(s.safety, s.height, s.view, p.info.hash) !== null) return;
  persist(c, recordPrepare(s.safety, s.height, s.view, p.info.hash));
  s.round.sentPrepare = true;
  const vote = makeVote(c, "prepare");
  if (isLeader(c, s.view)) addOwnVote(c, vote);
  else c.out.push({ type: "send", toSlot: leaderOf(c, s.view), message: vote });
}

/** Sign COMMIT for the validated, prepared proposal: the lock is recorded before the vote leaves. */
export function sendCommit(c: Ctx): void {
  const s = c.s;
  const p = s.round.proposal;
  const cert = s.round.cert;
  s.phase = "commit";
  if (!p || !cert || !canSign(c) || s.round.sentCommit) return;
  if (checkCommit(s.safety, s.height, s.view, p.info.hash) !== null) return;
  persist(c, recordCommit(s.safety, s.height, s.view, { hash: p.info.hash, blockView: p.info.viewId, proof: { block: p.block, cert } }));
  s.round.sentCommit = true;
  const vote = makeVote(c, "commit");
  s.myCommit = vote;
  if (isLeader(c, s.view)) addOwnVote(c, vote);
  else c.out.push({ type: "send", toSlot: leaderOf(c, s.view), message: vote });
  // At a handover the next leader builds on this block: it collects late COMMITs too. The schedule's
  // bitmaps may still change with this block's certificate, so this is a best guess (a wrong one costs
  // one message).
  const next = leaderOf(c, viewAfterCommit(c, p.info, [...s.recentBitmaps, cert.bitmap].slice(-4)).view);
  if (next !== leaderOf(c, s.view) && !s.config.mySlots.includes(next)) c.out.push({ type: "send", toSlot: next, message: vote });
}
