/**
 * harmony-ts: library surface and CLI entry point.
 * `bun run mod.ts --version`, `deno task node -- --version`, or the compiled `harmony` binary.
 * @module
 */
export { VERSION } from "./src/version.ts";
export { runCLI } from "./src/cli/index.ts";
export { NodeError } from "./src/util/index.ts";
export { getRuntimeAdapter, detectRuntime } from "./src/adapter/index.ts";
export type { RuntimeAdapter } from "./src/adapter/index.ts";

if (import.meta.main) {
  const { runCLI } = await import("./src/cli/index.ts");
  // `deno task node -- --version` forwards the separator itself; drop it.
  const args = process.argv.slice(2);
  const code = await runCLI(args[0] === "--" ? args.slice(1) : args);
  process.exit(code);
}
