/** Counters of the consensus driver, read by `/metrics` and `hmy_getNodeMetadata`. */
import { bytesToHex } from "../util/bytes.ts";
import type { Phase } from "../consensus/index.ts";

/** A running sum and count (a Prometheus summary without quantiles). */
export interface SumCount {
  sum: number;
  count: number;
}

/** Everything the driver counts. */
export interface DriverStats {
  blocksCommitted: number;
  /** View changes by reason (timeout, newview, join, rotation, …). */
  viewChanges: Record<string, number>;
  /** Milliseconds spent in each phase. */
  phaseMs: Partial<Record<Phase, SumCount>>;
  /** From entering a height to committing its block, ms. */
  roundMs: SumCount;
  /** Per BLS key of ours (0x hex; slots change per epoch): committed blocks whose commit bitmap has / lacks it. */
  signed: Record<string, number>;
  missed: Record<string, number>;
  proposalsBuilt: number;
  proposalsValidated: number;
  proposalsInvalid: number;
  penalties: number;
  evidence: number;
  syncedBlocks: number;
  /** Messages of an earlier epoch than the one decided, dropped at the driver. */
  otherEpoch: number;
  /** Local time (ms) of the last commit, 0 before the first. */
  lastCommitAt: number;
  /** Events handled by the loop. */
  events: number;
}

/** Zeroed stats. */
export function createDriverStats(): DriverStats {
  return {
    blocksCommitted: 0, viewChanges: {}, phaseMs: {}, roundMs: { sum: 0, count: 0 }, signed: {}, missed: {}, proposalsBuilt: 0, proposalsValidated: 0,
    proposalsInvalid: 0, penalties: 0, evidence: 0, syncedBlocks: 0, otherEpoch: 0, lastCommitAt: 0, events: 0,
  };
}

/** Add one observation to a sum/count. */
export function observe(s: SumCount, v: number): void {
  s.sum += v;
  s.count++;
}

/** Count a committed block: per key of ours (at `mySlots` of `keys`, its committee), whether its commit bitmap has it. */
export function recordCommit(s: DriverStats, o: { now: number; mySlots: readonly number[]; keys: readonly Uint8Array[]; bitmap: Uint8Array }): void {
  s.blocksCommitted++;
  s.lastCommitAt = o.now;
  for (const slot of o.mySlots) {
    const key = o.keys[slot];
    if (key === undefined) continue;
    const byte = o.bitmap[slot >> 3] ?? 0;
    const table = (byte & (1 << (slot & 7))) !== 0 ? s.signed : s.missed;
    const k = bytesToHex(key);
    table[k] = (table[k] ?? 0) + 1;
  }
}

/** Count the time from entering a height to leaving it (its block committed). */
export function recordRound(s: DriverStats, ms: number): void {
  observe(s.roundMs, ms);
}

/** Count the time spent in `phase`. */
export function recordPhase(s: DriverStats, phase: Phase, ms: number): void {
  observe((s.phaseMs[phase] ??= { sum: 0, count: 0 }), ms);
}

/** A deep copy. */
export function copyDriverStats(s: DriverStats): DriverStats {
  const phaseMs: DriverStats["phaseMs"] = {};
  for (const [k, v] of Object.entries(s.phaseMs)) phaseMs[k as Phase] = { ...v };
  return { ...s, viewChanges: { ...s.viewChanges }, phaseMs, roundMs: { ...s.roundMs }, signed: { ...s.signed }, missed: { ...s.missed } };
}
