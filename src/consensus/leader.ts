/**
 * Leader schedule (DESIGN §Consensus). A view is one leader's term: the leader of view v is
 * `committee[v mod n]`. The view moves on in three ways, and every node computes the same next view
 * from the same committee and chain:
 * - rotation: after `blocksPerLeader` = max(E / n, R) blocks proposed and committed in a view, the
 *   next height starts in the next view, even when the leader is healthy;
 * - view change: a view without progress is left for the next one, skipping forward past the
 *   consecutive keys of the failed leader's validator, so a validator with many keys costs one
 *   timeout, not many;
 * - either way, views whose key is absent from all of the last 4 commit bitmaps are skipped.
 * Skipping is done by advancing the view number, so `leader(v) = committee[v mod n]` always holds.
 */
import { hasBit } from "./bitmap.ts";
import type { Committee } from "./committee.ts";

/** How many recent commit bitmaps decide that a key is absent. */
export const ABSENT_WINDOW = 4;

/** Slot of the leader of `view`. */
export function leaderSlot(committee: Committee, view: bigint): number {
  return Number(view % BigInt(committee.size));
}

/**
 * Slots absent from every one of the last {@link ABSENT_WINDOW} commit bitmaps. Until that many
 * bitmaps are known (a young chain), no slot is absent.
 */
export function absentSlots(committee: Committee, recentBitmaps: readonly Uint8Array[]): Set<number> {
  const out = new Set<number>();
  if (recentBitmaps.length < ABSENT_WINDOW) return out;
  const window = recentBitmaps.slice(-ABSENT_WINDOW);
  for (let i = 0; i < committee.size; i++) if (window.every((b) => !hasBit(b, i))) out.add(i);
  return out;
}

/** Arguments of {@link nextView}. */
export interface NextViewOptions {
  /** True when the current view failed (a view change), false for a rotation. */
  failed: boolean;
  /** Commit bitmaps of the latest blocks, oldest first. */
  recentBitmaps: readonly Uint8Array[];
}

/**
 * The view after `view`: the first later view whose leader key is not absent and, after a failure,
 * does not belong to the failed leader's validator. When every key of the committee is excluded,
 * the absence rule is dropped first, then the validator rule, so the answer always exists.
 */
export function nextView(committee: Committee, view: bigint, opts: NextViewOptions): bigint {
  const n = committee.size;
  const failedValidator = opts.failed ? committee.validators[leaderSlot(committee, view)] : undefined;
  const absent = absentSlots(committee, opts.recentBitmaps);
  const eligible = (slot: number, useAbsent: boolean) =>
    !(useAbsent && absent.has(slot)) && (failedValidator === undefined || committee.validators[slot] !== failedValidator);
  for (const useAbsent of [true, false]) {
    for (let d = 1; d <= n; d++) {
      const v = view + BigInt(d);
      if (eligible(leaderSlot(committee, v), useAbsent)) return v;
    }
  }
  return view + 1n;
}

/**
 * Blocks a healthy leader proposes in a row before handing over: max(⌊E / n⌋, R) (DESIGN
 * §Consensus), or `null` when rotation is off.
 * @throws {RangeError} on a non-positive epoch length, committee size or R.
 */
export function blocksPerLeader(epochBlocks: number, committeeSize: number, minBlocks: number, rotation = true): number | null {
  for (const [name, v] of [["epochBlocks", epochBlocks], ["committeeSize", committeeSize], ["minBlocks", minBlocks]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  return rotation ? Math.max(Math.floor(epochBlocks / committeeSize), minBlocks) : null;
}
