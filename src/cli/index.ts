/**
 * Command-line interface (commander). Exit codes: 0 ok, 1 runtime failure, 2 usage error.
 * @module
 */
import { Command, CommanderError } from "commander";
import { VERSION } from "../version.ts";
import { setLogFormat, setLogLevel } from "../util/index.ts";
import type { LogLevel } from "../util/index.ts";
import { registeredCommands } from "./_registry.ts";
import { EXIT_USAGE, UsageError } from "./usageError.ts";
import { applyCryptoBackends } from "./_cryptoBackends.ts";
import { bindEnv } from "./_envOptions.ts";

export { EXIT_USAGE, UsageError };

function buildProgram(): Command {
  const program = new Command("harmony")
    .description("harmony-ts: a Harmony-protocol blockchain node")
    .version(`harmony-ts ${VERSION}`, "-V, --version")
    .option("--log-format <format>", "log output: pretty | json", "pretty")
    .option("--log-level <level>", "error | warn | info | debug", "info")
    .option("--bls-backend <name>", "BLS implementation: auto (native where it loads) | native | wasm", "auto")
    .option("--secp256k1-backend <name>", "sender recovery: auto (native libsecp256k1, else wasm, else noble) | native | wasm | noble", "auto")
    .option("--keccak-backend <name>", "keccak-256: auto (wasm kernel) | wasm | noble", "auto")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  // HARMONY_LOG_FORMAT, HARMONY_LOG_LEVEL, HARMONY_BLS_BACKEND, … (the version flag stays a flag).
  bindEnv(program, ["--version"]);
  program.hook("preAction", async (cmd) => {
    const o = cmd.opts<{ logFormat: string; logLevel: string; secp256k1Backend?: string; keccakBackend?: string }>();
    if (o.logFormat !== "pretty" && o.logFormat !== "json") throw new UsageError(`--log-format must be pretty or json, got "${o.logFormat}"`);
    if (!["error", "warn", "info", "debug"].includes(o.logLevel)) throw new UsageError(`--log-level must be error|warn|info|debug, got "${o.logLevel}"`);
    setLogFormat(o.logFormat);
    setLogLevel(o.logLevel as LogLevel);
    await applyCryptoBackends(o);
  });
  for (const register of registeredCommands()) register(program);
  return program;
}

/**
 * Run the CLI with `argv` (without the executable and script). Returns the exit code;
 * long-running commands (node, devnet) resolve when they stop.
 */
export async function runCLI(argv: string[]): Promise<number> {
  await import("./commands.ts");
  const program = buildProgram();
  for (const c of program.commands) c.exitOverride().configureOutput({ outputError: (s, w) => w(s) });
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
