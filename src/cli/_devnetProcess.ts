/**
 * One node process of a devnet: spawned with its output appended to `DIR/nodeI/node.log`, watched for
 * exit, and stopped with SIGTERM then SIGKILL after a grace period. Nothing is restarted automatically.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import type { LaunchCommand } from "./_devnetLaunch.ts";
import { envWithoutFlagsOf } from "./_envOptions.ts";

/** How a process ended. */
export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

/** A running (or ended) node process. */
export interface NodeProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves once the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** `undefined` while running. */
  exitStatus(): ExitStatus | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs: number): Promise<ExitStatus>;
}

/** What to start. */
export interface SpawnNodeOptions {
  name: string;
  launch: LaunchCommand;
  /** Arguments after the launch prefix, e.g. `["node", "--config", FILE]`. */
  args: string[];
  logFile: string;
  env?: Record<string, string | undefined>;
}

/**
 * Start a node process; its stdout and stderr go to `logFile` (appended), so it keeps running
 * unharmed even if this supervisor dies.
 * @throws {Error} when the process cannot be spawned.
 */
export function spawnNode(opts: SpawnNodeOptions): NodeProcess {
  const fd = openSync(opts.logFile, "a", 0o600);
  writeSync(fd, `\n=== ${new Date().toISOString()} harmony ${opts.args.join(" ")}\n`);
  const child = spawn(opts.launch.command, [...opts.launch.args, ...opts.args], {
    stdio: ["ignore", fd, fd],
    env: { ...envWithoutFlagsOf("node", process.env), ...opts.env },
  });
  closeSync(fd);
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    // "error" with no pid: the process never ran, and no "exit" follows.
    child.on("error", () => {
      if (child.pid !== undefined) return;
      status ??= { code: null, signal: null };
      resolve(status);
    });
    child.once("exit", (code, signal) => {
      status = { code, signal };
      resolve(status);
    });
  });
  if (child.pid === undefined) throw new Error(`cannot start ${opts.name}: ${opts.launch.command} ${opts.launch.args.join(" ")}`);
  const pid = child.pid;
  return {
    name: opts.name,
    pid,
    logFile: opts.logFile,
    exited,
    exitStatus: () => status,
    async stop(graceMs: number): Promise<ExitStatus> {
      if (status) return status;
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!status) child.kill("SIGKILL");
      }, graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** True while a process with this pid exists (signal 0 probes without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/** True when nothing listens on 127.0.0.1:port (a listener is opened and closed again to find out). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ host: "127.0.0.1", port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** The last `lines` lines of a log file ("" when unreadable). */
export function logTail(file: string, lines = 30): string {
  try {
    const text = readFileSync(file, "utf8");
    return text.split("\n").slice(-lines - 1).join("\n");
  } catch {
    return "";
  }
}
