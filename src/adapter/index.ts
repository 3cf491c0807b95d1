/**
 * Runtime adapter: the only place that knows Bun from Deno (DESIGN §2).
 * @module
 */
import type { RuntimeAdapter, RuntimeName } from "./types.ts";

export type {
  RunningServer,
  RuntimeAdapter,
  RuntimeName,
  RuntimePerf,
  ServeOptions,
  ServerSocket,
  SocketHandlers,
  UncaughtKind,
  UpgradeDecision,
} from "./types.ts";

/** Which runtime runs this process. */
export function detectRuntime(): RuntimeName {
  return (globalThis as { Deno?: unknown }).Deno !== undefined ? "deno" : "bun";
}

let cached: RuntimeAdapter | undefined;

/** The adapter for the current runtime (loaded once). */
export async function getRuntimeAdapter(): Promise<RuntimeAdapter> {
  if (cached) return cached;
  cached =
    detectRuntime() === "deno"
      ? (await import("./deno/index.ts")).denoAdapter
      : (await import("./bun/index.ts")).bunAdapter;
  return cached;
}
