/**
 * Doppelganger check of the chain at start (issue 4), next to the state machine's own guard (which
 * listens for a few rounds and then watches live signatures): blocks committed while this node was
 * down whose commit bitmaps carry one of our keys above the height our safety record covers were
 * signed by another instance of the key. Without a record (a new data dir) nothing can be told apart
 * — a validator moved to a new machine signed those blocks itself — so only the live guard applies.
 */
import { type SafetyRecord, bitmapFromSlots, intersectSlots } from "../consensus/index.ts";
import { type DriverChain, committedFrom } from "./_driverState.ts";

/** Our slots in the committee that signed block `n` (committees change per epoch). */
export type OwnSlotsAt = (n: bigint) => { readonly mySlots: readonly number[]; readonly committee: { readonly size: number } } | undefined;

/** What gave another instance of our keys away in the chain, or undefined. */
export function findOwnKeysInChain(
  chain: Pick<DriverChain, "head" | "getBlockByNumber" | "getCommitProof">,
  o: { record: SafetyRecord | null; ownSlotsAt: OwnSlotsAt; window?: number },
): string | undefined {
  if (o.record === null) return undefined;
  const window = BigInt(o.window ?? 64);
  const head = chain.head.number;
  const from = o.record.height + 1n > head - window ? o.record.height + 1n : head - window;
  for (const c of committedFrom(chain, from, Number(window) + 1)) {
    const at = o.ownSlotsAt(c.block.number);
    if (at !== undefined && bitmapHasOurKeys(c.proof.bitmap, at.mySlots, at.committee.size)) return `block ${c.block.number} was committed with our key while we were down`;
  }
  return undefined;
}

/** True when a commit bitmap carries one of `mySlots`. */
export function bitmapHasOurKeys(bitmap: Uint8Array, mySlots: readonly number[], committeeSize: number): boolean {
  return mySlots.length > 0 && intersectSlots(bitmap, bitmapFromSlots(committeeSize, mySlots)).length > 0;
}
