/**
 * Outbound side: a client WebSocket (the web-standard global, so it runs on Bun and Deno alike) under a
 * {@link PeerConnection}, and per-address exponential backoff with jitter for redialing.
 */
import { CloseCode, type PeerConnection } from "./_connection.ts";
import type { DialParams, IClock } from "./types.ts";

/** Open a client WebSocket to `url` and wire it to `conn`; a URL the WebSocket refuses closes `conn`. */
export function dialWebSocket(url: string, conn: PeerConnection): void {
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch (e) {
    conn.transportClosed(CloseCode.PROTOCOL, `cannot dial: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  ws.binaryType = "arraybuffer";
  conn.attach({
    send: (d) => ws.send(d),
    // A client may only send 1000 or 3000–4999, with a reason of at most 123 bytes.
    close: (code, reason) => ws.close(code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000, truncate(reason)),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    remoteAddress: url,
  });
  ws.onopen = () => conn.open();
  ws.onmessage = (e: MessageEvent) => conn.receive(typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer));
  ws.onclose = (e: CloseEvent) => conn.transportClosed(e.code, e.reason);
  // An error is always followed by a close event, which carries what we need.
  ws.onerror = () => {};
}

/** A close reason cut to the 123 bytes a WebSocket close frame allows. */
export function truncate(reason: string): string {
  const b = new TextEncoder().encode(reason);
  if (b.length <= 123) return reason;
  return new TextDecoder().decode(b.subarray(0, 120)).replace(/\uFFFD+$/, "");
}

/** Backoff state per address. */
export class Backoff {
  private readonly state = new Map<string, { attempts: number; nextAt: number }>();
  constructor(
    private readonly params: DialParams,
    private readonly clock: IClock,
  ) {}

  /** May `url` be dialed now? */
  due(url: string): boolean {
    return (this.state.get(url)?.nextAt ?? 0) <= this.clock.now();
  }

  /** A dial failed: wait base·2^(n-1), capped, times a random factor in [0.5, 1). */
  failed(url: string): void {
    const attempts = (this.state.get(url)?.attempts ?? 0) + 1;
    const delay = Math.min(this.params.backoffMaxMs, this.params.backoffBaseMs * 2 ** (attempts - 1));
    this.state.set(url, { attempts, nextAt: this.clock.now() + this.jitter(delay) });
  }

  /** A connected peer went away: retry soon (one jittered base delay), with a fresh attempt count. */
  disconnected(url: string): void {
    this.state.set(url, { attempts: 0, nextAt: this.clock.now() + this.jitter(this.params.backoffBaseMs) });
  }

  succeeded(url: string): void {
    this.state.delete(url);
  }

  /** The address was dropped from the peer store. */
  forget(url: string): void {
    this.state.delete(url);
  }

  private jitter(ms: number): number {
    return ms * (0.5 + Math.random() * 0.5);
  }
}
