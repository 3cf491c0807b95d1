/**
 * The one interface behind which Bun and Deno differ: serving HTTP with WebSocket upgrade, and signals.
 * Everything else in the node is web-standard or `node:` built-ins both runtimes have.
 */

export type RuntimeName = "bun" | "deno";

/** What reached the top of the process without a handler. */
export type UncaughtKind = "uncaughtException" | "unhandledRejection";

/** A server-side WebSocket, the same shape on both runtimes. */
export interface ServerSocket {
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet sent; used for back-pressure on slow clients. */
  readonly bufferedAmount: number;
  readonly remoteAddress: string;
}

/** Callbacks for one accepted WebSocket. */
export interface SocketHandlers {
  onOpen?(ws: ServerSocket): void;
  onMessage(ws: ServerSocket, data: string | Uint8Array): void;
  onClose?(ws: ServerSocket, code: number, reason: string): void;
  onPong?(ws: ServerSocket): void;
}

/** What a request handler may return: a response, or a request to upgrade to a WebSocket. */
export type UpgradeDecision = { upgrade: SocketHandlers };

export interface ServeOptions {
  hostname: string;
  port: number;
  /** Max body size in bytes the runtime accepts before the app sees the request. */
  maxRequestBodySize?: number;
  /** Called for each request; return `{ upgrade }` to accept a WebSocket on it. */
  fetch(req: Request, info: { remoteAddress: string }): Response | UpgradeDecision | Promise<Response | UpgradeDecision>;
  /** Ping interval for WebSockets in seconds (0 = none); a socket with no pong for 2 intervals is closed. */
  idleTimeoutSec?: number;
}

export interface RunningServer {
  readonly hostname: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface RuntimeAdapter {
  readonly name: RuntimeName;
  serve(opts: ServeOptions): Promise<RunningServer>;
  /** Run `fn` once on SIGINT/SIGTERM; returns an unsubscribe. */
  onShutdownSignal(fn: (signal: string) => void): () => void;
  /** Run `fn` on every SIGINT/SIGTERM (a second one may mean "stop now"); returns an unsubscribe. */
  onSignal(fn: (signal: string) => void): () => void;
  /**
   * Run `fn` on an exception nothing caught or a promise rejection nothing handled, instead of the
   * runtime's default (print and exit); returns an unsubscribe.
   */
  onUncaughtError(fn: (kind: UncaughtKind, error: unknown) => void): () => void;
  /** Default BLS backend for this runtime (native on Bun, wasm on Deno). */
  readonly defaultBLSBackend: "native" | "wasm";
  /** How this runtime's `node:` performance APIs behave, for the process metrics (absent: not known, left out). */
  readonly perf?: RuntimePerf;
}

/** Where the runtimes differ in the `node:` APIs the process metrics read (measured, see the adapters). */
export interface RuntimePerf {
  /** Seconds per unit of `v8.GCProfiler`'s `cost` field (Node documents microseconds). */
  readonly gcCostSeconds: number;
  /** Whether `perf_hooks.monitorEventLoopDelay` sees a blocked event loop. */
  readonly eventLoopDelay: boolean;
}
