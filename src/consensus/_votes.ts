/**
 * The leader's vote collection. Votes are kept unverified until they could make a quorum; then the
 * whole batch goes to the verifier at once (an aggregate check, bisected only on failure), bad votes
 * are dropped and their senders penalized. Votes for another block are kept to find double signing.
 */
import { areDisjoint, countBits, intersectSlots, isValidBitmap, orBitmaps } from "./bitmap.ts";
import { bitmapPower, isQuorum } from "./committee.ts";
import { findDoubleSign } from "./evidence.ts";
import type { AggregateProof, Commit, Committed, Prepare, Prepared } from "./messages.ts";
import { commitPayload, preparePayload } from "./payload.ts";
import type { Vote, VoteBook } from "./state.ts";
import { type Ctx, aggregateCheck, buffer, committeeOf, isLeader, leaderOf, myBitmap, penalize, requestChecks, signMessage } from "./_core.ts";
import { commitAndAdvance } from "./_flow.ts";
import { sendCommit } from "./_proposal.ts";
import { sameBytes } from "./_hex.ts";
import { checkOwnKeys } from "./_doppelganger.ts";

const MAX_FOREIGN_VOTES = 64;

type Phase = "prepare" | "commit";

function bookOf(c: Ctx, phase: Phase): VoteBook {
  return phase === "prepare" ? c.s.round.prepares : c.s.round.commits;
}

/** This node's vote of `phase` on the current proposal, signed by all its keys. */
export function makeVote<P extends Phase>(c: Ctx, phase: P): P extends "prepare" ? Prepare : Commit;
export function makeVote(c: Ctx, phase: Phase): Prepare | Commit {
  const s = c.s;
  const p = s.round.proposal;
  if (!p) throw new Error("makeVote without a proposal");
  const base = { height: s.height, view: s.view, blockHash: p.info.hash, signers: myBitmap(c) };
  if (phase === "prepare") return Object.freeze({ kind: "prepare", ...base, signature: c.x.signer.sign(s.config.mySlots, preparePayload(p.info.hash)) });
  return Object.freeze({ kind: "commit", ...base, blockView: p.info.viewId, signature: c.x.signer.sign(s.config.mySlots, commitPayload(s.height, p.info.hash, p.info.viewId)) });
}

/** Count the leader's own vote (trusted: we just signed it). */
export function addOwnVote(c: Ctx, vote: Prepare | Commit): void {
  const book = bookOf(c, vote.kind);
  book.verified.push({ msg: vote, from: "" });
  book.taken = orBitmaps([book.taken, vote.signers]);
  maybeAdvance(c, vote.kind);
}

function power(c: Ctx, votes: readonly Vote[]): bigint {
  let p = 0n;
  for (const v of votes) p += bitmapPower(committeeOf(c), v.msg.signers);
  return p;
}

/** A PREPARE or COMMIT arrived. */
export function onVote(c: Ctx, msg: Prepare | Commit, from: string): void {
  const s = c.s;
  if (msg.height < s.height || (msg.height === s.height && msg.view < s.view)) return;
  if (msg.height > s.height || msg.view > s.view) return buffer(c, msg, from);
  if (!isLeader(c, s.view)) return;
  const p = s.round.proposal;
  if (!p || s.mode !== "normal") return buffer(c, msg, from);
  const book = bookOf(c, msg.kind);
  if (msg.kind === "prepare" ? s.round.sentPrepared : s.round.sentCommitted) return;
  if (!isValidBitmap(msg.signers, committeeOf(c).size) || countBits(msg.signers) === 0) return penalize(c, from, "vote with a malformed signer bitmap");
  checkOwnKeys(c, msg.signers, msg.kind, { height: msg.height, view: msg.view, hash: msg.blockHash }, msg);
  const matches = sameBytes(msg.blockHash, p.info.hash) && (msg.kind === "prepare" || msg.blockView === p.info.viewId);
  if (!matches) return keepForeign(c, book, { msg, from });
  if (!areDisjoint(msg.signers, book.taken)) return;
  book.taken = orBitmaps([book.taken, msg.signers]);
  book.pending.push({ msg, from });
  flushVotes(c, msg.kind);
}

