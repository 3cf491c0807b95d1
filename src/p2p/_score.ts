/**
 * Peer scores by node id. A score starts at 0, goes down on misbehaviour and decays back towards 0
 * with a half-life, so an occasional fault is forgiven while a stream of them crosses the disconnect
 * and then the ban threshold. Kept after disconnect (bounded), so reconnecting does not reset it.
 * Disconnects for low score are counted as strikes: a repeat offender is banned even when each single
 * visit only crosses the disconnect threshold (a flood is cut off at that threshold every time).
 */
import type { IClock, PeerId, ScoreParams } from "./types.ts";

const MAX_ENTRIES = 10_000;

/** Scores of every peer seen recently. */
export class PeerScores {
  private readonly scores = new Map<PeerId, { value: number; at: number }>();
  private readonly strikes = new Map<PeerId, number[]>();
  constructor(
    private readonly params: ScoreParams,
    private readonly clock: IClock,
  ) {}

  /** The decayed score of `id` (0 when unknown). */
  get(id: PeerId): number {
    const e = this.scores.get(id);
    if (!e) return 0;
    const now = this.clock.now();
    if (now > e.at) {
      e.value *= 0.5 ** ((now - e.at) / this.params.halfLifeMs);
      e.at = now;
    }
    return e.value;
  }

  /** Add `delta` (negative for a penalty) and return the new score. */
  add(id: PeerId, delta: number): number {
    const value = this.get(id) + delta;
    this.scores.delete(id);
    this.scores.set(id, { value, at: this.clock.now() });
    if (this.scores.size > MAX_ENTRIES) {
      const oldest = this.scores.keys().next().value;
      if (oldest !== undefined) this.scores.delete(oldest);
    }
    return value;
  }

  /** Record a disconnect for low score; returns how many `id` had within the last `windowMs`. */
  strike(id: PeerId, windowMs: number): number {
    const now = this.clock.now();
    const list = (this.strikes.get(id) ?? []).filter((t) => t > now - windowMs);
    list.push(now);
    this.strikes.delete(id);
    this.strikes.set(id, list);
    if (this.strikes.size > MAX_ENTRIES) {
      const oldest = this.strikes.keys().next().value;
      if (oldest !== undefined) this.strikes.delete(oldest);
    }
    return list.length;
  }

  /** What a score calls for. */
  verdict(score: number): "ok" | "disconnect" | "ban" {
    if (score <= this.params.banThreshold) return "ban";
    if (score <= this.params.disconnectThreshold) return "disconnect";
    return "ok";
  }
}
