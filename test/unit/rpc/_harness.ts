/** Starts the RPC server on 127.0.0.1 (any free port) over a TestChain, with a quiet logger. */
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import { createRPCServer, type RPCServer, type RPCServerOptions } from "../../../src/rpc/index.ts";
import type { Logger } from "../../../src/util/logger.ts";
import { TestChain } from "./_testBackend.ts";

/** A logger that records instead of printing (tests assert on internal errors being logged). */
export function createMemoryLogger(lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = []): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  const logger: Logger = { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug"), child: () => logger };
  return logger;
}

export interface Harness {
  chain: TestChain;
  server: RPCServer;
  logs: { level: string; msg: string; fields?: Record<string, unknown> }[];
  /** POST a raw body; returns status and parsed JSON (or text when not JSON). */
  post(body: string | object, headers?: Record<string, string>): Promise<{ status: number; json: any; text: string }>;
  /** One JSON-RPC call; returns the whole response object. */
  rpc(method: string, params?: unknown[]): Promise<any>;
}

export async function startHarness(opts: Partial<RPCServerOptions> = {}, chain = new TestChain()): Promise<Harness> {
  const logs: Harness["logs"] = [];
  const server = await createRPCServer(
    { host: "127.0.0.1", port: 0, ...opts },
    { backend: chain, adapter: await getRuntimeAdapter(), logger: createMemoryLogger(logs) },
  );
  let nextId = 1;
  const post: Harness["post"] = async (body, headers = {}) => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };
  return {
    chain,
    server,
    logs,
    post,
    rpc: async (method, params = []) => (await post({ jsonrpc: "2.0", id: nextId++, method, params })).json,
  };
}
