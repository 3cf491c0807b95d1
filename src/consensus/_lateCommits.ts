/**
 * Late commit votes (DESIGN §Consensus; issue 9 "bitmaps that reflect availability"): the leader
 * commits at quorum, so the slowest honest validator's COMMIT often arrives after the block is final.
 * The proposer of the next height keeps verifying COMMITs for the block just committed until it builds
 * its proposal, whose header carries the fullest valid aggregate as `lastCommitSig`/`lastCommitBitmap`.
 * At a leader handover validators also send their COMMIT to the expected next leader (see
 * `sendCommit`), which keeps it until it has committed the block itself. Only the proof
 * handed to the builder grows: the leader schedule's recent bitmaps stay the ones every node saw in
 * COMMITTED, so all nodes keep computing the same leaders.
 */
import { areDisjoint, countBits, intersectSlots, isValidBitmap, orBitmaps } from "./bitmap.ts";
import type { Commit } from "./messages.ts";
import { commitPayload } from "./payload.ts";
import type { Vote } from "./state.ts";
import { type Ctx, aggregateCheck, committeeOf, myBitmap, penalize, requestChecks } from "./_core.ts";
import { sameBytes } from "./_hex.ts";

/** True when `msg` is a COMMIT for the block whose late votes we collect (it is then handled here). */
export function onLateCommit(c: Ctx, msg: Commit, from: string): boolean {
  const L = c.s.late;
  if (L === null || msg.height !== L.height) return false;
  if (!sameBytes(msg.blockHash, L.hash) || msg.blockView !== L.blockView) return true;
  const n = committeeOf(c);
  if (!isValidBitmap(msg.signers, n.size) || countBits(msg.signers) === 0) {
    penalize(c, from, "vote with a malformed signer bitmap");
    return true;
  }
  // Already counted, our own keys, or more at the verifier than the committee has slots: nothing to add.
  if (!areDisjoint(msg.signers, L.taken) || intersectSlots(msg.signers, myBitmap(c)).length > 0 || L.checking >= n.size) return true;
  c.s.late = { ...L, checking: L.checking + 1 };
  requestChecks(c, [aggregateCheck(c, msg.signers, commitPayload(msg.height, msg.blockHash, msg.blockView), msg.signature)], { kind: "late", height: L.height, vote: { msg, from } });
  return true;
}

/** Verdict on a late commit: a valid one joins the head's proof that the next proposal carries. */
export function onLateVerified(c: Ctx, height: bigint, vote: Vote, ok: boolean): void {
  const L = c.s.late;
  if (L === null || L.height !== height) return;
  c.s.late = { ...L, checking: L.checking - 1 };
  if (!ok) return penalize(c, vote.from, "invalid commit signature");
  if (!areDisjoint(vote.msg.signers, L.taken)) return;
  const signature = c.x.aggregateSignatures([L.signature, vote.msg.signature]);
  const taken = orBitmaps([L.taken, vote.msg.signers]);
  c.s.late = { ...L, checking: L.checking - 1, signature, taken };
  if (c.s.head.number === height && sameBytes(c.s.head.hash, L.hash)) c.s.head = { ...c.s.head, commit: { signature, bitmap: taken } };
}
