/**
 * Why a validator refuses to sign: another instance of its keys was seen. A refusal found by the
 * start-up chain scan (`_doppelgangerScan.ts`) may be lifted — a restored old data dir looks exactly
 * like a stopped doppelganger, so after a window of committed blocks in a row without our keys (no
 * other instance signs) the node listens again before signing; a running doppelganger keeps signing
 * and keeps the refusal in place. A refusal from a live signature is never lifted.
 */
export class SigningRefusal {
  #reason: string | undefined;
  #fromScan = false;
  #cleanBlocks = 0;

  /** @param clearAfterBlocks clean committed blocks in a row that lift a scan's refusal. */
  constructor(private readonly clearAfterBlocks: number) {}

  /** Why we refuse, or undefined while we may sign. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** The start-up scan's finding (undefined: nothing found). */
  scanned(what: string | undefined): void {
    this.#reason = what;
    this.#fromScan = what !== undefined;
    this.#cleanBlocks = 0;
  }

  /** A live detection: final. Returns false when a refusal was already in place (its reason is kept). */
  detected(what: string): boolean {
    this.#fromScan = false;
    if (this.#reason !== undefined) return false;
    this.#reason = what;
    return true;
  }

  /**
   * A block was committed; `carriesOurKeys` tells whether its commit bitmap has one of our keys.
   * Returns the number of clean blocks when this lifts the scan's refusal, else undefined.
   */
  committed(carriesOurKeys: () => boolean): number | undefined {
    if (!this.#fromScan) return undefined;
    if (carriesOurKeys()) {
      this.#cleanBlocks = 0;
      return undefined;
    }
    if (++this.#cleanBlocks < this.clearAfterBlocks) return undefined;
    const clean = this.#cleanBlocks;
    this.scanned(undefined);
    return clean;
  }
}
