/** Import rate over a sliding window, and the ETA it implies. */
import type { IClock } from "../p2p/index.ts";
import { type ProgressSample, etaOf, rateOf } from "./progress.ts";

const WINDOW_MS = 5_000;
const MAX_SAMPLES = 64;

/** Samples of (time, height) during a run. */
export class ProgressMeter {
  #samples: ProgressSample[] = [];

  constructor(private readonly clock: IClock) {}

  /** Start over at `height` (a new run). */
  reset(height: bigint): void {
    this.#samples = [{ t: this.clock.now(), n: height }];
  }

  /** Record the height reached now. */
  record(height: bigint): void {
    const t = this.clock.now();
    this.#samples.push({ t, n: height });
    // Keep one sample at or before the window start, so the rate covers the whole window.
    while (this.#samples.length > 2 && ((this.#samples[1] as { t: number }).t <= t - WINDOW_MS || this.#samples.length > MAX_SAMPLES)) this.#samples.shift();
  }

  /** Blocks per second over the window (0 before two samples). */
  rate(): number {
    return rateOf(this.#samples);
  }

  /** Seconds to reach `target` at the current rate; undefined when the rate is 0. */
  eta(current: bigint, target: bigint): number | undefined {
    return etaOf(current, target, this.rate());
  }
}
