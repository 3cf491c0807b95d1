/**
 * The FBFT state machine: `step(state, event, ctx) → { state, actions }`, synchronous, with no I/O,
 * clock or randomness (DESIGN §2, STYLE §1, §11). Time enters as `timeout` events, outside results
 * (block validation, signature verdicts, built and synced blocks) as events, and effects leave as
 * ordered actions the driver executes. The input state is never changed.
 */
import type { ConsensusMessage } from "./messages.ts";
import { type ConsensusState, cloneState } from "./state.ts";
import type { ConsensusAction, ConsensusEvent, StepContext } from "./types.ts";
import { type Ctx, buffer, requestSync } from "./_core.ts";
import { onCommitted, onPrepared, onSyncedBlock, onVerifiedCommitProof, onVerifiedCommitted, onVerifiedPrepared } from "./_certs.ts";
import { onStart } from "./_flow.ts";
import { onNewView, onVerifiedNewView } from "./_newView.ts";
import { onAnnounce, onBlockValidated, onPropose, onVerifiedAnnounce } from "./_proposal.ts";
import { onTimeout, onViewChange, onVerifiedViewChange } from "./_viewChange.ts";
import { onForeignVerified, onVerifiedOwnKeyVote, onVote, onVotesVerified } from "./_votes.ts";
import { onLateVerified } from "./_lateCommits.ts";

/** New state and the actions to execute, in order. */
export interface StepResult {
  readonly state: ConsensusState;
  readonly actions: readonly ConsensusAction[];
}

function onMessage(c: Ctx, m: ConsensusMessage, from: string): void {
  switch (m.kind) {
    case "announce":
      return onAnnounce(c, m, from);
    case "prepare":
    case "commit":
      return onVote(c, m, from);
    case "prepared":
      return onPrepared(c, m, from);
    case "committed":
      return onCommitted(c, m, from);
    case "viewchange":
      return onViewChange(c, m, from);
    case "newview":
      return onNewView(c, m, from);
  }
}

function onVerified(c: Ctx, id: number, results: readonly boolean[]): void {
  const p = c.s.pending.get(id);
  if (!p) return;
  c.s.pending.delete(id);
  const ok = results.length > 0 && results.every(Boolean);
  switch (p.kind) {
    case "votes":
      return onVotesVerified(c, p.phase, p.height, p.view, p.votes, results);
    case "foreign":
      return onForeignVerified(c, p.vote, p.against, ok);
    case "parentCommit":
    case "synced":
      return onVerifiedCommitProof(c, p.block, p.info, p.proof, ok, p.from);
    case "futureHeight":
      if (ok && p.height > c.s.height) requestSync(c);
      return;
    case "late":
      return onLateVerified(c, p.height, p.vote, ok);
    case "message":
      if (!ok) {
        if (p.from !== "") c.out.push({ type: "penalize", from: p.from, reason: `invalid signature on ${p.msg.kind}` });
        return;
      }
      switch (p.msg.kind) {
        case "announce":
          return onVerifiedAnnounce(c, p.msg, p.from);
        case "prepared":
          return onVerifiedPrepared(c, p.msg, p.from);
        case "committed":
          return onVerifiedCommitted(c, p.msg);
        case "viewchange":
          return onVerifiedViewChange(c, p.msg, p.from, p.full);
        case "newview":
          return onVerifiedNewView(c, p.msg, p.from);
        case "prepare":
        case "commit":
          return onVerifiedOwnKeyVote(c, p.msg);
        default:
          return;
      }
  }
}

function dispatch(c: Ctx, e: ConsensusEvent): void {
  if (!c.s.started && e.type !== "start") {
    if (e.type === "message") buffer(c, e.message, e.from);
    return;
  }
  switch (e.type) {
    case "start":
      return onStart(c);
    case "message":
      return onMessage(c, e.message, e.from);
    case "timeout":
      return onTimeout(c, e.height, e.view);
    case "propose":
      return onPropose(c, e.height, e.view, e.block);
    case "blockValidated":
      return onBlockValidated(c, e.hash, e.valid, e.reason);
    case "verified":
      return onVerified(c, e.id, e.results);
    case "syncedBlock":
      return onSyncedBlock(c, e.block, e.commit, e.from);
  }
}

function position(c: Ctx): string {
  return `${c.s.height}:${c.s.view}:${c.s.mode}:${c.s.round.proposal ? "p" : "-"}:${c.s.round.cert ? "c" : "-"}`;
}

// After the node moves (height, view, mode or proposal), messages and synced blocks set aside for
// later get another chance, in arrival order; the ones still early go back to the buffer.
function replay(c: Ctx, before: string): void {
  let last = before;
  for (let guard = 0; guard < 64 && position(c) !== last; guard++) {
    last = position(c);
    const synced = c.s.synced;
    c.s.synced = [];
    for (const b of synced) onSyncedBlock(c, b.block, b.commit, b.from);
    const queued = c.s.buffered;
    c.s.buffered = [];
    for (const b of queued) {
      if (b.msg.height > c.s.height) c.s.buffered.push(b);
      else onMessage(c, b.msg, b.from);
    }
  }
}

/**
 * Apply one event. Returns the next state and the actions to execute in order (see the driver rules
 * in `types.ts`). Pure: the same state, event and capabilities give the same result.
 * @throws {Error} only on a broken invariant (e.g. the driver answered `buildBlock` with a block that
 * does not extend the head), which must stop the node.
 */
export function step(state: ConsensusState, event: ConsensusEvent, ctx: StepContext): StepResult {
  const c: Ctx = { s: cloneState(state), out: [], x: ctx };
  const before = event.type === "start" ? "" : position(c);
  dispatch(c, event);
  if (c.s.started) replay(c, before);
  return { state: Object.freeze(c.s), actions: c.out };
}
