/**
 * Topic gossip as a bounded-degree mesh (DESIGN §P2P, the gossipsub pattern): peers announce their
 * topics (SUBSCRIPTIONS); each topic keeps D_lo..D_hi mesh peers (GRAFT/PRUNE, repaired each heartbeat);
 * a message is validated once (seen-cache by keccak id), then relayed once to the mesh, never back to
 * a peer that sent it; recent ids are announced lazily (IHAVE) to a few non-mesh peers, which fetch
 * what they miss (IWANT), so gaps heal. Direct messages use the same handlers but are never relayed.
 */
import { keccak256 } from "../crypto/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import type { Logger } from "../util/logger.ts";
import { P2PError } from "./errors.ts";
import { FrameType, bytesField, bytesListField, encodeFrame, expectFields, stringField, type Frame } from "./_frame.ts";
import type { P2PMetrics } from "./_metrics.ts";
import { countReason } from "./_metrics.ts";
import { MessageHistory, SeenCache } from "./_seenCache.ts";
import { LOCAL_PEER, ValidationResult, type GossipHandler, type GossipParams, type IClock, type PeerId, type PublishOptions, type PublishResult } from "./types.ts";

/** Longest topic name. */
export const MAX_TOPIC_LENGTH = 64;
const MAX_TOPICS = 64;

/** What gossip needs from the p2p service. */
export interface GossipHost {
  readonly clock: IClock;
  readonly metrics: P2PMetrics;
  readonly logger: Logger;
  readonly maxMessageBytes: number;
  readyPeers(): Iterable<PeerId>;
  sendFrame(peer: PeerId, frame: Uint8Array): boolean;
  /** The peer sent a message its topic handler rejected. */
  penalizeInvalid(peer: PeerId, reason: string): void;
}

/**
 * Check a topic name.
 * @throws {TypeError} when it is not 1..64 characters.
 */
