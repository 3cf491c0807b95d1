/**
 * `createP2P`: the node-to-node network of one node (DESIGN §P2P). It owns the connections (at most one
 * per node id), turns their failures into scores, cooldowns and bans, dials bootnodes and stored
 * peers towards a target count, and hosts the gossip and request/response engines.
 */
import type { UpgradeDecision } from "../adapter/types.ts";
import type { Logger } from "../util/logger.ts";
import { P2PError, P2PErrorCode } from "./errors.ts";
import { Blocklist, normalizeBlockEntry } from "./_blocklist.ts";
import { CloseCode, KNOWN_REASONS, PeerConnection, handshakeCloseCode, metricReason, reasonOf, reasonOfCode, type ConnectionHost } from "./_connection.ts";
import { dialWebSocket } from "./_dial.ts";
import { Dialer } from "./_dialer.ts";
import { Emitter } from "./_events.ts";
import { FrameType, bytesField, encodeFrame, expectFields, uintField, type Frame } from "./_frame.ts";
import { Gossip } from "./_gossip.ts";
import { inboundUpgrade } from "./_inbound.ts";
import { createIdentity, tryNormalizeUrl, type LocalIdentity } from "./_handshake.ts";
import { DROP_REASONS, countReason, createMetrics, snapshotMetrics, type P2PMetrics } from "./_metrics.ts";
import { checkOptions, positive } from "./_options.ts";
import { PeerStore } from "./_peerStore.ts";
import { PendingInbound } from "./_pendingInbound.ts";
import { ReqResp } from "./_reqResp.ts";
import { PeerScores } from "./_score.ts";
import { DEFAULT_DIAL_PARAMS, DEFAULT_GOSSIP_PARAMS, DEFAULT_PEER_LIMITS, DEFAULT_SCORE_PARAMS, DEFAULT_TIMEOUTS } from "./params.ts";
import type {
  DialParams, GossipHandler, Head, IClock, P2P, P2PEvents, P2PModules, P2POptions, PeerId, PeerInfo, PublishOptions, PublishResult, RateLimits, RequestHandler, ScoreParams,
} from "./types.ts";

const SYSTEM_CLOCK: IClock = { now: () => Date.now() };

/**
 * Create the p2p service. Nothing happens on the network until `start()`.
 * @throws {TypeError|RangeError} on an invalid node key, URL, blocklist entry or limit.
 */
export function createP2P(opts: P2POptions, modules: P2PModules): P2P {
  return new P2PNode(opts, modules);
}

class P2PNode implements P2P, ConnectionHost {
  readonly nodeId: PeerId;
  readonly listenUrl: string;
  readonly local: LocalIdentity;
  readonly maxMessageBytes: number;
  readonly maxBufferedBytes: number;
  readonly handshakeTimeoutMs: number;
  readonly rateLimits: RateLimits;
  readonly clock: IClock;
  // Every reason we count starts at 0, so dashboards find the series before the first drop.
  readonly metrics: P2PMetrics = createMetrics({ drops: [...DROP_REASONS, ...Object.values(P2PErrorCode).map(reasonOfCode)], disconnects: KNOWN_REASONS });
  readonly logger: Logger;
  private readonly conns = new Set<PeerConnection>();
  /** Inbound sockets still in their handshake, bounded per remote address and in total. */
  private readonly pending: PendingInbound<PeerConnection>;
  private readonly inbound = {
    isStopped: () => this.stopped,
    register: (c: PeerConnection) => {
      this.conns.add(c);
      for (const old of this.pending.add(c, c.remoteAddress)) old.close(CloseCode.TOO_MANY_PENDING, "too_many_pending");
    },
  };
  private readonly active = new Map<PeerId, PeerConnection>();
  /** Peers whose connection the other side closed as a duplicate while our replacement is handshaking. */
  private readonly switching = new Map<PeerId, { conn: PeerConnection; reason: string }>();
  private readonly score: ScoreParams;
  private readonly dialParams: DialParams;
  private readonly scores: PeerScores;
  private readonly store: PeerStore;
  private readonly blocklist: Blocklist;
  private readonly dialer: Dialer;
  private readonly gossip: Gossip;
  private readonly reqResp: ReqResp;
  private readonly events: Emitter<P2PEvents>;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private readonly targetPeers: number;
  private readonly idleTimeoutMs: number;
  private lastStatusAt = 0;
  private readonly heartbeatMs: number;
  private started = false;
  private stopped = false;
  private lastHead = "";

