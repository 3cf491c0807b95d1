/**
 * The driver's listening phase (doppelganger guard, doppelganger.ts): the guard itself, the blocks
 * of our chain above our safety record checked at start, the time cap, and the log lines. When the
 * guard clears, `onClear` lets the driver start signing.
 */
import type { ConsensusMessage, SafetyRecord } from "../consensus/index.ts";
import type { Logger } from "../util/logger.ts";
import { type DriverChain, committedFrom } from "./_driverState.ts";
import { DoppelgangerGuard, type GuardState } from "./doppelganger.ts";
import type { DriverClock } from "./driverTypes.ts";

/** What the listening phase needs. */
export interface ListeningEnv {
  readonly clock: DriverClock;
  readonly logger: Logger;
  readonly committeeSize: number;
  readonly mySlots: readonly number[];
  readonly viewChangeBaseMs: number;
  readonly onClear: () => void;
}

/** The guard of one driver run. */
export class ListeningPhase {
  #guard: DoppelgangerGuard;
  #cap: unknown;

  constructor(private readonly env: ListeningEnv) {
    this.#guard = new DoppelgangerGuard({ views: 0, committeeSize: env.committeeSize, mySlots: env.mySlots, safety: null });
  }

  get state(): GuardState {
    return this.#guard.state;
  }

  /** Arm the guard for `views` rounds (0: clear at once) and check the chain's recent blocks. */
  begin(record: SafetyRecord | null, views: number, chain: Pick<DriverChain, "head" | "getBlockByNumber" | "getCommitProof">): void {
    const e = this.env;
    this.#guard = new DoppelgangerGuard({ views, committeeSize: e.committeeSize, mySlots: e.mySlots, safety: record });
    if (this.#guard.state !== "listening") return;
    e.logger.info("listening for our keys signing elsewhere before signing", { views });
    // Blocks committed while we were away that carry our keys above our record: a doppelganger.
    const head = chain.head.number;
    const from = (record?.height ?? 0n) + 1n > head - 64n ? (record?.height ?? 0n) + 1n : head - 64n;
    for (const c of committedFrom(chain, from, 65)) this.#result(this.#guard.observeHistory(c.block.number, c.proof.bitmap));
    if (this.#guard.state === "listening") this.#cap = e.clock.setTimeout(() => this.#result(this.#guard.expire()), views * e.viewChangeBaseMs);
  }

  /** A message whose outer signature verified. */
  message(m: ConsensusMessage): void {
    if (this.#guard.state === "listening") this.#result(this.#guard.observeMessage(m));
  }

  /** A block committed with this (verified) bitmap. */
  commit(height: bigint, bitmap: Uint8Array): void {
    if (this.#guard.state === "listening") this.#result(this.#guard.observeCommit(height, bitmap));
  }

  /** A view ended by timeout. */
  timeout(): void {
    if (this.#guard.state === "listening") this.#result(this.#guard.observeTimeout());
  }

  stop(): void {
    if (this.#cap !== undefined) this.env.clock.clearTimeout(this.#cap);
  }

  #result(g: GuardState): void {
    if (g === "listening") return;
    this.stop();
    if (g === "detected") this.env.logger.error("DOPPELGANGER: our BLS key signed elsewhere; refusing to sign (stop the other instance)", { evidence: this.#guard.evidence });
    else {
      this.env.logger.info("no other instance of our keys seen; joining consensus", { slots: this.env.mySlots });
      this.env.onClear();
    }
  }
}
