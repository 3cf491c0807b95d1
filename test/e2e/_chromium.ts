// Headless Chromium driven over the DevTools protocol (raw CDP on a WebSocket, no browser-download
// package): Debian's `chromium` at /usr/bin/chromium (scripts/ensure-chromium.sh installs it; `make test`
// runs that first), a fresh profile per launch, one page target attached in flat mode.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir, tempDir } from "./_node.ts";

export const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-port=0",
];

/** A CDP event. */
export interface CDPEvent {
  method: string;
  params: Record<string, any>;
  sessionId?: string;
}

/** One launched browser with one page. */
export interface Browser {
  proc: ChildProcess;
  /** Send a command to the page's session. */
  send(method: string, params?: Record<string, unknown>): Promise<any>;
  /** Every event of the page so far. */
  events: CDPEvent[];
  /** Evaluate an expression in the page; returns its value (by value). */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Chromium's output, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Launch Chromium and attach to a new blank page.
 * @throws with a clear message when Chromium is missing (never a silent skip) or does not start.
 */
export async function launchChromium(timeoutMs = 20_000): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the status page test needs Debian's chromium package (run scripts/ensure-chromium.sh, which make test runs)`);
  }
  const profile = tempDir("harmony-chromium-");
  const proc = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, "about:blank"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  let exited = false;
  const exit = new Promise<void>((r) => proc.once("exit", () => ((exited = true), r())));
  const killAll = async () => {
    if (!exited) proc.kill("SIGKILL");
    await exit;
    removeDir(profile);
  };
  try {
    const portFile = join(profile, "DevToolsActivePort");
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(portFile) || readFileSync(portFile, "utf8").split("\n").length < 2) {
      if (exited) throw new Error(`chromium exited at start:\n${out}`);
      if (Date.now() > deadline) throw new Error(`chromium wrote no DevToolsActivePort within ${timeoutMs} ms:\n${out}`);
      await sleep(100);
    }
    const [port, path] = readFileSync(portFile, "utf8").trim().split("\n");
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    await new Promise<void>((res, rej) => {
      ws.onopen = () => res();
      ws.onerror = () => rej(new Error(`cannot open the DevTools socket ws://127.0.0.1:${port}${path}`));
    });
    let nextId = 1;
    const waiting = new Map<number, { res: (v: any) => void; rej: (e: Error) => void; method: string }>();
    const events: CDPEvent[] = [];
    ws.onmessage = (ev) => {
      const m = JSON.parse(String(ev.data));
      if (m.id !== undefined) {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.error) w?.rej(new Error(`${w.method}: ${m.error.message}`));
        else w?.res(m.result);
      } else events.push(m as CDPEvent);
    };
    const raw = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
      new Promise<any>((res, rej) => {
        const id = nextId++;
        waiting.set(id, { res, rej, method });
        ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
        setTimeout(() => waiting.has(id) && (waiting.delete(id), rej(new Error(`${method}: no answer within 15 s`))), 15_000);
      });
    const { targetId } = await raw("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await raw("Target.attachToTarget", { targetId, flatten: true });
    const send = (method: string, params: Record<string, unknown> = {}) => raw(method, params, sessionId);
    return {
      proc,
      send,
      events,
      async evaluate<T>(expression: string): Promise<T> {
        const r = await send("Runtime.evaluate", { expression, returnByValue: true });
        if (r.exceptionDetails) throw new Error(`page threw: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
        return r.result.value as T;
      },
      output: () => out,
      async close() {
        try {
          ws.close();
        } catch {
          // already closed
        }
        await killAll();
      },
    };
  } catch (e) {
    await killAll();
    throw e;
  }
}
