/**
 * Doppelganger guard (issue 4): a validator that starts does not sign at once. It first follows
 * consensus as an observer for a few rounds and watches for its own keys signing elsewhere — in a
 * verified message, or in the commit bitmap of a block committed meanwhile — which would mean another
 * process runs with the same keys, and signing too would risk double signing (slashable). Only
 * signatures above what our safety record covers count: what we signed before a restart is ours.
 * A round ends with a committed block or a view-change timeout; the guard also ends after
 * `views × viewChangeBaseMs` without progress, so a stalled network is not kept waiting on us.
 */
import { type ConsensusMessage, type SafetyRecord, bitmapFromSlots, intersectSlots } from "../consensus/index.ts";

/** Options of {@link DoppelgangerGuard}. */
export interface DoppelgangerOptions {
  /** Rounds to observe before signing (0 disables the guard). */
  readonly views: number;
  readonly committeeSize: number;
  readonly mySlots: readonly number[];
  /** The record at start: signatures at or below it are our own. */
  readonly safety: SafetyRecord | null;
}

/** State of the guard. */
export type GuardState = "listening" | "clear" | "detected";

/** Watches for our keys signing elsewhere during the first rounds. */
export class DoppelgangerGuard {
  #state: GuardState;
  #rounds = 0;
  #evidence: string | undefined;
  readonly #mine: Uint8Array;

  constructor(readonly opts: DoppelgangerOptions) {
    this.#state = opts.views > 0 && opts.mySlots.length > 0 ? "listening" : "clear";
    this.#mine = bitmapFromSlots(opts.committeeSize, opts.mySlots);
  }

  get state(): GuardState {
    return this.#state;
  }

  /** What gave the doppelganger away. */
  get evidence(): string | undefined {
    return this.#evidence;
  }

  // Ours: at or below the record's (height, view) we may have signed ourselves before a restart.
  #ours(height: bigint, view: bigint | undefined): boolean {
    const r = this.opts.safety;
    if (r === null) return false;
    return height < r.height || (height === r.height && (view === undefined || view <= r.view));
  }

  #detect(what: string): GuardState {
    if (this.#state === "listening") {
      this.#state = "detected";
      this.#evidence = what;
    }
    return this.#state;
  }

  /** A message whose outer signature verified. */
  observeMessage(m: ConsensusMessage): GuardState {
    if (this.#state !== "listening" || this.#ours(m.height, m.view)) return this.#state;
    if (intersectSlots(m.signers, this.#mine).length > 0) return this.#detect(`${m.kind} at height ${m.height} view ${m.view} signed by our key`);
    return this.#state;
  }

  /** A block committed with this (verified) commit bitmap; one round. */
  observeCommit(height: bigint, bitmap: Uint8Array): GuardState {
    if (this.#state !== "listening") return this.#state;
    if (!this.#ours(height, undefined) && intersectSlots(bitmap, this.#mine).length > 0) return this.#detect(`commit of block ${height} signed by our key`);
    return this.#round();
  }

  /** A block committed before we started (found in the chain): checked, but not a round observed. */
  observeHistory(height: bigint, bitmap: Uint8Array): GuardState {
    if (this.#state === "listening" && !this.#ours(height, undefined) && intersectSlots(bitmap, this.#mine).length > 0) return this.#detect(`commit of block ${height} signed by our key`);
    return this.#state;
  }

  /** A view ended without a block (timeout); one round. */
  observeTimeout(): GuardState {
    return this.#state === "listening" ? this.#round() : this.#state;
  }

  /** The time cap passed: stop listening unless something was found. */
  expire(): GuardState {
    if (this.#state === "listening") this.#state = "clear";
    return this.#state;
  }

  #round(): GuardState {
    if (++this.#rounds >= this.opts.views) this.#state = "clear";
    return this.#state;
  }
}
