/** Shared helpers of the step handlers: the working context, timers, checks, signing, buffering. */
import { bitmapFromSlots, hasBit, isValidBitmap } from "./bitmap.ts";
import type { BlockInfo } from "./blockCodec.ts";
import { signingBytes } from "./codec.ts";
import { type Committee, bitmapPower, isQuorum, keysOfBitmap } from "./committee.ts";
import { leaderSlot } from "./leader.ts";
import type { AggregateProof, ConsensusMessage } from "./messages.ts";
import type { SafetyRecord } from "./safety.ts";
import { type Draft, type PendingCheck, emptyRound } from "./state.ts";
import { viewChangeTimeout } from "./timeout.ts";
import type { ConsensusAction, StepContext } from "./types.ts";
import type { SignatureCheck } from "./verifier.ts";
import { hexKey } from "./_hex.ts";

/** What every handler works on: the draft state, the actions so far, the capabilities. */
export interface Ctx {
  readonly s: Draft;
  readonly out: ConsensusAction[];
  readonly x: StepContext;
}

/** The committee of the node. */
export function committeeOf(c: Ctx): Committee {
  return c.s.config.committee;
}

/** Slot of the leader of `view`. */
export function leaderOf(c: Ctx, view: bigint): number {
  return leaderSlot(c.s.config.committee, view);
}

/** True when this node holds the leader key of `view`. */
export function isLeader(c: Ctx, view: bigint): boolean {
  return c.s.config.mySlots.includes(leaderOf(c, view));
}

/** The bitmap of this node's keys. */
export function myBitmap(c: Ctx): Uint8Array {
  return bitmapFromSlots(committeeOf(c).size, c.s.config.mySlots);
}

/** True when `bitmap` is exactly the single slot `slot`. */
export function isSingleSigner(c: Ctx, bitmap: Uint8Array, slot: number): boolean {
  if (!isValidBitmap(bitmap, committeeOf(c).size) || !hasBit(bitmap, slot)) return false;
  return bitmap.every((b, i) => (i === slot >> 3 ? b === 1 << (slot & 7) : b === 0));
}

/** True when `proof` has a well-formed bitmap whose power is a quorum. */
export function isQuorumProof(c: Ctx, proof: AggregateProof): boolean {
  const n = committeeOf(c);
  return isValidBitmap(proof.bitmap, n.size) && isQuorum(bitmapPower(n, proof.bitmap), n.totalPower);
}

/** The check of a self-signed message's signature over its encoding. */
export function messageCheck(c: Ctx, m: ConsensusMessage): SignatureCheck {
  return { publicKeys: keysOfBitmap(committeeOf(c), m.signers), message: signingBytes(m), signature: m.signature };
}

/** The check of an aggregate over `message` by the slots of `bitmap`. */
export function aggregateCheck(c: Ctx, bitmap: Uint8Array, message: Uint8Array, signature: Uint8Array): SignatureCheck {
  return { publicKeys: keysOfBitmap(committeeOf(c), bitmap), message, signature };
}

/** Emit a `verify` action whose verdicts resume `then`. */
export function requestChecks(c: Ctx, checks: SignatureCheck[], then: PendingCheck): void {
  const id = c.s.nextCheckId++;
  c.s.pending.set(id, then);
  c.out.push({ type: "verify", id, checks });
}

/** Sign a self-signed message with `slots` (the leader slot, or all of ours for VIEWCHANGE). */
export function signMessage<M extends ConsensusMessage>(c: Ctx, m: M, slots: readonly number[]): M {
  const signers = bitmapFromSlots(committeeOf(c).size, slots);
  const unsigned: M = { ...m, signers, signature: new Uint8Array(0) };
  const signed: M = { ...unsigned, signature: c.x.signer.sign(slots, signingBytes(unsigned)) };
  return Object.freeze(signed);
}

/** Replace the safety record and order its durable write before what follows. */
export function persist(c: Ctx, record: SafetyRecord): void {
  c.s.safety = record;
  c.out.push({ type: "persistSafety", record });
}

/** Arm the view timer for the current (height, view). */
export function armTimer(c: Ctx): void {
  c.out.push({ type: "setTimer", height: c.s.height, view: c.s.view, delayMs: viewChangeTimeout(c.s.config.viewChangeBaseMs, c.s.failedViews) });
}

/** Penalize a peer. */
export function penalize(c: Ctx, from: string, reason: string): void {
  if (from !== "") c.out.push({ type: "penalize", from, reason });
}

/** Decode block info, or null (and penalize) when the block does not decode. */
export function blockInfo(c: Ctx, block: Uint8Array, from: string): BlockInfo | null {
  try {
    return c.x.blockCodec.decodeBlockInfo(block);
  } catch (e) {
    penalize(c, from, `undecodable block: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

/** Remember a block of this height by hash. */
export function keepBlock(c: Ctx, info: BlockInfo, block: Uint8Array): void {
  c.s.blocks.set(hexKey(info.hash), block);
}

/** Reset the per-view data. */
export function resetRound(c: Ctx): void {
  c.s.round = emptyRound(committeeOf(c).size);
}

/** Ask for sync from the current height once. */
export function requestSync(c: Ctx): void {
  if (c.s.syncFrom >= c.s.height) return;
  c.s.syncFrom = c.s.height;
  c.out.push({ type: "requestSync", fromHeight: c.s.height });
}

/** Keep a message for a later height/view (oldest dropped beyond the limit). */
export function buffer(c: Ctx, msg: ConsensusMessage, from: string): void {
  c.s.buffered.push({ msg, from });
  if (c.s.buffered.length > c.s.config.maxBufferedMessages) c.s.buffered.shift();
}
