/**
 * How to start another `harmony` process of this very build: the compiled executable itself, or the
 * runtime (Bun or Deno) running this source tree's `mod.ts`.
 */
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A command line prefix; append the `harmony` arguments. */
export interface LaunchCommand {
  command: string;
  args: string[];
}

const RUNTIME_BINARY = /^(bun|deno)(\.exe)?$/i;

/**
 * The command that runs this build's CLI. Compiled executables (`bun build --compile`) run themselves;
 * from source, `process.execPath` is the runtime and the entry point is the `mod.ts` next to `src/`.
 * @throws {Error} when running from source and `mod.ts` cannot be found.
 */
export function selfCommand(): LaunchCommand {
  const exe = process.execPath;
  const m = RUNTIME_BINARY.exec(basename(exe));
  if (!m) return { command: exe, args: [] };
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const mod = join(root, "mod.ts");
  if (!existsSync(mod)) throw new Error(`cannot find ${mod} to start nodes from source`);
  if (m[1]?.toLowerCase() === "bun") return { command: exe, args: [mod] };
  const config = join(root, "deno.json");
  return { command: exe, args: ["run", "--allow-all", ...(existsSync(config) ? ["--config", config] : []), mod] };
}
