/**
 * One WebSocket to one peer, either side: size check, rate limit and decoding of every frame, the
 * handshake state machine (HELLO, then AUTH, see `_handshake.ts`), and a handshake timeout. Everything
 * after the handshake goes to the host; so does every failure, which the host turns into scoring and
 * a close with a reason.
 */
import { P2PError, P2PErrorCode, PeerAction } from "./errors.ts";
import { FrameType, decodeFrame, frameTooLarge, type Frame } from "./_frame.ts";
import { assertCompatible, decodeHello, encodeAuth, encodeHello, newChallenge, nodeIdOf, verifyAuth, type Hello, type LocalIdentity } from "./_handshake.ts";
import type { P2PMetrics } from "./_metrics.ts";
import { PeerRateLimiter } from "./_rateLimiter.ts";
import type { Head, IClock, PeerId, PeerInfo, RateLimits } from "./types.ts";

/** The socket under a connection (server-side adapter socket or client WebSocket). */
export interface Transport {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  readonly bufferedAmount: number;
  readonly remoteAddress: string;
}

/** WebSocket close codes we send (4000–4999 is the application range). */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL: 4000,
  INCOMPATIBLE: 4001,
  BAD_AUTH: 4002,
  HANDSHAKE_TIMEOUT: 4003,
  DUPLICATE: 4004,
  TOO_MANY_PEERS: 4005,
  BLOCKED: 4006,
  LOW_SCORE: 4007,
  SELF: 4008,
  TOO_LARGE: 4009,
  /** An unauthenticated inbound socket evicted by newer ones from the same address (or a full pending table). */
  TOO_MANY_PENDING: 4010,
} as const;

/** Close reasons we produce; any other reason a peer sends is counted by its close code (bounded metric keys). */
export const KNOWN_REASONS: ReadonlySet<string> = new Set([
  "shutdown", "requested", "duplicate", "too_many_peers", "blocked", "banned", "low_score", "self", "rate_limited", "remote_closed", "idle", "too_many_pending",
  ...Object.values(P2PErrorCode).map(reasonOfCode),
]);

/** The metric key of a close: the reason when it is one of ours, else `code_<code>`. */
export function metricReason(code: number, reason: string): string {
  return KNOWN_REASONS.has(reason) ? reason : `code_${code}`;
}

/** The close reason of an error: its code without the prefix, lowercase. */
export function reasonOf(e: P2PError): string {
  return reasonOfCode(e.code);
}

/** The metric key of a P2P error code (`P2P_FRAME_TOO_LARGE` → `frame_too_large`). */
export function reasonOfCode(code: string): string {
  return code.replace(/^P2P_/, "").toLowerCase();
}

/** The close code for a failed handshake. */
export function handshakeCloseCode(e: P2PError): number {
  if (e.code === P2PErrorCode.BAD_SIGNATURE) return CloseCode.BAD_AUTH;
  if (e.code === P2PErrorCode.HANDSHAKE_TIMEOUT) return CloseCode.HANDSHAKE_TIMEOUT;
  if (e.code === P2PErrorCode.FRAME_TOO_LARGE) return CloseCode.TOO_LARGE;
  if (e.code.endsWith("_MISMATCH") || e.code === P2PErrorCode.PROTOCOL_VERSION) return CloseCode.INCOMPATIBLE;
  return CloseCode.PROTOCOL;
}

/** What a connection needs from the p2p service. */
export interface ConnectionHost {
  readonly local: LocalIdentity;
  readonly maxMessageBytes: number;
  readonly maxBufferedBytes: number;
  readonly handshakeTimeoutMs: number;
  readonly rateLimits: RateLimits;
  readonly clock: IClock;
  readonly metrics: P2PMetrics;
  getHead(): Head;
  onReady(c: PeerConnection): void;
  onFrame(c: PeerConnection, f: Frame): void;
  onRateLimited(c: PeerConnection, size: number): void;
  /** A broken frame or a frame out of place: REJECT, the host scores and closes. */
  onViolation(c: PeerConnection, e: P2PError): void;
  onHandshakeFailed(c: PeerConnection, e: P2PError): void;
  onClosed(c: PeerConnection, code: number, reason: string): void;
}

type State = "connecting" | "handshake" | "ready" | "closed";

