/**
 * Block pacing of a leader (DESIGN §3: block time T): the next proposal starts T after the proposal
 * of the head started — as seen by this node: when it built it, or when its ANNOUNCE arrived — so
 * blocks come every T however long consensus took, and a leader that took over after a view change
 * (long after) builds at once.
 */
export class ProposalPacing {
  readonly #seenAt = new Map<bigint, number>();
  #headStartedAt = 0;

  constructor(readonly blockTimeMs: number) {}

  /** A proposal of `height` started (built, or first seen) at `now`; the first sighting counts. */
  started(height: bigint, now: number): void {
    if (!this.#seenAt.has(height)) this.#seenAt.set(height, now);
  }

  /** Our own proposal of `height` was built starting at `now`. */
  built(height: bigint, now: number): void {
    this.#seenAt.set(height, now);
  }

  /** Block `height` was committed at `now`. */
  committed(height: bigint, now: number): void {
    this.#headStartedAt = this.#seenAt.get(height) ?? now;
    for (const h of this.#seenAt.keys()) if (h <= height) this.#seenAt.delete(h);
  }

  /** Milliseconds to wait before building the next proposal (≤ 0: now). */
  waitMs(now: number): number {
    return this.#headStartedAt + this.blockTimeMs - now;
  }
}
