/**
 * Request/response on the peer socket: REQUEST [id u32, method, payload] is answered by RESPONSE
 * [id, status, payload]. Each request has a timeout (the peer is scored down when it passes); each
 * peer has a cap on requests it may have in flight with us; responses that arrive late are dropped.
 */
import type { Logger } from "../util/logger.ts";
import { P2PError, P2PErrorCode, PeerAction, malformed } from "./errors.ts";
import { FrameType, bytesField, encodeFrame, expectFields, numField, stringField, uintField, type Frame } from "./_frame.ts";
import { countReason, type P2PMetrics } from "./_metrics.ts";
import type { PeerId, RequestHandler } from "./types.ts";

/** Longest method name. */
export const MAX_METHOD_LENGTH = 64;
const MAX_INFLIGHT_PER_PEER = 32;
// Bytes of framing around a response payload: type, list header, id, status, payload header.
const RESPONSE_OVERHEAD = 32;

const Status = { OK: 0, ERROR: 1, UNKNOWN_METHOD: 2, BUSY: 3 } as const;

/** What request/response needs from the p2p service. */
export interface ReqRespHost {
  readonly metrics: P2PMetrics;
  readonly logger: Logger;
  readonly maxMessageBytes: number;
  isReady(peer: PeerId): boolean;
  sendFrame(peer: PeerId, frame: Uint8Array, droppable: boolean): boolean;
  penalizeTimeout(peer: PeerId): void;
  penalizeInvalid(peer: PeerId, reason: string): void;
}