/** Send the pending votes to the verifier once they could complete a quorum. */
export function flushVotes(c: Ctx, phase: Phase): void {
  const s = c.s;
  const book = bookOf(c, phase);
  if (book.inFlight || book.pending.length === 0) return;
  if (!isQuorum(power(c, book.verified) + power(c, book.pending), committeeOf(c).totalPower)) return;
  const votes = book.pending;
  book.pending = [];
  book.inFlight = true;
  const p = s.round.proposal;
  if (!p) return;
  const payload = phase === "prepare" ? preparePayload(p.info.hash) : commitPayload(s.height, p.info.hash, p.info.viewId);
  requestChecks(c, votes.map((v) => aggregateCheck(c, v.msg.signers, payload, v.msg.signature)), { kind: "votes", phase, height: s.height, view: s.view, votes });
}

/** Verdicts on a batch of votes. */
export function onVotesVerified(c: Ctx, phase: Phase, height: bigint, view: bigint, votes: readonly Vote[], results: readonly boolean[]): void {
  const s = c.s;
  if (height !== s.height || view !== s.view) return;
  const book = bookOf(c, phase);
  book.inFlight = false;
  votes.forEach((v, i) => {
    if (results[i]) {
      book.verified.push(v);
      return;
    }
    penalize(c, v.from, `invalid ${phase} signature`);
    const keep = [...book.verified, ...book.pending].map((x) => x.msg.signers);
    book.taken = keep.length > 0 ? orBitmaps(keep) : new Uint8Array(book.taken.length);
  });
  checkForeign(c, book);
  maybeAdvance(c, phase);
  flushVotes(c, phase);
}

function keepForeign(c: Ctx, book: VoteBook, vote: Vote): void {
  if (book.foreign.length >= MAX_FOREIGN_VOTES) return;
  book.foreign.push(vote);
  checkForeign(c, book);
}

// A vote for another block whose signers overlap a verified vote for ours is checked: if it is valid
// too, the overlap signed two blocks.
function checkForeign(c: Ctx, book: VoteBook): void {
  const rest: Vote[] = [];
  for (const f of book.foreign) {
    const against = book.verified.find((v) => v.from !== "" && intersectSlots(v.msg.signers, f.msg.signers).length > 0);
    if (!against) {
      rest.push(f);
      continue;
    }
    const payload = f.msg.kind === "prepare" ? preparePayload(f.msg.blockHash) : commitPayload(f.msg.height, f.msg.blockHash, f.msg.blockView);
    requestChecks(c, [aggregateCheck(c, f.msg.signers, payload, f.msg.signature)], { kind: "foreign", vote: f, against });
  }
  book.foreign = rest;
}

/** Verdict on a vote for another block. */
export function onForeignVerified(c: Ctx, vote: Vote, against: Vote, ok: boolean): void {
  if (!ok) return penalize(c, vote.from, `invalid ${vote.msg.kind} signature`);
  const evidence = findDoubleSign(against.msg, vote.msg);
  if (evidence) c.out.push({ type: "evidence", evidence });
}

function certOf(c: Ctx, votes: readonly Vote[]): AggregateProof {
  return { signature: c.x.aggregateSignatures(votes.map((v) => v.msg.signature)), bitmap: orBitmaps(votes.map((v) => v.msg.signers)) };
}

/** Move on once the verified votes of `phase` are a quorum: PREPARED, then COMMITTED. */
export function maybeAdvance(c: Ctx, phase: Phase): void {
  const s = c.s;
  const p = s.round.proposal;
  const book = bookOf(c, phase);
  if (!p || !isQuorum(power(c, book.verified), committeeOf(c).totalPower)) return;
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
    commitAndAdvance(c, p.block, p.info, cert);
  }
}