  constructor(
    private readonly opts: P2POptions,
    private readonly modules: P2PModules,
  ) {
    const listenUrl = checkOptions(opts);
    this.listenUrl = listenUrl;
    this.local = createIdentity({ secretKey: opts.nodeKey, networkId: opts.networkId, genesisHash: opts.genesisHash, shardId: opts.shardId, listenUrl });
    this.nodeId = this.local.nodeId;
    this.maxMessageBytes = opts.maxMessageBytes;
    this.maxBufferedBytes = Math.max(8 * 1024 * 1024, 4 * opts.maxMessageBytes);
    this.handshakeTimeoutMs = opts.handshakeTimeoutMs ?? DEFAULT_TIMEOUTS.handshakeTimeoutMs;
    this.rateLimits = opts.rateLimits;
    this.targetPeers = Math.min(opts.maxPeers, opts.targetPeers ?? 16);
    this.idleTimeoutMs = positive(opts.idleTimeoutMs ?? DEFAULT_TIMEOUTS.idleTimeoutMs, "idleTimeoutMs");
    this.clock = modules.clock ?? SYSTEM_CLOCK;
    this.logger = modules.logger;
    this.score = { ...DEFAULT_SCORE_PARAMS, ...opts.scoring };
    this.dialParams = { ...DEFAULT_DIAL_PARAMS, ...opts.dial };
    this.scores = new PeerScores(this.score, this.clock);
    this.store = new PeerStore(modules.store, opts.storePrefix ?? "p2p/", this.dialParams.maxFailures);
    this.blocklist = new Blocklist(this.store, this.clock, opts.maxBlocklistEntries ?? DEFAULT_PEER_LIMITS.maxBlocklistEntries);
    this.pending = new PendingInbound(
      opts.maxPendingPerAddress ?? DEFAULT_PEER_LIMITS.maxPendingPerAddress,
      opts.maxPendingInbound ?? DEFAULT_PEER_LIMITS.maxPendingInbound,
    );
    this.events = new Emitter<P2PEvents>(this.logger);
    const gossipParams = { ...DEFAULT_GOSSIP_PARAMS, ...opts.gossip };
    this.heartbeatMs = positive(gossipParams.heartbeatMs, "gossip.heartbeatMs");
    this.gossip = new Gossip(gossipParams, {
      clock: this.clock,
      metrics: this.metrics,
      logger: this.logger,
      maxMessageBytes: this.maxMessageBytes,
      readyPeers: () => this.active.keys(),
      sendFrame: (peer, frame) => this.sendFrame(peer, frame, true),
      penalizeInvalid: (peer, reason) => this.penalize(peer, this.score.invalidMessage, reason),
    });
    this.reqResp = new ReqResp({
      metrics: this.metrics,
      logger: this.logger,
      maxMessageBytes: this.maxMessageBytes,
      isReady: (peer) => this.active.has(peer),
      sendFrame: (peer, frame, droppable) => this.sendFrame(peer, frame, droppable),
      penalizeTimeout: (peer) => this.penalize(peer, this.score.timeout, "request timeout"),
      penalizeInvalid: (peer, reason) => this.penalize(peer, this.score.invalidMessage, reason),
    });
    this.dialer = new Dialer(this.dialParams, {
      listenUrl: this.listenUrl,
      clock: this.clock,
      logger: this.logger,
      metrics: this.metrics,
      store: this.store,
      blocklist: this.blocklist,
      reqResp: this.reqResp,
      targetPeers: this.targetPeers,
      peerExchange: opts.peerExchange ?? true,
      requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_TIMEOUTS.requestTimeoutMs,
      active: () => this.active,
      isStopped: () => this.stopped,
      openOutbound: (url) => this.openOutbound(url),
      penalizeInvalid: (peer, reason) => this.penalize(peer, this.score.invalidMessage, reason),
    });
    for (const b of this.store.load()) this.blocklist.restore(b.entry, b.kind, b.until);
    for (const entry of opts.blocklist) this.blocklist.add(entry, "operator", { persist: false });
    for (const url of opts.bootnodes) {
      const n = tryNormalizeUrl(url);
      if (n === undefined) throw new TypeError(`bootnode is not a ws:// or wss:// URL: ${url}`);
      if (n !== this.listenUrl) this.store.add(n, true);
    }
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const every = (ms: number, fn: () => void) => this.timers.push(setInterval(fn, ms));
    every(this.heartbeatMs, () => this.gossip.heartbeat());
    every(this.opts.statusIntervalMs ?? DEFAULT_TIMEOUTS.statusIntervalMs, () => this.statusTick());
    every(this.dialParams.tickMs, () => this.dialer.tick());
    this.dialer.tick();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.reqResp.stop();
    for (const c of [...this.conns]) c.close(CloseCode.GOING_AWAY, "shutdown");
    // Let the close frames reach the sockets before the caller stops the server.
    await new Promise((r) => setTimeout(r, 10));
  }