interface Pending {
  peer: PeerId;
  method: string;
  resolve(b: Uint8Array): void;
  reject(e: P2PError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Outgoing requests and incoming request handlers. */
export class ReqResp {
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly pending = new Map<number, Pending>();
  private readonly inflight = new Map<PeerId, number>();
  private nextId = 1;

  constructor(private readonly host: ReqRespHost) {}

  /** Register a method handler; `internal` allows the reserved `p2p/` namespace. */
  handle(method: string, handler: RequestHandler, internal = false): () => void {
    const n = new TextEncoder().encode(method).length;
    if (typeof method !== "string" || n === 0 || n > MAX_METHOD_LENGTH) throw new TypeError(`method must be 1..${MAX_METHOD_LENGTH} bytes`);
    if (method.startsWith("p2p/") && !internal) throw new TypeError(`method namespace p2p/ is reserved: ${method}`);
    if (this.handlers.has(method)) throw new TypeError(`method ${method} already has a handler`);
    this.handlers.set(method, handler);
    return () => {
      if (this.handlers.get(method) === handler) this.handlers.delete(method);
    };
  }

  /** Send a request; see `P2P.request`. */
  request(peer: PeerId, method: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const I = PeerAction.IGNORE;
    if (!this.host.isReady(peer)) {
      return Promise.reject(new P2PError({ code: P2PErrorCode.PEER_NOT_CONNECTED, action: I, peer }, `peer ${peer} is not connected`));
    }
    const id = this.nextId;
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
    const frame = encodeFrame(FrameType.REQUEST, [id, method, data]);
    if (frame.length > this.host.maxMessageBytes) {
      return Promise.reject(new RangeError(`request of ${data.length} bytes does not fit maxMessageBytes ${this.host.maxMessageBytes}`));
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.host.metrics.requestTimeouts++;
        this.host.penalizeTimeout(peer);
        reject(new P2PError({ code: P2PErrorCode.REQUEST_TIMEOUT, action: I, peer, method, timeoutMs }, `${method} to ${peer} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { peer, method, resolve, reject, timer });
      if (!this.host.sendFrame(peer, frame, false)) {
        this.settle(id)?.reject(new P2PError({ code: P2PErrorCode.SEND_FAILED, action: I, peer }, `could not send ${method} to ${peer}`));
        return;
      }
      this.host.metrics.requestsOut++;
    });
  }

  /**
   * A REQUEST or RESPONSE frame from a ready peer.
   * @throws {P2PError} MALFORMED_FRAME (REJECT).
   */
  onFrame(peer: PeerId, f: Frame): void {
    expectFields(f, 3);
    const id = Number(uintField(f.fields, 0, 4));
    if (f.type === FrameType.REQUEST) this.onRequest(peer, id, stringField(f.fields, 1, MAX_METHOD_LENGTH), bytesField(f.fields, 2));
    else this.onResponse(peer, id, numField(f.fields, 1), bytesField(f.fields, 2));
  }

  /** Fail every request pending on a peer that went away. */
  peerGone(peer: PeerId): void {
    this.inflight.delete(peer);
    for (const [id, p] of this.pending) {
      if (p.peer !== peer) continue;
      this.settle(id)?.reject(new P2PError({ code: P2PErrorCode.PEER_DISCONNECTED, action: PeerAction.IGNORE, peer }, `peer ${peer} disconnected during ${p.method}`));
    }
  }

  /** Fail everything pending (shutdown). */
  stop(): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new P2PError({ code: P2PErrorCode.STOPPED, action: PeerAction.IGNORE }, "p2p stopped"));
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }

  private respond(peer: PeerId, id: number, status: number, payload: Uint8Array): void {
    this.host.sendFrame(peer, encodeFrame(FrameType.RESPONSE, [id, status, payload]), false);
  }

  private onRequest(peer: PeerId, id: number, method: string, data: Uint8Array): void {
    this.host.metrics.requestsIn++;
    const handler = this.handlers.get(method);
    if (!handler) {
      this.respond(peer, id, Status.UNKNOWN_METHOD, new Uint8Array(0));
      return;
    }
    const n = this.inflight.get(peer) ?? 0;
    if (n >= MAX_INFLIGHT_PER_PEER) {
      countReason(this.host.metrics.drops, "requests_busy");
      this.respond(peer, id, Status.BUSY, new Uint8Array(0));
      return;
    }
    this.inflight.set(peer, n + 1);
    void (async () => {
      try {
        const out = await handler(data, peer);
        if (out.length + RESPONSE_OVERHEAD > this.host.maxMessageBytes) {
          this.host.logger.warn("response too large", { method, peer, bytes: out.length });
          this.respond(peer, id, Status.ERROR, new TextEncoder().encode("response too large"));
        } else this.respond(peer, id, Status.OK, out);
      } catch (e) {
        if (e instanceof P2PError && e.action === PeerAction.REJECT) this.host.penalizeInvalid(peer, `invalid ${method} request`);
        else if (!(e instanceof P2PError)) this.host.logger.warn("request handler failed", { method, peer, error: e });
        this.respond(peer, id, Status.ERROR, new TextEncoder().encode(e instanceof Error ? e.message.slice(0, 200) : "error"));
      } finally {
        const left = (this.inflight.get(peer) ?? 1) - 1;
        if (left > 0) this.inflight.set(peer, left);
        else this.inflight.delete(peer);
      }
    })();
  }

  private onResponse(peer: PeerId, id: number, status: number, payload: Uint8Array): void {
    const p = this.pending.get(id);
    if (!p || p.peer !== peer) {
      // Late (after its timeout) or unknown: nothing waits for it any more.
      countReason(this.host.metrics.drops, "unsolicited_response");
      return;
    }
    if (status > Status.BUSY) throw malformed(`response status ${status}`);
    this.settle(id);
    const { method } = p;
    const I = PeerAction.IGNORE;
    if (status === Status.OK) p.resolve(payload);
    else if (status === Status.UNKNOWN_METHOD) p.reject(new P2PError({ code: P2PErrorCode.UNKNOWN_METHOD, action: I, peer, method }, `peer ${peer} does not serve ${method}`));
    else {
      const reason = status === Status.BUSY ? "busy" : new TextDecoder().decode(payload);
      p.reject(new P2PError({ code: P2PErrorCode.REMOTE_ERROR, action: I, peer, method, reason }, `${method} failed on ${peer}: ${reason}`));
    }
  }
}
