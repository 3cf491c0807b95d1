// Run by lifecycle.test.ts under Deno: the Deno adapter's process hooks see an uncaught exception, an
// unhandled rejection and every SIGTERM, and keep the process alive (so a node can stop cleanly).
import { denoAdapter } from "../../../src/adapter/deno/index.ts";

declare const Deno: { pid: number; kill(pid: number, signal: string): void; exit(code: number): never };

const seen: string[] = [];
denoAdapter.onUncaughtError((kind, e) => void seen.push(`${kind}:${(e as Error).message}`));
denoAdapter.onSignal((signal) => void seen.push(signal));
setTimeout(() => {
  throw new Error("thrown");
}, 1);
void Promise.reject(new Error("rejected"));
setTimeout(() => Deno.kill(Deno.pid, "SIGTERM"), 20);
setTimeout(() => Deno.kill(Deno.pid, "SIGTERM"), 60);
setTimeout(() => {
  console.log(JSON.stringify(seen.sort()));
  Deno.exit(0);
}, 300);