/** One peer connection and its handshake. */
export class PeerConnection {
  state: State = "connecting";
  readonly ourChallenge = newChallenge();
  hello?: Hello;
  /** The node id the peer's HELLO announces, before AUTH proves it. */
  claimedId?: PeerId;
  /** The proven node id (set with state "ready"). */
  nodeId?: PeerId;
  head: Head = { number: 0n, hash: new Uint8Array(32) };
  connectedAt = 0;
  /** Clock time of the last frame received (for the idle timeout). */
  lastReceivedAt: number;
  /** True once the handshake completed on this connection (even if it closed since). */
  wasReady = false;
  /** True once the service made this the peer's connection (not a rejected duplicate). */
  accepted = false;
  private transport?: Transport;
  private readonly limiter: PeerRateLimiter;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ConnectionHost,
    readonly direction: "inbound" | "outbound",
    /** The URL we dialed (outbound only). */
    readonly dialUrl?: string,
  ) {
    this.limiter = new PeerRateLimiter(host.rateLimits, host.maxMessageBytes, host.clock);
    this.lastReceivedAt = host.clock.now();
    this.timer = setTimeout(() => {
      const timeoutMs = host.handshakeTimeoutMs;
      const e = new P2PError({ code: P2PErrorCode.HANDSHAKE_TIMEOUT, action: PeerAction.IGNORE, timeoutMs }, `no handshake within ${timeoutMs} ms`);
      if (this.state !== "ready" && this.state !== "closed") host.onHandshakeFailed(this, e);
    }, host.handshakeTimeoutMs);
  }

  get remoteAddress(): string {
    return this.transport?.remoteAddress ?? this.dialUrl ?? "unknown";
  }

  /** The peer as the service reports it (after the handshake), with its current score. */
  toPeerInfo(score: number): PeerInfo {
    return {
      id: this.nodeId as PeerId,
      url: this.hello?.listenUrl ?? "",
      direction: this.direction,
      remoteAddress: this.remoteAddress,
      head: this.head,
      score,
      connectedAt: this.connectedAt,
    };
  }

  /** Attach the socket (before or at open). */
  attach(t: Transport): void {
    this.transport = t;
  }

  /** The socket is open: send our HELLO. */
  open(): void {
    if (this.state !== "connecting") return;
    this.state = "handshake";
    this.send(encodeHello(this.host.local, this.ourChallenge, this.host.getHead()), false);
  }

  /** The node id and challenge of the side that dialed: duplicate connections keep the lowest. */
  rank(): string {
    if (this.direction === "outbound") return `${this.host.local.nodeId}:${hex(this.ourChallenge)}`;
    return `${this.nodeId ?? ""}:${this.hello ? hex(this.hello.challenge) : ""}`;
  }

  /** One message from the socket. */
  receive(data: string | Uint8Array): void {
    if (this.state === "closed") return;
    const m = this.host.metrics;
    const size = data.length;
    m.framesIn++;
    m.bytesIn += size;
    this.lastReceivedAt = this.host.clock.now();
    let frame: Frame;
    try {
      // Size first, before the rate limiter or any decoding touches the bytes.
      if (size > this.host.maxMessageBytes) throw frameTooLarge(size, this.host.maxMessageBytes);
      if (!this.limiter.allow(size)) {
        this.host.onRateLimited(this, size);
        return;
      }
      frame = decodeFrame(data, this.host.maxMessageBytes);
    } catch (e) {
      if (!(e instanceof P2PError)) throw e;
      this.host.onViolation(this, e);
      return;
    }
    if (this.state === "ready") {
      if (frame.type === FrameType.HELLO || frame.type === FrameType.AUTH) this.host.onViolation(this, unexpected(frame, this.state));
      else this.host.onFrame(this, frame);
      return;
    }
    try {
      this.handshakeStep(frame);
    } catch (e) {
      if (e instanceof P2PError) this.host.onHandshakeFailed(this, e);
      else throw e;
    }
  }

  private handshakeStep(frame: Frame): void {
    if (frame.type === FrameType.HELLO && this.hello === undefined && this.state === "handshake") {
      const hello = decodeHello(frame);
      assertCompatible(this.host.local, hello);
      this.hello = hello;
      this.claimedId = nodeIdOf(hello.publicKey);
      this.head = hello.head;
      this.send(encodeAuth(this.host.local, hello.challenge), false);
      return;
    }
    if (frame.type === FrameType.AUTH && this.hello !== undefined) {
      this.nodeId = verifyAuth(frame, this.hello, this.ourChallenge);
      this.state = "ready";
      this.wasReady = true;
      this.connectedAt = this.host.clock.now();
      clearTimeout(this.timer);
      this.host.metrics.handshakesOk++;
      this.host.onReady(this);
      return;
    }
    throw unexpected(frame, this.state);
  }

  /**
   * Queue a frame; false when closed or, for droppable frames, when the socket's buffer is over the
   * limit (a slow peer loses gossip rather than growing our memory).
   */
  send(frame: Uint8Array, droppable = true): boolean {
    if (this.state === "closed" || this.state === "connecting" || !this.transport) return false;
    if (droppable && this.transport.bufferedAmount > this.host.maxBufferedBytes) return false;
    try {
      this.transport.send(frame);
    } catch {
      return false;
    }
    this.host.metrics.framesOut++;
    this.host.metrics.bytesOut += frame.length;
    return true;
  }

  /** Close with a code and reason; the host hears of it once. */
  close(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    clearTimeout(this.timer);
    try {
      this.transport?.close(code, reason);
    } catch {
      // Already closing on the other side; nothing left to do.
    }
    this.host.onClosed(this, code, reason);
  }

  /** The socket closed from the other side (or failed to connect). */
  transportClosed(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    clearTimeout(this.timer);
    this.host.onClosed(this, code, reason || "remote_closed");
  }
}

function unexpected(frame: Frame, state: string): P2PError {
  return new P2PError(
    { code: P2PErrorCode.UNEXPECTED_FRAME, action: PeerAction.REJECT, frameType: frame.type, state },
    `frame type 0x${frame.type.toString(16)} not allowed in state ${state}`,
  );
}

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
