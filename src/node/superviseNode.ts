/**
 * Fail loud, never half-alive (issue 8 item 5): the one place that decides how a running node process
 * ends. A shutdown signal stops the node cleanly (exit 0); a fatal error — an exception or rejection
 * nothing handled, a store write that failed, a broken consensus invariant — first halts signing and
 * turns `/ready` to 503 (the node's `halt`), then stops it cleanly and exits non-zero. The same signal
 * a second time during a stop, or a stop that takes longer than the deadline, exits at once: an
 * operator or an orchestrator that asks twice must never be ignored, and a hung close must not keep a
 * node that no longer works looking alive. A different signal during a stop is not a second request:
 * Ctrl-C on `harmony devnet` sends SIGINT to every node through the terminal and the devnet then sends
 * each one SIGTERM, both for the one stop.
 *
 * Every effect (signals, the uncaught-error hooks, timers, exit) comes in as a module, so tests drive
 * the whole path without touching the test runner's own process.
 */
import type { UncaughtKind } from "../adapter/index.ts";

/** Default time a stop may take before the process exits anyway. */
export const STOP_DEADLINE_MS = 10_000;

/** Exit status of a node stopped by a fatal error, a second signal or an overrun stop. */
export const EXIT_FATAL = 1;

/** What the supervisor needs of a node. */
export interface SupervisedNode {
  /** Stop signing and report not ready, synchronously (the stop itself follows). */
  halt(reason: string): void;
  /** Stop everything and close the store. */
  stop(): Promise<void>;
}

/** The process hooks of {@link superviseNode} (the runtime adapter and `node:process` in production). */
export interface SupervisorModules {
  onSignal(fn: (signal: string) => void): () => void;
  onUncaughtError(fn: (kind: UncaughtKind, error: unknown) => void): () => void;
  /** Leave the process now (never returns in production). */
  exit(code: number): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(t: unknown): void;
  logger: { info(msg: string, ctx?: Record<string, unknown>): void; error(msg: string, ctx?: Record<string, unknown>): void };
}

/** Options of {@link superviseNode}. */
export interface SupervisorOptions {
  /** Default {@link STOP_DEADLINE_MS}. */
  stopDeadlineMs?: number;
}

/** A supervised node. */
export interface Supervisor {
  /** Report a fatal error (`what` says where: "store write failed", "consensus stopped", …). Idempotent. */
  fatal(what: string, error: unknown): void;
  /** Resolves with the exit status once the node has stopped (0 after a signal, non-zero after a fatal error). */
  readonly done: Promise<number>;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Supervise `node` until it stops. The node is attached once it exists: fatal errors and signals that
 * arrive before (during start-up) are kept and acted on at attach time.
 */
export function superviseNode(opts: SupervisorOptions, modules: SupervisorModules): Supervisor & { attach(node: SupervisedNode): void; detach(): void } {
  const m = modules;
  const deadline = opts.stopDeadlineMs ?? STOP_DEADLINE_MS;
  let node: SupervisedNode | undefined;
  let stopping: { code: number } | undefined;
  let pendingFatal: string | undefined;
  const signalsSeen = new Set<string>();
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((r) => (resolveDone = r));
  const unsubscribe: (() => void)[] = [];

  const stop = (code: number) => {
    if (stopping !== undefined) {
      stopping.code = Math.max(stopping.code, code);
      return;
    }
    stopping = { code };
    const n = node;
    if (n === undefined) return;
    const timer = m.setTimeout(() => {
      m.logger.error(`fatal: stopping took more than ${deadline / 1000} s — exiting now`);
      m.exit(EXIT_FATAL);
    }, deadline);
    void n.stop().then(
      () => undefined,
      (e) => {
        m.logger.error("stop failed", { error: describe(e) });
        (stopping as { code: number }).code = EXIT_FATAL;
      },
    ).then(() => {
      m.clearTimeout(timer);
      for (const u of unsubscribe.splice(0)) u();
      resolveDone((stopping as { code: number }).code);
    });
  };

  const fatal = (what: string, error: unknown) => {
    const line = `fatal: ${what}: ${describe(error)} — stopping`;
    if (pendingFatal !== undefined || (stopping !== undefined && stopping.code !== 0)) return;
    pendingFatal = line;
    // One clear line first (what an operator greps for), details after.
    m.logger.error(line, { stack: error instanceof Error ? error.stack : undefined });
    node?.halt(line);
    stop(EXIT_FATAL);
  };

  unsubscribe.push(
    m.onSignal((signal) => {
      const repeated = signalsSeen.has(signal);
      signalsSeen.add(signal);
      if (stopping !== undefined && !repeated) {
        m.logger.info("already stopping", { signal });
        return;
      }
      if (stopping !== undefined) {
        m.logger.error(`${signal} received while stopping — exiting now`);
        m.exit(EXIT_FATAL);
        return;
      }
      m.logger.info("shutting down", { signal });
      stop(0);
    }),
    m.onUncaughtError((kind, error) => fatal(kind === "uncaughtException" ? "uncaught exception" : "unhandled promise rejection", error)),
  );

  return {
    fatal,
    done,
    attach(n) {
      node = n;
      if (pendingFatal !== undefined) n.halt(pendingFatal);
      if (stopping !== undefined) {
        const code = stopping.code;
        stopping = undefined;
        stop(code);
      }
    },
    // Start-up failed: nothing to stop; give the process hooks back.
    detach() {
      for (const u of unsubscribe.splice(0)) u();
    },
  };
}
