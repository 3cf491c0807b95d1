/**
 * Finding and keeping peers: dials stored addresses (bootnodes first, then the freshest) towards the
 * target count with per-address backoff, remembers which addresses turned out to be ourselves, and
 * runs peer exchange both ways (ask new peers while below target; answer with recent good URLs).
 */
import type { Logger } from "../util/logger.ts";
import type { Blocklist } from "./_blocklist.ts";
import type { PeerConnection } from "./_connection.ts";
import { Backoff } from "./_dial.ts";
import { isDialableUrl } from "./_handshake.ts";
import type { P2PMetrics } from "./_metrics.ts";
import { PEERS_METHOD, PEX_MAX_URLS, decodePeerList, encodePeerList } from "./_peerExchange.ts";
import type { PeerStore } from "./_peerStore.ts";
import type { ReqResp } from "./_reqResp.ts";
import type { DialParams, IClock, PeerId } from "./types.ts";

/** What the dialer needs from the p2p service. */
export interface DialerHost {
  readonly listenUrl: string;
  readonly clock: IClock;
  readonly logger: Logger;
  readonly metrics: P2PMetrics;
  readonly store: PeerStore;
  readonly blocklist: Blocklist;
  readonly reqResp: ReqResp;
  readonly targetPeers: number;
  readonly peerExchange: boolean;
  readonly requestTimeoutMs: number;
  active(): ReadonlyMap<PeerId, PeerConnection>;
  isStopped(): boolean;
  /** Create, register and dial an outbound connection. */
  openOutbound(url: string): PeerConnection;
  penalizeInvalid(peer: PeerId, reason: string): void;
}

/** Outbound connection management and peer exchange. */
export class Dialer {
  private readonly backoff: Backoff;
  private readonly dialing = new Map<string, PeerConnection>();
  private readonly selfUrls = new Set<string>();
  private lastPexAt = 0;

  constructor(
    private readonly params: DialParams,
    private readonly host: DialerHost,
  ) {
    this.backoff = new Backoff(params, host.clock);
    host.reqResp.handle(PEERS_METHOD, (_data, from) => this.servePeers(from), true);
  }

  /** Is `url` one of ours (our listen URL or an address that led back to us)? */
  isSelf(url: string): boolean {
    return url === this.host.listenUrl || this.selfUrls.has(url);
  }

  /** A connection turned out to be to ourselves: never dial its addresses again. */
  markSelf(c: PeerConnection): void {
    if (c.dialUrl) this.selfUrls.add(c.dialUrl);
    if (c.hello?.listenUrl) this.selfUrls.add(c.hello.listenUrl);
  }

  /** Dial `url` now (no checks beyond the caller's). */
  dial(url: string): void {
    this.host.metrics.dials++;
    this.dialing.set(url, this.host.openOutbound(url));
  }

  /** A connection became the peer's: reset backoff and record the addresses that work. */
  accepted(c: PeerConnection, id: PeerId): void {
    const now = this.host.clock.now();
    for (const url of new Set([c.hello?.listenUrl, c.dialUrl])) {
      // An advertised "" or 0.0.0.0 names no machine: never stored, so never shared by peer exchange.
      if (!url || (url !== c.dialUrl && !isDialableUrl(url))) continue;
      this.host.store.markSuccess(url, id, now);
      this.backoff.succeeded(url);
    }
  }

  /** A connection closed; `wasActive` when it was a peer's connection (then redial soon). */
  closed(c: PeerConnection, reason: string, wasActive: boolean): void {
    if (c.dialUrl && this.dialing.get(c.dialUrl) === c) this.dialing.delete(c.dialUrl);
    if (wasActive) {
      if (!this.host.isStopped()) for (const url of new Set([c.hello?.listenUrl, c.dialUrl])) if (url) this.backoff.disconnected(url);
      return;
    }
    if (c.direction !== "outbound" || !c.dialUrl || c.accepted || reason === "duplicate") return;
    this.host.metrics.dialFailures++;
    this.backoff.failed(c.dialUrl);
    if (!c.wasReady && this.host.store.markFailure(c.dialUrl)) this.backoff.forget(c.dialUrl);
  }

  /** Dial towards the target count; when nothing is left to dial, ask a peer for more (every 10 ticks). */
  tick(): void {
    if (this.host.isStopped()) return;
    const active = this.host.active();
    const slots = Math.min(this.host.targetPeers - active.size - this.dialing.size, this.params.maxConcurrent - this.dialing.size);
    if (slots <= 0) return;
    const connectedUrls = new Set<string>();
    for (const c of active.values()) if (c.hello) connectedUrls.add(c.hello.listenUrl);
    const candidates = this.host.store
      .all()
      .filter(
        (r) =>
          !this.isSelf(r.url) && !this.dialing.has(r.url) && !connectedUrls.has(r.url) && !(r.nodeId !== undefined && active.has(r.nodeId)) &&
          !this.host.blocklist.isBlocked(r.url, r.nodeId) && this.backoff.due(r.url),
      )
      .sort((a, b) => Number(b.bootnode) - Number(a.bootnode) || b.lastSeen - a.lastSeen);
    for (const r of candidates.slice(0, slots)) this.dial(r.url);
    const now = this.host.clock.now();
    if (candidates.length === 0 && active.size > 0 && this.host.peerExchange && now - this.lastPexAt >= 10 * this.params.tickMs) {
      const ids = [...active.keys()];
      this.askPeers(ids[Math.floor(Math.random() * ids.length)] as PeerId);
    }
  }

  /** Ask `peer` for the peers it knows; good answers go into the peer store. */
  askPeers(peer: PeerId): void {
    this.lastPexAt = this.host.clock.now();
    this.host.reqResp.request(peer, PEERS_METHOD, new Uint8Array(0), this.host.requestTimeoutMs).then(
      (bytes) => {
        let urls: string[];
        try {
          urls = decodePeerList(bytes);
        } catch (e) {
          this.host.penalizeInvalid(peer, (e as Error).message);
          return;
        }
        for (const url of urls) if (!this.isSelf(url)) this.host.store.add(url);
      },
      (e: unknown) => this.host.logger.debug("peer exchange failed", { peer, error: e }),
    );
  }

  private servePeers(from: PeerId): Uint8Array {
    const exclude = new Set<string>([from]);
    const url = this.host.active().get(from)?.hello?.listenUrl;
    if (url) exclude.add(url);
    return encodePeerList(this.host.store.goodUrls(PEX_MAX_URLS, exclude));
  }
}
