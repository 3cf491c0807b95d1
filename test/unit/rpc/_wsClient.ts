/** Test WebSocket clients: a queued JSON client over the global WebSocket, and a raw TCP one that can stop reading. */
import { connect, type Socket } from "node:net";

/** A JSON-RPC WebSocket client whose incoming messages are queued for `next()`. */
export interface JsonWs {
  ws: WebSocket;
  send(msg: unknown): void;
  /** Next message, or reject after `ms`. */
  next(ms?: number): Promise<any>;
  /** Send a request and wait for the response with its id (notifications seen meanwhile stay queued). */
  call(method: string, params?: unknown[]): Promise<any>;
  /** Resolves with the close event. */
  closed: Promise<CloseEvent>;
  queue: any[];
}

export async function openJsonWs(url: string): Promise<JsonWs> {
  const ws = new WebSocket(url);
  const queue: any[] = [];
  const waiters: ((m: any) => void)[] = [];
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data));
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  };
  const closed = new Promise<CloseEvent>((r) => ws.addEventListener("close", (e) => r(e)));
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`websocket ${url} failed`));
  });
  const next = (ms = 2000) =>
    new Promise<any>((resolve, reject) => {
      const q = queue.shift();
      if (q !== undefined) return resolve(q);
      const t = setTimeout(() => reject(new Error("timeout waiting for a websocket message")), ms);
      waiters.push((m) => {
        clearTimeout(t);
        resolve(m);
      });
    });
  let id = 1000;
  const call = async (method: string, params: unknown[] = []) => {
    const myId = id++;
    ws.send(JSON.stringify({ jsonrpc: "2.0", id: myId, method, params }));
    const held: any[] = [];
    for (;;) {
      const m = await next();
      if (m.id === myId) {
        queue.unshift(...held);
        return m;
      }
      held.push(m);
    }
  };
  return { ws, send: (m) => ws.send(typeof m === "string" ? m : JSON.stringify(m)), next, call, closed, queue };
}

/** A WebSocket spoken by hand over TCP, so the test can stop reading (pause) like a stuck client. */
export interface RawWs {
  sock: Socket;
  sendText(text: string): void;
  /** Bytes received after the handshake. */
  received(): Buffer;
  /** Resolves when the TCP connection ends. */
  ended: Promise<void>;
}

export async function openRawWs(port: number, path = "/ws"): Promise<RawWs> {
  const sock = connect(port, "127.0.0.1");
  let buf = Buffer.alloc(0);
  let handshakeDone = false;
  let onHandshake: (() => void) | undefined;
  const ended = new Promise<void>((r) => {
    sock.on("close", () => r());
  });
  sock.on("error", () => {});
  sock.on("data", (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    if (!handshakeDone) {
      const i = buf.indexOf("\r\n\r\n");
      if (i >= 0) {
        if (!buf.subarray(0, i).toString().startsWith("HTTP/1.1 101")) throw new Error(`handshake failed: ${buf.toString()}`);
        buf = buf.subarray(i + 4);
        handshakeDone = true;
        onHandshake?.();
      }
    }
  });
  await new Promise<void>((r) => sock.once("connect", () => r()));
  sock.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  await new Promise<void>((r) => (handshakeDone ? r() : (onHandshake = r)));
  return {
    sock,
    // Client frames must be masked (RFC 6455 §5.3); a zero mask leaves the payload as is.
    sendText(text) {
      const payload = Buffer.from(text);
      const head =
        payload.length < 126
          ? Buffer.from([0x81, 0x80 | payload.length])
          : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
      sock.write(Buffer.concat([head, Buffer.alloc(4), payload]));
    },
    received: () => buf,
    ended,
  };
}

/** Server frames (unmasked) in `buf`: opcode and payload, RFC 6455 §5.2. */
export function parseFrames(buf: Buffer): { opcode: number; payload: Buffer }[] {
  const out: { opcode: number; payload: Buffer }[] = [];
  let o = 0;
  while (o + 2 <= buf.length) {
    const opcode = (buf[o] as number) & 0x0f;
    let len = (buf[o + 1] as number) & 0x7f;
    let p = o + 2;
    if (len === 126) {
      len = buf.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      len = Number(buf.readBigUInt64BE(p));
      p += 8;
    }
    if (p + len > buf.length) break;
    out.push({ opcode, payload: buf.subarray(p, p + len) });
    o = p + len;
  }
  return out;
}
