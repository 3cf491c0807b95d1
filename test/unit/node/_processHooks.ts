// Run by lifecycle.test.ts under Bun and under Deno: the runtime adapter's process hooks see an uncaught
// exception, an unhandled rejection and every SIGTERM, and keep the process alive (so a node can stop
// cleanly).
import process from "node:process";
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";

const adapter = await getRuntimeAdapter();
const seen: string[] = [];
adapter.onUncaughtError((kind, e) => void seen.push(`${kind}:${(e as Error).message}`));
adapter.onSignal((signal) => void seen.push(signal));
setTimeout(() => {
  throw new Error("thrown");
}, 1);
void Promise.reject(new Error("rejected"));
setTimeout(() => process.kill(process.pid, "SIGTERM"), 20);
setTimeout(() => process.kill(process.pid, "SIGTERM"), 60);
setTimeout(() => {
  console.log(JSON.stringify({ runtime: adapter.name, seen: seen.sort() }));
  process.exit(0);
}, 300);