  accept(req: Request, remoteAddress = "unknown"): Response | UpgradeDecision {
    if (this.stopped) return new Response("p2p stopped\n", { status: 503 });
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade\n", { status: 426 });
    // Handshaking inbound sockets have their own bound (`pending`), so they do not count here.
    if (this.conns.size - this.pending.size >= this.opts.maxPeers + Math.max(8, this.opts.maxPeers)) return new Response("too many connections\n", { status: 503 });
    return inboundUpgrade(this, this.inbound, remoteAddress);
  }

  // ---- public API -------------------------------------------------------------------------------

  publish(topic: string, data: Uint8Array, opts?: PublishOptions): PublishResult {
    return this.gossip.publish(topic, data, opts);
  }

  subscribe(topic: string, handler: GossipHandler): () => void {
    return this.gossip.subscribe(topic, handler);
  }

  sendTo(peerId: PeerId, topic: string, data: Uint8Array): boolean {
    return this.gossip.sendDirect(peerId, topic, data);
  }

  request(peerId: PeerId, method: string, data: Uint8Array, opts: { timeoutMs?: number } = {}): Promise<Uint8Array> {
    if (this.stopped) return Promise.reject(new P2PError({ code: P2PErrorCode.STOPPED, action: "IGNORE" }, "p2p stopped"));
    return this.reqResp.request(peerId, method, data, opts.timeoutMs ?? this.opts.requestTimeoutMs ?? DEFAULT_TIMEOUTS.requestTimeoutMs);
  }

  handle(method: string, handler: RequestHandler): () => void {
    return this.reqResp.handle(method, handler);
  }

  on<E extends keyof P2PEvents>(event: E, fn: (e: P2PEvents[E]) => void): () => void {
    return this.events.on(event, fn);
  }

  peerCount(): number {
    return this.active.size;
  }

  peers(): PeerInfo[] {
    return [...this.active.values()].map((c) => this.info(c));
  }

  connect(url: string): void {
    const n = tryNormalizeUrl(url);
    if (n === undefined) throw new TypeError(`not a ws:// or wss:// URL: ${url}`);
    if (this.stopped || this.dialer.isSelf(n) || this.blocklist.isBlocked(n)) return;
    this.store.add(n);
    this.dialer.dial(n);
  }

  disconnect(peerId: PeerId, reason = "requested"): void {
    this.active.get(peerId.toLowerCase())?.close(CloseCode.NORMAL, reason);
  }

  block(entry: string): void {
    const key = normalizeBlockEntry(entry);
    this.blocklist.add(key, "operator");
    for (const c of [...this.conns]) if (c.nodeId === key || c.claimedId === key || c.hello?.listenUrl === key || c.dialUrl === key) c.close(CloseCode.BLOCKED, "blocked");
  }

  unblock(entry: string): boolean {
    return this.blocklist.remove(entry) === "operator";
  }

  blockedPeers(): { entry: string; kind: "operator" | "ban" }[] {
    return this.blocklist.list();
  }

  isBlocked(entry: string): boolean {
    return this.blocklist.isBlocked(entry);
  }

  reportInvalid(peerId: PeerId, reason: string): void {
    if (this.active.has(peerId)) this.penalize(peerId, this.score.invalidMessage, reason);
  }

  scoreOf(peerId: PeerId): number {
    return this.scores.get(peerId.toLowerCase());
  }

  getMetrics(): P2PMetrics {
    return snapshotMetrics(this.metrics);
  }

