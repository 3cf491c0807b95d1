/**
 * The leader's vote collection (issue 8 item 3). A vote books its slots only once its signature has
 * verified: unverified votes wait side by side, even when they claim the same slots, so a forged
 * vote can neither displace nor block a valid one — the forger loses its own vote and is penalized.
 * Pending votes go to the verifier as one batch once their slots, with the verified ones, could make
 * a quorum (an aggregate check, bisected only on failure). Votes for another block are kept to find
 * double signing; votes claiming this node's keys are checked before the doppelganger guard sees them.
 */
import { areDisjoint, countBits, intersectSlots, isValidBitmap, orBitmaps } from "./bitmap.ts";
import { bitmapPower, isQuorum } from "./committee.ts";
import { findDoubleSign } from "./evidence.ts";
import type { Commit, Prepare } from "./messages.ts";
import { commitPayload, preparePayload } from "./payload.ts";
import type { Vote, VoteBook } from "./state.ts";
import { type Ctx, aggregateCheck, buffer, committeeOf, isLeader, myBitmap, penalize, requestChecks } from "./_core.ts";
import { checkOwnKeys } from "./_doppelganger.ts";
import { sameBytes } from "./_hex.ts";
import { type VotePhase, bookOf, bookVerified, maybeAdvance } from "./_round.ts";
import { onLateCommit } from "./_lateCommits.ts";

const MAX_FOREIGN_VOTES = 64;

function payloadOf(msg: Prepare | Commit): Uint8Array {
  return msg.kind === "prepare" ? preparePayload(msg.blockHash) : commitPayload(msg.height, msg.blockHash, msg.blockView);
}

/** A PREPARE or COMMIT arrived. */
export function onVote(c: Ctx, msg: Prepare | Commit, from: string): void {
  const s = c.s;
  if (msg.kind === "commit" && onLateCommit(c, msg, from)) return;
  if (msg.height < s.height || (msg.height === s.height && msg.view < s.view)) return;
  if (msg.height > s.height || msg.view > s.view) return buffer(c, msg, from);
  // A COMMIT sent to us as the expected next leader waits until we have committed its block.
  if (!isLeader(c, s.view)) return msg.kind === "commit" ? buffer(c, msg, from) : undefined;
  const p = s.round.proposal;
  if (!p || s.mode !== "normal") return buffer(c, msg, from);
  const book = bookOf(c, msg.kind);
  if (msg.kind === "prepare" ? s.round.sentPrepared : s.round.sentCommitted) return;
  if (!isValidBitmap(msg.signers, committeeOf(c).size) || countBits(msg.signers) === 0) return penalize(c, from, "vote with a malformed signer bitmap");
  // Our own keys: the doppelganger guard acts only on a verified signature, never on a claim.
  if (intersectSlots(msg.signers, myBitmap(c)).length > 0) {
    return requestChecks(c, [aggregateCheck(c, msg.signers, payloadOf(msg), msg.signature)], { kind: "message", msg, from, full: true });
  }
  const matches = sameBytes(msg.blockHash, p.info.hash) && (msg.kind === "prepare" || msg.blockView === p.info.viewId);
  if (!matches) return keepForeign(c, book, { msg, from });
  // Slots already counted: a duplicate. Slots only claimed by unverified votes are still open.
  if (!areDisjoint(msg.signers, book.taken)) return;
  addPending(c, book, { msg, from });
  flushVotes(c, msg.kind);
}

/**
 * Keep an unverified vote. The same vote twice (from two relays) is kept once; a sender's newer vote
 * for the same slots replaces its older one; a sender keeps at most one vote per committee slot, so
 * a flood displaces only the flooder's own votes.
 */
function addPending(c: Ctx, book: VoteBook, vote: Vote): void {
  const same = (v: Vote) => sameBytes(v.msg.signers, vote.msg.signers) && sameBytes(v.msg.signature, vote.msg.signature);
  if (book.pending.some(same) || book.checking.some(same)) return;
  book.pending = book.pending.filter((v) => v.from !== vote.from || !sameBytes(v.msg.signers, vote.msg.signers));
  const mine = book.pending.filter((v) => v.from === vote.from);
  if (mine.length >= committeeOf(c).size) book.pending.splice(book.pending.indexOf(mine[0] as Vote), 1);
  book.pending.push(vote);
}

/** Send the pending votes to the verifier once they could complete a quorum (one batch at a time). */
export function flushVotes(c: Ctx, phase: VotePhase): void {
  const s = c.s;
  const book = bookOf(c, phase);
  book.pending = book.pending.filter((v) => areDisjoint(v.msg.signers, book.taken));
  const p = s.round.proposal;
  if (!p || book.checking.length > 0 || book.pending.length === 0) return;
  const n = committeeOf(c);
  const reachable = orBitmaps([book.taken, ...book.pending.map((v) => v.msg.signers)]);
  if (!isQuorum(bitmapPower(n, reachable), n.totalPower)) return;
  const votes = book.pending;
  book.pending = [];
  book.checking = votes;
  requestChecks(c, votes.map((v) => aggregateCheck(c, v.msg.signers, payloadOf(v.msg), v.msg.signature)), { kind: "votes", phase, height: s.height, view: s.view, votes });
}

/** Verdicts on a batch of votes: valid ones book their slots in order, invalid ones cost their sender. */
export function onVotesVerified(c: Ctx, phase: VotePhase, height: bigint, view: bigint, votes: readonly Vote[], results: readonly boolean[]): void {
  const s = c.s;
  if (height !== s.height || view !== s.view) return;
  const book = bookOf(c, phase);
  book.checking = [];
  votes.forEach((v, i) => {
    if (!results[i]) return penalize(c, v.from, `invalid ${phase} signature`);
    // A valid vote overlapping one counted first signs nothing new that a bitmap could hold.
    if (areDisjoint(v.msg.signers, bookOf(c, phase).taken)) bookVerified(c, phase, v);
  });
  checkForeign(c, book);
  maybeAdvance(c, phase);
  flushVotes(c, phase);
}

/** A vote claiming our keys, with a valid signature: our keys sign elsewhere unless our record says we did. */
export function onVerifiedOwnKeyVote(c: Ctx, msg: Prepare | Commit): void {
  checkOwnKeys(c, msg.signers, msg.kind, { height: msg.height, view: msg.view, hash: msg.blockHash }, msg);
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
    requestChecks(c, [aggregateCheck(c, f.msg.signers, payloadOf(f.msg), f.msg.signature)], { kind: "foreign", vote: f, against });
  }
  book.foreign = rest;
}

/** Verdict on a vote for another block. */
export function onForeignVerified(c: Ctx, vote: Vote, against: Vote, ok: boolean): void {
  if (!ok) return penalize(c, vote.from, `invalid ${vote.msg.kind} signature`);
  const evidence = findDoubleSign(against.msg, vote.msg);
  if (evidence) c.out.push({ type: "evidence", evidence });
}
