/**
 * Doppelganger guard (issue 4): a validator may listen for some rounds after start before it signs,
 * and at any time, a verified signature by one of its keys that its durable safety record does not
 * account for means the key is signing somewhere else. The node then stops signing for good (until
 * an operator restarts it) and tells the driver.
 */
import { intersectSlots } from "./bitmap.ts";
import type { ConsensusMessage } from "./messages.ts";
import type { Ctx } from "./_core.ts";
import { myBitmap } from "./_core.ts";
import { sameBytes } from "./_hex.ts";

/** One listening round passed (a block committed or a timeout). */
export function roundPassed(c: Ctx): void {
  if (c.s.listening > 0) c.s.listening -= 1;
}

/** True when this node may sign now: it holds keys, listened long enough, and saw no doppelganger. */
export function canSign(c: Ctx): boolean {
  const s = c.s;
  return s.config.mySlots.length > 0 && !s.halted && s.listening === 0;
}

/**
 * `signers` signed `what` at (height, view) over block `hash` (empty for a nil VIEWCHANGE claim).
 * If that includes our keys and our record does not show we signed it, halt.
 */
export function checkOwnKeys(c: Ctx, signers: Uint8Array, what: "prepare" | "commit" | "viewchange", at: { height: bigint; view: bigint; hash: Uint8Array }, message: ConsensusMessage): void {
  const s = c.s;
  if (s.halted || s.config.mySlots.length === 0) return;
  const slots = intersectSlots(signers, myBitmap(c));
  if (slots.length === 0) return;
  const r = s.safety;
  const here = r.height === at.height;
  const ours =
    (what === "prepare" && here && r.prepare !== null && r.prepare.view === at.view && sameBytes(r.prepare.hash, at.hash)) ||
    (what === "commit" && here && r.commit !== null && sameBytes(r.commit.hash, at.hash)) ||
    (what === "viewchange" && here && r.viewChange !== null && r.viewChange.view === at.view && sameBytes(r.viewChange.lockHash, at.hash));
  if (ours) return;
  s.halted = true;
  c.out.push({ type: "doppelganger", slots, message });
}
