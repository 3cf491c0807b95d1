// Starts real `harmony` processes on 127.0.0.1 for end-to-end tests, and stops them.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
const DIST = join(ROOT, "dist/harmony");

/** Path of the compiled binary ($HARMONY_BIN, else dist/harmony, built when missing; make test builds it first). */
export function harmonyBinary(): string {
  const own = process.env.HARMONY_BIN;
  if (own !== undefined && own !== "") return own;
  if (!existsSync(DIST)) {
    const r = spawnSync("make", ["build"], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`make build failed:\n${r.stdout}\n${r.stderr}`);
  }
  return DIST;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return await new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface DevNode {
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  /** Output so far (stdout + stderr), for failure messages. */
  log(): string;
  /** SIGKILL, wait for exit. */
  kill(): Promise<void>;
  /** SIGTERM, wait for a clean exit; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** Start `harmony node --dev` and wait until `/ready` answers 200. */
export async function startDevNode(opts: { dataDir: string; port?: number; extraArgs?: string[]; timeoutMs?: number }): Promise<DevNode> {
  const port = opts.port ?? (await freePort());
  const args = ["node", "--dev", "--data-dir", opts.dataDir, "--port", String(port), ...(opts.extraArgs ?? [])];
  const proc = spawn(harmonyBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let dead = false;
  exited.then(() => (dead = true));
  while (true) {
    if (dead) throw new Error(`harmony node exited before it was ready:\n${out}`);
    try {
      const r = await fetch(`${url}ready`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`harmony node not ready within timeout:\n${out}`);
    }
    await Bun.sleep(100);
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    port,
    dataDir: opts.dataDir,
    proc,
    log: () => out,
    kill: async () => {
      if (!dead) proc.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      if (!dead) proc.kill("SIGTERM");
      return await exited;
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