  // ---- connection host --------------------------------------------------------------------------

  getHead(): Head {
    return this.modules.getHead();
  }

  onReady(c: PeerConnection): void {
    this.pending.remove(c);
    const id = c.nodeId as PeerId;
    const url = c.hello?.listenUrl as string;
    if (id === this.nodeId) {
      this.dialer.markSelf(c);
      return c.close(CloseCode.SELF, "self");
    }
    if (c.dialUrl) this.store.add(c.dialUrl).nodeId = id;
    if (this.blocklist.isBlocked(id, url, c.dialUrl)) return c.close(CloseCode.BLOCKED, "blocked");
    if (this.scores.verdict(this.scores.get(id)) !== "ok") return c.close(CloseCode.LOW_SCORE, "low_score");
    const existing = this.active.get(id);
    if (existing) {
      // Keep the connection dialed by the lower node id (then the lower dialer challenge): both
      // sides compute the same answer, so they close the same socket.
      if (c.rank() < existing.rank()) {
        this.active.set(id, c);
        c.accepted = true;
        this.updatePeerMetrics();
        existing.close(CloseCode.DUPLICATE, "duplicate");
      } else c.close(CloseCode.DUPLICATE, "duplicate");
      return;
    }
    const resumed = this.switching.delete(id);
    if (!resumed && this.active.size >= this.opts.maxPeers) return c.close(CloseCode.TOO_MANY_PEERS, "too_many_peers");
    this.active.set(id, c);
    c.accepted = true;
    this.dialer.accepted(c, id);
    this.updatePeerMetrics();
    this.gossip.peerReady(id);
    if (resumed) return; // the same peer on its replacement socket: no events
    this.logger.debug("peer connected", { peer: id, url, direction: c.direction });
    this.events.emit("peer:connect", this.info(c));
    if ((this.opts.peerExchange ?? true) && this.active.size < this.targetPeers) this.dialer.askPeers(id);
  }

  onFrame(c: PeerConnection, f: Frame): void {
    const id = c.nodeId as PeerId;
    try {
      if (f.type === FrameType.STATUS) {
        expectFields(f, 2);
        c.head = { number: uintField(f.fields, 0, 8), hash: bytesField(f.fields, 1, 32) };
        if (this.active.get(id) === c) this.events.emit("peer:head", this.info(c));
      } else if (f.type === FrameType.REQUEST || f.type === FrameType.RESPONSE) this.reqResp.onFrame(id, f);
      else this.gossip.onFrame(id, f);
    } catch (e) {
      if (!(e instanceof P2PError)) throw e;
      this.onViolation(c, e);
    }
  }

  onRateLimited(c: PeerConnection): void {
    countReason(this.metrics.drops, "rate_limited");
    if (c.nodeId && c.state === "ready") this.penalize(c.nodeId, this.score.rateLimited, "rate limited");
    else c.close(CloseCode.PROTOCOL, "rate_limited");
  }

  onViolation(c: PeerConnection, e: P2PError): void {
    const reason = reasonOf(e);
    countReason(this.metrics.drops, reason);
    this.logger.debug("peer protocol violation", { peer: c.nodeId ?? c.remoteAddress, reason: e.message });
    const wasReady = c.state === "ready";
    // Close with the violation as the reason first; the penalty then only decides cooldown or ban.
    c.close(e.code === P2PErrorCode.FRAME_TOO_LARGE ? CloseCode.TOO_LARGE : CloseCode.PROTOCOL, reason);
    if (c.nodeId && wasReady) this.penalize(c.nodeId, this.score.protocolViolation, e.message, true);
  }

  onHandshakeFailed(c: PeerConnection, e: P2PError): void {
    this.metrics.handshakesFailed++;
    this.logger.debug("handshake failed", { remote: c.remoteAddress, direction: c.direction, reason: e.message });
    c.close(handshakeCloseCode(e), reasonOf(e));
  }

