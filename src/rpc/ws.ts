/**
 * One JSON-RPC WebSocket connection: requests, subscriptions and back-pressure. A client that does
 * not read fast enough (more than `maxBufferedBytes` unsent) is closed with 1008 "subscriber too
 * slow" rather than buffered without bound. Keepalive pings and closing sockets that stop answering
 * them are done by the runtime adapter (`idleTimeoutSec`).
 * @module
 */
import type { ServerSocket, SocketHandlers } from "../adapter/types.ts";
import type { Logger } from "../util/logger.ts";
import type { MethodContext, SubscriptionHost } from "./context.ts";
import { RpcErrorCode, rpcError } from "./errors.ts";
import { errorResponse, type Dispatcher } from "./jsonrpc.ts";

/** Most subscriptions one connection may hold. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 1000;
/** Most requests of one connection being worked on at once; more are refused until some finish. */
export const MAX_INFLIGHT_PER_CONNECTION = 256;
/** Close code and reason for a subscriber whose unsent data passed the limit. */
export const SLOW_CLOSE_CODE = 1008;
export const SLOW_CLOSE_REASON = "subscriber too slow";

/** Options of {@link createWsConnection}. */
export interface WsConnectionOptions {
  dispatch: Dispatcher;
  ctx: MethodContext;
  maxMessageBytes: number;
  maxBufferedBytes: number;
  logger: Logger;
  /** Rate limit of the client: asked per message with its number of calls (see {@link Dispatcher}). */
  admit?: (calls: number) => boolean;
  /** Called when the socket opens, and once when the connection ends (for the server's bookkeeping). */
  onOpened?: () => void;
  onClosed?: () => void;
}

/** The socket handlers of one connection, plus a way for the server to end it. */
export interface WsConnection {
  handlers: SocketHandlers;
  close(code: number, reason: string): void;
}

type Sub = { unsubscribe: () => void; armed: boolean; queued: string[]; owner: number };

/** Create the state and handlers of one accepted WebSocket. */
export function createWsConnection(opts: WsConnectionOptions): WsConnection {
  let socket: ServerSocket | undefined;
  let closed = false;
  const subs = new Map<string, Sub>();
  const encoder = new TextEncoder();

  const teardown = () => {
    if (closed) return;
    closed = true;
    for (const s of subs.values()) s.unsubscribe();
    subs.clear();
    opts.onClosed?.();
  };
  const close = (code: number, reason: string) => {
    const ws = socket;
    teardown();
    try {
      ws?.close(code, reason);
    } catch (e) {
      opts.logger.debug("websocket close failed", { error: e });
    }
  };
  const send = (text: string) => {
    if (closed || !socket) return;
    if (socket.bufferedAmount > opts.maxBufferedBytes) return close(SLOW_CLOSE_CODE, SLOW_CLOSE_REASON);
    try {
      socket.send(text);
    } catch (e) {
      opts.logger.debug("websocket send failed", { error: e });
      return close(1011, "send failed");
    }
    if (socket.bufferedAmount > opts.maxBufferedBytes) close(SLOW_CLOSE_CODE, SLOW_CLOSE_REASON);
  };
  // Notifications of a new subscription wait until the response carrying its id has been sent.
  const armPending = (owner: number) => {
    for (const s of subs.values()) {
      if (s.armed || s.owner !== owner) continue;
      s.armed = true;
      for (const q of s.queued.splice(0)) send(q);
    }
  };
  // One host per message, so that a response arms only the subscriptions that message created.
  const hostFor = (owner: number): SubscriptionHost => ({
    add(id, unsubscribe) {
      if (closed) {
        unsubscribe();
        throw rpcError(RpcErrorCode.SERVER_ERROR, "connection closed");
      }
      if (subs.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
        unsubscribe();
        throw rpcError(RpcErrorCode.LIMIT_EXCEEDED, `too many subscriptions (max ${MAX_SUBSCRIPTIONS_PER_CONNECTION})`);
      }
      subs.set(id, { unsubscribe, armed: false, queued: [], owner });
    },
    remove(id) {
      const s = subs.get(id);
      if (!s) return false;
      subs.delete(id);
      s.unsubscribe();
      return true;
    },
    notify(id, result) {
      const s = subs.get(id);
      if (!s || closed) return;
      const text = JSON.stringify({ jsonrpc: "2.0", method: "eth_subscription", params: { subscription: id, result } });
      if (s.armed) send(text);
      else if (s.queued.length < 1024) s.queued.push(text);
    },
  });
  let messages = 0;
  let inflight = 0;

  const handlers: SocketHandlers = {
    onOpen(ws) {
      socket = ws;
      opts.onOpened?.();
    },
    onMessage(ws, data) {
      socket = ws;
      if (closed) return;
      // UTF-8 takes at most 3 bytes per UTF-16 unit; encode only when that bound is over the limit.
      const size =
        typeof data !== "string" ? data.length : data.length * 3 <= opts.maxMessageBytes ? data.length : encoder.encode(data).length;
      if (size > opts.maxMessageBytes) {
        send(errorResponse(null, { code: RpcErrorCode.INVALID_REQUEST, message: `message too large (max ${opts.maxMessageBytes} bytes)` }));
        return;
      }
      if (inflight >= MAX_INFLIGHT_PER_CONNECTION) {
        const message = `too many requests in flight on this connection (max ${MAX_INFLIGHT_PER_CONNECTION})`;
        send(errorResponse(null, { code: RpcErrorCode.LIMIT_EXCEEDED, message }));
        return;
      }
      const text = typeof data === "string" ? data : new TextDecoder().decode(data);
      const owner = ++messages;
      inflight++;
      opts
        .dispatch(text, { ...opts.ctx, subscriptions: hostFor(owner) }, opts.admit)
        .then((out) => {
          if (out !== undefined) send(out);
          armPending(owner);
        })
        .catch((e) => opts.logger.error("websocket request failed", { error: e }))
        .finally(() => {
          inflight--;
        });
    },
    onClose() {
      teardown();
    },
  };
  return { handlers, close };
}
