/**
 * The node's HTTP/WebSocket server: a Hono app (web-standard Request/Response only) served through
 * the runtime adapter. POST / is JSON-RPC; GET /ws and GET / with an Upgrade header are JSON-RPC over
 * WebSocket; GET /health and GET /ready report liveness and readiness; other layers mount more
 * routes (metrics, p2p, status page) through `extraRoutes`.
 * @module
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { RuntimeAdapter, SocketHandlers } from "../adapter/types.ts";
import type { Logger } from "../util/logger.ts";
import { VERSION } from "../version.ts";
import type { RpcBackend } from "./backend.ts";
import { readBodyLimited } from "./body.ts";
import { type ClientLimitStats, WS_OVER_CAP_CODE, createClientLimits } from "./clientLimits.ts";
import { DEFAULT_PUBLIC_RATE_LIMIT, DEFAULT_RPC_LIMITS, type MethodContext, type RPCLimits } from "./context.ts";
import { RpcErrorCode } from "./errors.ts";
import { createEventHub } from "./events.ts";
import { createFilterManager } from "./filterManager.ts";
import { createGasPriceOracle } from "./gasPrice.ts";
import { type RPCCallObserver, createDispatcher, errorResponse } from "./jsonrpc.ts";
import { createMethodTable } from "./methods/index.ts";
import { createAdminMethods, isLoopbackAddress } from "./methods/admin.ts";
import type { MethodHandler } from "./context.ts";
import { createWsConnection, type WsConnection } from "./ws.ts";

/** What routes see in `c.env`: the peer address and a way to accept a WebSocket on this request. */
export interface RPCBindings {
  remoteAddress: string;
  /** Accept the request's WebSocket upgrade with these handlers; return the result from the route. */
  acceptWebSocket(handlers: SocketHandlers): Response;
}

/** Hono environment of the server's app (for `extraRoutes`). */
export type RPCAppEnv = { Bindings: RPCBindings };

/** Options of {@link createRPCServer}; limits default to {@link DEFAULT_RPC_LIMITS}. */
export interface RPCServerOptions extends Partial<RPCLimits> {
  host: string;
  /** 0 = any free port. */
  port: number;
  /** WebSocket keepalive ping interval; a socket silent for two intervals is closed (default 30). */
  wsPingIntervalSec?: number;
  /** Access-Control-Allow-Origin for JSON-RPC over HTTP (default "*": the node holds no user keys). */
  corsOrigin?: string;
  /** Mount more routes on the same listener (e.g. /metrics, /p2p, a status page on GET /). */
  extraRoutes?: (app: Hono<RPCAppEnv>) => void;
  /** More JSON-RPC methods (e.g. `hmy_*` from the node); a name here replaces a built-in one. */
  extraMethods?: Readonly<Record<string, MethodHandler>>;
  /**
   * Why the node is not ready although it is not syncing (a stale head, a fatal error while it
   * stops), or undefined; `/ready` then answers 503 with that reason.
   */
  notReady?: () => string | undefined;
  /** Requests per second per client address; 0 = off; absent = see {@link RPCSettings}. */
  rateLimitPerSec?: number;
  /**
   * Serve the `admin_` namespace (`--rpc-admin`) to loopback clients, over `backend.admin`; off by
   * default, and without `backend.admin` there is nothing to serve.
   */
  admin?: boolean;
  /** Told of every JSON-RPC call over HTTP and WebSocket (method bounded by the method table). */
  onCall?: RPCCallObserver;
}

/** Services the server uses. */
export interface RPCServerModules {
  backend: RpcBackend;
  adapter: RuntimeAdapter;
  logger: Logger;
}

/** A running server. */
export interface RPCServer {
  /** `http://host:port/` */
  url: string;
  /** `ws://host:port/ws` */
  wsUrl: string;
  /** WebSocket connections and refusals, rate-limited requests (for /metrics). */
  clientStats(): ClientLimitStats;
  stop(): Promise<void>;
}

const UPGRADE_MARK = "x-harmony-ws-upgrade";

function isWebSocketUpgrade(req: Request): boolean {
  return req.headers.get("upgrade")?.toLowerCase() === "websocket";
}

function jsonResponse(text: string, status = 200): Response {
  return new Response(text, { status, headers: { "content-type": "application/json" } });
}

/**
 * Start the server.
 * @throws when the adapter cannot listen on host:port.
 */