  onClosed(c: PeerConnection, code: number, reason: string): void {
    this.conns.delete(c);
    this.pending.remove(c);
    countReason(this.metrics.disconnects, metricReason(code, reason));
    const id = c.nodeId;
    if (id !== undefined && this.active.get(id) === c) {
      this.active.delete(id);
      this.dialer.closed(c, reason, true);
      this.updatePeerMetrics();
      // The peer kept our newer socket (still in its handshake here): wait for it before telling anyone.
      if (reason === "duplicate" && !this.stopped && this.handshaking(id)) this.switching.set(id, { conn: c, reason });
      else this.peerGone(id, c, reason);
      return;
    }
    this.dialer.closed(c, reason, false);
    if (c.claimedId !== undefined) this.settleSwitch(c.claimedId);
  }

  private handshaking(id: PeerId): boolean {
    for (const x of this.conns) if (x.claimedId === id && x.state === "handshake") return true;
    return false;
  }

  /** A switch whose replacement socket failed is a disconnect after all. */
  private settleSwitch(id: PeerId): void {
    const s = this.switching.get(id);
    if (!s || this.active.has(id) || this.handshaking(id)) return;
    this.switching.delete(id);
    this.peerGone(id, s.conn, s.reason);
  }

  private peerGone(id: PeerId, c: PeerConnection, reason: string): void {
    this.gossip.peerGone(id);
    this.reqResp.peerGone(id);
    this.logger.debug("peer disconnected", { peer: id, reason });
    this.events.emit("peer:disconnect", { peer: this.info(c), reason });
  }

  // ---- internals --------------------------------------------------------------------------------

  private sendFrame(peer: PeerId, frame: Uint8Array, droppable: boolean): boolean {
    const c = this.active.get(peer);
    if (!c) return false;
    const ok = c.send(frame, droppable);
    if (!ok && droppable) countReason(this.metrics.drops, "backpressure");
    return ok;
  }

  /**
   * Apply a score change. Below the disconnect threshold the peer is disconnected and kept out for a
   * cooldown; below the ban threshold, or at its second score disconnect within `banMs`, it is banned.
   * `disconnecting` says the caller has just closed the peer's connection for this offence.
   */
  private penalize(peer: PeerId, delta: number, reason: string, disconnecting = false): void {
    const verdict = this.scores.verdict(this.scores.add(peer, delta));
    if (verdict === "ok") return;
    const c = this.active.get(peer);
    const strike = c !== undefined || disconnecting;
    if (verdict === "ban" || (strike && this.scores.strike(peer, this.score.banMs) >= 2)) {
      if (this.blocklist.add(peer, "ban", { durationMs: this.score.banMs }) !== "ban") {
        this.metrics.bans++;
        this.logger.warn("peer banned", { peer, reason, score: this.scores.get(peer) });
      }
      c?.close(CloseCode.BLOCKED, "banned");
      return;
    }
    this.blocklist.add(peer, "cooldown", { durationMs: this.score.cooldownMs });
    if (c) this.logger.info("peer disconnected for its score", { peer, reason, score: this.scores.get(peer) });
    c?.close(CloseCode.LOW_SCORE, "low_score");
  }

  private info(c: PeerConnection): PeerInfo {
    return c.toPeerInfo(this.scores.get(c.nodeId as PeerId));
  }

  private updatePeerMetrics(): void {
    let inbound = 0;
    for (const c of this.active.values()) if (c.direction === "inbound") inbound++;
    this.metrics.peers = this.active.size;
    this.metrics.peersInbound = inbound;
    this.metrics.peersOutbound = this.active.size - inbound;
  }

  /**
   * Announce our head when it changed, or at least every quarter of the idle timeout as a keepalive;
   * close peers silent for longer than the idle timeout (a half-open socket never reports its close).
   */
  private statusTick(): void {
    const now = this.clock.now();
    const head = this.modules.getHead();
    const key = `${head.number}:${head.hash.join(",")}`;
    if (key !== this.lastHead || now - this.lastStatusAt >= this.idleTimeoutMs / 4) {
      this.lastHead = key;
      this.lastStatusAt = now;
      const frame = encodeFrame(FrameType.STATUS, [head.number, head.hash]);
      for (const id of this.active.keys()) this.sendFrame(id, frame, true);
    }
    for (const c of [...this.active.values()]) if (now - c.lastReceivedAt > this.idleTimeoutMs) c.close(CloseCode.NORMAL, "idle");
  }

  private openOutbound(url: string): PeerConnection {
    const c = new PeerConnection(this, "outbound", url);
    this.conns.add(c);
    dialWebSocket(url, c);
    return c;
  }
}
