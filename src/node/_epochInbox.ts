/**
 * The driver's routing of inputs by epoch: an input of the epoch being decided goes to the state
 * machine now (and, when the committee carried over unchanged, late votes of the previous epoch's last
 * block too); a later epoch's input is held until its committee is in force (its signers are slots of
 * that committee), oldest dropped past a bound; an earlier epoch's is dropped.
 */

/** What to do with an input. */
export type EpochRoute = "now" | "hold" | "drop";

/** Held inputs at most. */
export const MAX_HELD_INPUTS = 512;

/** Where an input of `epoch` goes while the state machine decides in `current` (undefined: not started). */
export function routeByEpoch(epoch: bigint, current: { epoch: bigint; carriedOver: boolean } | undefined): EpochRoute {
  if (current === undefined || epoch === current.epoch || (current.carriedOver && epoch === current.epoch - 1n)) return "now";
  return epoch < current.epoch ? "drop" : "hold";
}

/** Inputs of a later epoch, in arrival order. */
export class HeldInputs<T> {
  readonly #held: T[] = [];

  constructor(private readonly max = MAX_HELD_INPUTS) {}

  get size(): number {
    return this.#held.length;
  }

  hold(input: T): void {
    this.#held.push(input);
    if (this.#held.length > this.max) this.#held.shift();
  }

  /** Every held input, oldest first; the holder is empty after. */
  take(): T[] {
    return this.#held.splice(0);
  }
}