export function assertTopic(topic: string): void {
  const n = new TextEncoder().encode(topic).length;
  if (typeof topic !== "string" || n === 0 || n > MAX_TOPIC_LENGTH) throw new TypeError(`topic must be 1..${MAX_TOPIC_LENGTH} bytes: ${String(topic).slice(0, 80)}`);
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

/** The gossip engine of one node. */
export class Gossip {
  private readonly handlers = new Map<string, GossipHandler>();
  private readonly peerTopics = new Map<PeerId, Set<string>>();
  private readonly mesh = new Map<string, Set<PeerId>>();
  private readonly seen: SeenCache;
  private readonly asked: SeenCache;
  private readonly history: MessageHistory;
  /** Messages under validation → peers that sent them meanwhile (not relayed back to). */
  private readonly validating = new Map<string, Set<PeerId>>();
  private readonly served = new Map<PeerId, number>();
  private readonly backoff = new Map<string, number>();

  constructor(
    private readonly p: GossipParams,
    private readonly host: GossipHost,
  ) {
    this.seen = new SeenCache(p.seenMax, p.seenTtlMs, host.clock);
    this.asked = new SeenCache(p.seenMax, p.historyMs, host.clock);
    this.history = new MessageHistory(p.historyMs, p.historyMaxBytes, host.clock);
  }

  topics(): string[] {
    return [...this.handlers.keys()];
  }

  /** Subscribe to a topic (one handler per topic); see `P2P.subscribe`. */
  subscribe(topic: string, handler: GossipHandler): () => void {
    assertTopic(topic);
    if (this.handlers.has(topic)) throw new TypeError(`topic ${topic} already has a handler`);
    this.handlers.set(topic, handler);
    this.mesh.set(topic, new Set());
    this.announceSubscriptions();
    this.fillMesh(topic, this.p.D);
    return () => {
      if (this.handlers.get(topic) !== handler) return;
      this.handlers.delete(topic);
      const peers = this.mesh.get(topic) ?? new Set();
      this.mesh.delete(topic);
      for (const peer of peers) this.host.sendFrame(peer, encodeFrame(FrameType.PRUNE, [topic]));
      this.announceSubscriptions();
    };
  }

  /** Publish our own message: to the mesh, topped up to D with other subscribed peers (see `P2P.publish`). */
  publish(topic: string, data: Uint8Array, opts: PublishOptions = {}): PublishResult {
    assertTopic(topic);
    const frame = this.encodeMessage(FrameType.GOSSIP, topic, data);
    const id = keccak256(data);
    const key = `${topic}/${bytesToHex(id)}`;
    if (this.seen.has(key)) return { id, peers: 0, duplicate: true };
    this.seen.add(key);
    this.history.add(key, { topic, id, data });
    const targets = new Set(this.mesh.get(topic) ?? []);
    for (const peer of shuffle(this.subscribers(topic))) {
      if (targets.size >= this.p.D) break;
      targets.add(peer);
    }
    let sent = 0;
    for (const peer of targets) if (this.host.sendFrame(peer, frame)) sent++;
    this.host.metrics.gossipOut += sent;
    const own = opts.local === true ? this.handlers.get(topic) : undefined;
    if (own !== undefined) void this.validate(own, { topic, data, id, direct: false }, LOCAL_PEER);
    return { id, peers: sent, duplicate: false };
  }

  /** A direct message to one peer; false when it could not be queued. */
  sendDirect(peer: PeerId, topic: string, data: Uint8Array): boolean {
    assertTopic(topic);
    const ok = this.host.sendFrame(peer, this.encodeMessage(FrameType.DIRECT, topic, data));
    if (ok) this.host.metrics.directOut++;
    return ok;
  }

  peerReady(peer: PeerId): void {
    this.host.sendFrame(peer, encodeFrame(FrameType.SUBSCRIPTIONS, [this.topics()]));
  }

  peerGone(peer: PeerId): void {
    this.peerTopics.delete(peer);
    this.served.delete(peer);
    for (const m of this.mesh.values()) m.delete(peer);
  }

  /**
   * A gossip-family frame from a ready peer.
   * @throws {P2PError} MALFORMED_FRAME (REJECT) on a frame of the wrong shape.
   */
  onFrame(peer: PeerId, f: Frame): void {
    switch (f.type) {
      case FrameType.SUBSCRIPTIONS: {
        expectFields(f, 1);
        const topics = bytesListField(f.fields, 0, MAX_TOPICS).map((_, i) => stringField(f.fields[0] as Uint8Array[], i, MAX_TOPIC_LENGTH));
        this.onSubscriptions(peer, new Set(topics));
        return;
      }
      case FrameType.GOSSIP:
      case FrameType.DIRECT: {
        expectFields(f, 2);
        const topic = stringField(f.fields, 0, MAX_TOPIC_LENGTH);
        const data = bytesField(f.fields, 1);
        if (f.type === FrameType.GOSSIP) this.onGossip(peer, topic, data);
        else this.onDirect(peer, topic, data);
        return;
      }
      case FrameType.IHAVE:
      case FrameType.IWANT: {
        expectFields(f, 2);
        const topic = stringField(f.fields, 0, MAX_TOPIC_LENGTH);
        const ids = bytesListField(f.fields, 1, this.p.maxIHaveIds);
        for (let i = 0; i < ids.length; i++) bytesField(ids, i, 32);
        if (f.type === FrameType.IHAVE) this.onIHave(peer, topic, ids);
        else this.onIWant(peer, topic, ids);
        return;
      }
      case FrameType.GRAFT:
      case FrameType.PRUNE: {
        expectFields(f, 1);
        const topic = stringField(f.fields, 0, MAX_TOPIC_LENGTH);
        if (f.type === FrameType.GRAFT) this.onGraft(peer, topic);
        else this.onPrune(peer, topic);
        return;
      }
    }
  }

  /** Repair meshes, announce recent ids to non-mesh peers, expire caches. */
  heartbeat(): void {
    const now = this.host.clock.now();
    for (const [k, until] of this.backoff) if (until <= now) this.backoff.delete(k);
    this.served.clear();
    this.history.prune();
    for (const [topic, mesh] of this.mesh) {
      if (mesh.size < this.p.Dlo) this.fillMesh(topic, this.p.D);
      if (mesh.size > this.p.Dhi) {
        for (const peer of shuffle([...mesh]).slice(this.p.D)) {
          mesh.delete(peer);
          this.backoff.set(`${topic}/${peer}`, now + 10 * this.p.heartbeatMs);
          this.host.sendFrame(peer, encodeFrame(FrameType.PRUNE, [topic]));
        }
      }
      const ids = this.history.recentIds(topic, 3 * this.p.heartbeatMs).slice(-this.p.maxIHaveIds);
      if (ids.length === 0) continue;
      const lazy = shuffle(this.subscribers(topic).filter((p) => !mesh.has(p))).slice(0, this.p.Dlazy);
      const frame = encodeFrame(FrameType.IHAVE, [topic, ids]);
      for (const peer of lazy) if (this.host.sendFrame(peer, frame)) this.host.metrics.ihaveOut++;
    }
  }

  private encodeMessage(type: FrameType, topic: string, data: Uint8Array): Uint8Array {
    const frame = encodeFrame(type, [topic, data]);
    if (frame.length > this.host.maxMessageBytes) throw new RangeError(`message of ${data.length} bytes does not fit maxMessageBytes ${this.host.maxMessageBytes}`);
    return frame;
  }

  private subscribers(topic: string): PeerId[] {
    const out: PeerId[] = [];
    for (const peer of this.host.readyPeers()) if (this.peerTopics.get(peer)?.has(topic)) out.push(peer);
    return out;
  }

  private announceSubscriptions(): void {
    const frame = encodeFrame(FrameType.SUBSCRIPTIONS, [this.topics()]);
    for (const peer of this.host.readyPeers()) this.host.sendFrame(peer, frame);
  }

  private fillMesh(topic: string, target: number): void {
    const mesh = this.mesh.get(topic);
    if (!mesh) return;
    const now = this.host.clock.now();
    for (const peer of shuffle(this.subscribers(topic))) {
      if (mesh.size >= target) break;
      if (mesh.has(peer) || (this.backoff.get(`${topic}/${peer}`) ?? 0) > now) continue;
      mesh.add(peer);
      this.host.sendFrame(peer, encodeFrame(FrameType.GRAFT, [topic]));
    }
  }

  private onSubscriptions(peer: PeerId, topics: Set<string>): void {
    this.peerTopics.set(peer, topics);
    const now = this.host.clock.now();
    for (const [topic, mesh] of this.mesh) {
      if (!topics.has(topic)) mesh.delete(peer);
      else if (mesh.size < this.p.D && !mesh.has(peer) && (this.backoff.get(`${topic}/${peer}`) ?? 0) <= now) {
        // Below D every subscribed peer joins the mesh at once, not at the next heartbeat.
        mesh.add(peer);
        this.host.sendFrame(peer, encodeFrame(FrameType.GRAFT, [topic]));
      }
    }
  }

  private onGraft(peer: PeerId, topic: string): void {
    const mesh = this.mesh.get(topic);
    const backedOff = (this.backoff.get(`${topic}/${peer}`) ?? 0) > this.host.clock.now();
    if (!mesh || mesh.size >= this.p.Dhi || backedOff) {
      this.host.sendFrame(peer, encodeFrame(FrameType.PRUNE, [topic]));
      return;
    }
    this.peerTopics.get(peer)?.add(topic);
    mesh.add(peer);
  }

  private onPrune(peer: PeerId, topic: string): void {
    this.mesh.get(topic)?.delete(peer);
    this.backoff.set(`${topic}/${peer}`, this.host.clock.now() + 10 * this.p.heartbeatMs);
  }

  private onGossip(peer: PeerId, topic: string, data: Uint8Array): void {
    const m = this.host.metrics;
    m.gossipIn++;
    const handler = this.handlers.get(topic);
    if (!handler) {
      countReason(m.drops, "unsubscribed_topic");
      return;
    }
    const id = keccak256(data);
    const key = `${topic}/${bytesToHex(id)}`;
    if (this.seen.has(key)) {
      m.gossipDuplicates++;
      this.validating.get(key)?.add(peer);
      return;
    }
    this.seen.add(key);
    this.validating.set(key, new Set([peer]));
    void this.validate(handler, { topic, data, id, direct: false }, peer).then((result) => {
      const senders = this.validating.get(key) ?? new Set([peer]);
      this.validating.delete(key);
      this.record(result, peer, topic);
      if (result !== ValidationResult.ACCEPT) return;
      this.history.add(key, { topic, id, data });
      const frame = encodeFrame(FrameType.GOSSIP, [topic, data]);
      for (const target of this.mesh.get(topic) ?? []) {
        if (!senders.has(target) && this.host.sendFrame(target, frame)) m.gossipOut++;
      }
    });
  }

  private onDirect(peer: PeerId, topic: string, data: Uint8Array): void {
    this.host.metrics.directIn++;
    const handler = this.handlers.get(topic);
    if (!handler) {
      countReason(this.host.metrics.drops, "unsubscribed_topic");
      return;
    }
    void this.validate(handler, { topic, data, id: keccak256(data), direct: true }, peer).then((r) => this.record(r, peer, topic));
  }

  private record(result: ValidationResult, peer: PeerId, topic: string): void {
    const m = this.host.metrics;
    if (result === ValidationResult.ACCEPT) m.gossipAccepted++;
    else if (result === ValidationResult.IGNORE) m.gossipIgnored++;
    else {
      m.gossipRejected++;
      this.host.penalizeInvalid(peer, `invalid ${topic} message`);
    }
  }

  private async validate(handler: GossipHandler, msg: Parameters<GossipHandler>[0], peer: PeerId): Promise<ValidationResult> {
    try {
      const r = await handler(msg, peer);
      return r === ValidationResult.ACCEPT || r === ValidationResult.REJECT ? r : ValidationResult.IGNORE;
    } catch (e) {
      if (e instanceof P2PError) return e.action === "REJECT" ? ValidationResult.REJECT : ValidationResult.IGNORE;
      this.host.logger.warn("gossip handler failed", { topic: msg.topic, peer, error: e });
      return ValidationResult.IGNORE;
    }
  }

  private onIHave(peer: PeerId, topic: string, ids: Uint8Array[]): void {
    if (!this.handlers.has(topic)) return;
    const want: Uint8Array[] = [];
    for (const id of ids) {
      const key = `${topic}/${bytesToHex(id)}`;
      if (this.seen.has(key) || this.asked.has(key)) continue;
      this.asked.add(key);
      want.push(id);
    }
    if (want.length > 0 && this.host.sendFrame(peer, encodeFrame(FrameType.IWANT, [topic, want]))) this.host.metrics.iwantOut++;
  }

  private onIWant(peer: PeerId, topic: string, ids: Uint8Array[]): void {
    let served = this.served.get(peer) ?? 0;
    for (const id of ids) {
      if (served >= this.p.maxIHaveIds) break;
      const msg = this.history.get(`${topic}/${bytesToHex(id)}`);
      if (!msg) continue;
      served++;
      if (this.host.sendFrame(peer, encodeFrame(FrameType.GOSSIP, [topic, msg.data]))) this.host.metrics.iwantServed++;
    }
    this.served.set(peer, served);
  }
}
