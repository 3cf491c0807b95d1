/** Bun implementation of the runtime adapter. */
import type { RunningServer, RuntimeAdapter, ServeOptions, ServerSocket, SocketHandlers } from "../types.ts";

type Data = { handlers: SocketHandlers; remoteAddress: string; wrapper?: ServerSocket };

function wrap(ws: import("bun").ServerWebSocket<Data>): ServerSocket {
  if (ws.data.wrapper) return ws.data.wrapper;
  const w: ServerSocket = {
    send: (d) => {
      ws.send(d);
    },
    close: (code, reason) => ws.close(code, reason),
    get bufferedAmount() {
      return ws.getBufferedAmount();
    },
    remoteAddress: ws.data.remoteAddress,
  };
  ws.data.wrapper = w;
  return w;
}

async function serve(opts: ServeOptions): Promise<RunningServer> {
  const server = Bun.serve<Data>({
    hostname: opts.hostname,
    port: opts.port,
    maxRequestBodySize: opts.maxRequestBodySize ?? 16 * 1024 * 1024,
    idleTimeout: 120,
    async fetch(req, srv) {
      const remoteAddress = srv.requestIP(req)?.address ?? "unknown";
      const out = await opts.fetch(req, { remoteAddress });
      if (out instanceof Response) return out;
      if (srv.upgrade(req, { data: { handlers: out.upgrade, remoteAddress } })) return undefined;
      return new Response("websocket upgrade failed", { status: 400 });
    },
    websocket: {
      maxPayloadLength: opts.maxRequestBodySize ?? 16 * 1024 * 1024,
      idleTimeout: opts.idleTimeoutSec ? opts.idleTimeoutSec * 2 : 120,
      sendPings: true,
      open: (ws) => ws.data.handlers.onOpen?.(wrap(ws)),
      message: (ws, msg) => ws.data.handlers.onMessage(wrap(ws), typeof msg === "string" ? msg : new Uint8Array(msg)),
      close: (ws, code, reason) => ws.data.handlers.onClose?.(wrap(ws), code, reason),
      pong: (ws) => ws.data.handlers.onPong?.(wrap(ws)),
    },
  });
  return {
    hostname: server.hostname ?? opts.hostname,
    port: server.port ?? opts.port,
    stop: async () => {
      await server.stop(true);
    },
  };
}

export const bunAdapter: RuntimeAdapter = {
  name: "bun",
  serve,
  defaultBLSBackend: "native",
  // Measured on Bun 1.4: GCProfiler reports JSC collections with `cost` in microseconds as Node does,
  // and monitorEventLoopDelay records a 300 ms block as ~300 ms.
  perf: { gcCostSeconds: 1e-6, eventLoopDelay: true },
  onShutdownSignal(fn) {
    let fired = false;
    const h = (sig: string) => {
      if (fired) return;
      fired = true;
      fn(sig);
    };
    const onInt = () => h("SIGINT");
    const onTerm = () => h("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    return () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    };
  },
  onSignal(fn) {
    const onInt = () => fn("SIGINT");
    const onTerm = () => fn("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    return () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    };
  },
  onUncaughtError(fn) {
    const onException = (e: unknown) => fn("uncaughtException", e);
    const onRejection = (reason: unknown) => fn("unhandledRejection", reason);
    process.on("uncaughtException", onException);
    process.on("unhandledRejection", onRejection);
    return () => {
      process.off("uncaughtException", onException);
      process.off("unhandledRejection", onRejection);
    };
  },
};
