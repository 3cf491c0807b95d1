/**
 * Which peers the syncer asks: the ones with the highest heads, spread by load (fewest requests in
 * flight, then least recently used). A peer that served invalid data is disconnected through p2p
 * (whose interface has no score report for request results) and not asked again for a cooldown; one
 * that repeatedly could not serve rests for a while.
 */
import type { IClock, PeerId, PeerInfo } from "../p2p/index.ts";
import type { Logger } from "../util/logger.ts";
import type { SyncP2P } from "./types.ts";

const STRIKES_TO_REST = 3;

interface PeerState {
  inflight: number;
  lastUsed: number;
  strikes: number;
  /** Not asked before this time. */
  until: number;
  /** The cooldown is a punishment (not a rest). */
  bad: boolean;
}

/** Load, failures and cooldowns of the peers the syncer talks to. */
export class PeerBook {
  readonly #state = new Map<PeerId, PeerState>();
  penalized = 0;

  constructor(
    private readonly p2p: SyncP2P,
    private readonly clock: IClock,
    private readonly log: Logger,
    private readonly opts: { badPeerCooldownMs: number; restPeerMs: number },
  ) {}

  #get(id: PeerId): PeerState {
    let s = this.#state.get(id);
    if (s === undefined) {
      s = { inflight: 0, lastUsed: 0, strikes: 0, until: 0, bad: false };
      this.#state.set(id, s);
    }
    return s;
  }

  /** Connected peers that may be asked now. */
  usable(): PeerInfo[] {
    const now = this.clock.now();
    return this.p2p.peers().filter((p) => (this.#state.get(p.id)?.until ?? 0) <= now);
  }

  /** Highest head among usable peers (undefined without any). */
  bestHead(): bigint | undefined {
    let best: bigint | undefined;
    for (const p of this.usable()) if (best === undefined || p.head.number > best) best = p.head.number;
    return best;
  }

  /** A usable peer whose head is at least `minHead`, not in `exclude`; marks it used. */
  pick(minHead: bigint, exclude: ReadonlySet<PeerId>): PeerId | undefined {
    let best: { id: PeerId; s: PeerState } | undefined;
    for (const p of this.usable()) {
      if (p.head.number < minHead || exclude.has(p.id)) continue;
      const s = this.#get(p.id);
      if (best === undefined || s.inflight < best.s.inflight || (s.inflight === best.s.inflight && s.lastUsed < best.s.lastUsed)) best = { id: p.id, s };
    }
    if (best === undefined) return undefined;
    best.s.inflight++;
    best.s.lastUsed = this.clock.now();
    return best.id;
  }

  /** The request to `id` from {@link pick} finished; `ok` clears its strikes. */
  release(id: PeerId, ok: boolean): void {
    const s = this.#get(id);
    s.inflight = Math.max(0, s.inflight - 1);
    if (ok) s.strikes = 0;
  }

  /** The peer could not serve (timeout, busy, missing data): after a few in a row it rests. */
  strike(id: PeerId, reason: string): void {
    const s = this.#get(id);
    if (s.until > this.clock.now() || ++s.strikes < STRIKES_TO_REST) return;
    s.strikes = 0;
    s.bad = false;
    s.until = this.clock.now() + this.opts.restPeerMs;
    this.log.debug("sync peer rests", { peer: id, reason, ms: this.opts.restPeerMs });
  }

  /** The peer served invalid data: never ask it during the cooldown, and disconnect it (once per cooldown). */
  punish(id: PeerId, reason: string): void {
    const s = this.#get(id);
    const now = this.clock.now();
    if (s.bad && s.until > now) return;
    s.bad = true;
    s.until = now + this.opts.badPeerCooldownMs;
    this.penalized++;
    this.log.warn("sync peer served invalid data; disconnecting", { peer: id, reason });
    this.p2p.disconnect(id, `sync: ${reason}`.slice(0, 120));
  }

  /** Forget peers that are neither connected nor cooling down (bounded memory). */
  prune(): void {
    const now = this.clock.now();
    const connected = new Set(this.p2p.peers().map((p) => p.id));
    for (const [id, s] of this.#state) if (!connected.has(id) && s.until <= now && s.inflight === 0) this.#state.delete(id);
  }
}