export async function createRPCServer(opts: RPCServerOptions, modules: RPCServerModules): Promise<RPCServer> {
  const { backend, adapter } = modules;
  const logger = modules.logger;
  const limits: RPCLimits = { ...DEFAULT_RPC_LIMITS };
  for (const k of Object.keys(DEFAULT_RPC_LIMITS) as (keyof RPCLimits)[]) {
    if (opts[k] !== undefined) (limits as unknown as Record<string, unknown>)[k] = opts[k];
  }
  const events = createEventHub(backend, logger);
  const filters = createFilterManager(
    { timeoutMs: limits.filterTimeoutMs, maxBacklog: limits.getLogsMaxResults, maxFilters: 10_000, maxFiltersPerClient: limits.filtersPerClient },
    events,
  );
  const ctx: MethodContext = {
    backend,
    limits,
    oracle: createGasPriceOracle(backend),
    filters,
    events,
    clientVersion: `harmony-ts/v${VERSION}/${adapter.name}`,
  };
  const methods = new Map(createMethodTable());
  for (const [name, h] of Object.entries(opts.extraMethods ?? {})) methods.set(name, h);
  if (opts.admin === true && backend.admin !== undefined) for (const [name, h] of Object.entries(createAdminMethods(backend.admin))) methods.set(name, h);
  const dispatch = createDispatcher({ methods, batchLimit: limits.batchLimit, logger, ...(opts.onCall ? { onCall: opts.onCall } : {}) });
  const connections = new Set<WsConnection>();
  const loopback = opts.host.toLowerCase() === "localhost" || isLoopbackAddress(opts.host);
  const rateLimitPerSec = opts.rateLimitPerSec ?? (loopback ? 0 : DEFAULT_PUBLIC_RATE_LIMIT);
  const clients = createClientLimits({ wsMaxConnections: limits.wsMaxConnections, wsMaxPerIP: limits.wsMaxPerIP, rateLimitPerSec });
  const newConnection = (clientAddress: string): SocketHandlers => {
    let counted = false;
    const admit = clients.admitFor(clientAddress);
    const conn: WsConnection = createWsConnection({
      dispatch,
      ctx: { ...ctx, clientAddress },
      maxMessageBytes: limits.maxBodyBytes,
      maxBufferedBytes: limits.wsMaxBufferedBytes,
      logger,
      ...(admit ? { admit } : {}),
      // Tracked from open only: an upgrade the runtime refuses never opens and must not linger here.
      onOpened: () => {
        counted = clients.opened(clientAddress);
        if (counted) connections.add(conn);
        else conn.close(WS_OVER_CAP_CODE, "too many connections");
      },
      onClosed: () => {
        connections.delete(conn);
        if (counted) clients.closed(clientAddress);
        counted = false;
      },
    });
    return conn.handlers;
  };
  // Refused before the upgrade (429 for the address's cap, 503 for the server's), so no socket is held.
  const acceptWs = (env: RPCBindings) => clients.refuseWebSocket(env.remoteAddress) ?? env.acceptWebSocket(newConnection(env.remoteAddress));

  const app = new Hono<RPCAppEnv>();
  app.onError((err, c) => {
    logger.error("http handler failed", { path: c.req.path, error: err, stack: err.stack });
    return jsonResponse(errorResponse(null, { code: RpcErrorCode.INTERNAL_ERROR, message: "internal error" }), 500);
  });
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", (c) => {
    const s = backend.syncStatus();
    const reason = s.syncing ? "syncing" : opts.notReady?.();
    const body = { ready: reason === undefined, syncing: s.syncing, currentBlock: s.currentBlock.toString(), highestBlock: s.highestBlock.toString(), ...(reason === undefined ? {} : { reason }) };
    return c.json(body, reason === undefined ? 200 : 503);
  });
  app.get("/ws", (c) =>
    isWebSocketUpgrade(c.req.raw) ? acceptWs(c.env) : c.text("expected a WebSocket upgrade\n", 426),
  );
  app.get("/", (c, next) => (isWebSocketUpgrade(c.req.raw) ? acceptWs(c.env) : next()));
  app.use("/", cors({ origin: opts.corsOrigin ?? "*", allowMethods: ["POST", "GET", "OPTIONS"] }));
  app.post("/", async (c) => {
    const body = await readBodyLimited(c.req.raw, limits.maxBodyBytes);
    if ("tooLarge" in body) {
      const message = `request body too large (max ${limits.maxBodyBytes} bytes)`;
      return jsonResponse(errorResponse(null, { code: RpcErrorCode.INVALID_REQUEST, message }), 413);
    }
    const admit = clients.admitFor(c.env.remoteAddress);
    let limited = false;
    const out = await dispatch(
      body.text,
      { ...ctx, clientAddress: c.env.remoteAddress },
      admit && ((n) => admit(n) || ((limited = true), false)),
    );
    return out === undefined ? c.body(null, 204) : jsonResponse(out, limited ? 429 : 200);
  });
  opts.extraRoutes?.(app);

  const running = await adapter.serve({
    hostname: opts.host,
    port: opts.port,
    // The app answers oversize bodies with a JSON-RPC 413 (checking Content-Length before reading, so
    // this costs no memory); the runtime's own limit, which also bounds WebSocket frames, is a backstop
    // that answers a bare 413 beyond it.
    maxRequestBodySize: limits.maxBodyBytes * 4 + 64 * 1024,
    idleTimeoutSec: opts.wsPingIntervalSec ?? 30,
    async fetch(req, info) {
      let upgrade: SocketHandlers | undefined;
      const env: RPCBindings = {
        remoteAddress: info.remoteAddress,
        acceptWebSocket(handlers) {
          upgrade = handlers;
          return new Response(null, { status: 200, headers: { [UPGRADE_MARK]: "1" } });
        },
      };
      try {
        const res = await app.fetch(req, env);
        if (upgrade && res.headers.get(UPGRADE_MARK) === "1") return { upgrade };
        return res;
      } catch (e) {
        logger.error("request failed", { error: e });
        return new Response("internal error\n", { status: 500 });
      }
    },
  });
  const hostPart = running.hostname.includes(":") ? `[${running.hostname}]` : running.hostname;
  logger.info("rpc server listening", { url: `http://${hostPart}:${running.port}/` });
  return {
    url: `http://${hostPart}:${running.port}/`,
    wsUrl: `ws://${hostPart}:${running.port}/ws`,
    clientStats: () => clients.stats(),
    async stop() {
      for (const c of [...connections]) c.close(1001, "server shutting down");
      await running.stop();
      filters.stop();
      events.stop();
    },
  };
}
