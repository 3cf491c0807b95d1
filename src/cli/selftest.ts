/**
 * `harmony selftest`: proves the executable carries its own crypto — BLS on the chosen backend and the
 * VDF kernel — with no file beside it. Prints one JSON object.
 */
import type { Command } from "commander";
import { registerCommand } from "./_registry.ts";
import { UsageError } from "./usageError.ts";
import { createBLS } from "../crypto/index.ts";
import { getRuntimeAdapter } from "../adapter/index.ts";
import { VERSION } from "../version.ts";

/** Parse the global `--bls-backend` flag value. @throws {UsageError} on an unknown name. */
export function parseBLSBackend(v: string | undefined): "auto" | "native" | "wasm" {
  const b = v ?? "auto";
  if (b !== "auto" && b !== "native" && b !== "wasm") throw new UsageError(`--bls-backend must be auto, native or wasm, got "${b}"`);
  return b;
}

registerCommand((program: Command) => {
  program
    .command("selftest")
    .description("check the embedded crypto kernels (BLS, VDF) and print what this binary runs with")
    .option("--vdf-t <n>", "VDF squarings for the check", "4096")
    .action(async (opts: { vdfT: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<{ blsBackend?: string }>();
      const adapter = await getRuntimeAdapter();
      const wanted = parseBLSBackend(global.blsBackend);
      const bls = await createBLS(wanted === "auto" && adapter.name === "deno" ? "wasm" : wanted);
      const sk = bls.keygen();
      const msg = new TextEncoder().encode("selftest");
      const pk = bls.secretToPublic(sk);
      const blsOk = bls.verify(pk, msg, bls.sign(sk, msg)) && !bls.verify(pk, new Uint8Array(8), bls.sign(sk, msg));
      const T = Number(opts.vdfT);
      if (!Number.isInteger(T) || T < 1 || T > 1 << 26) throw new UsageError(`--vdf-t must be an integer in 1..2^26, got "${opts.vdfT}"`);
      const { vdfSelfTest } = await import("../crypto/vdf/index.ts");
      const vdf = await vdfSelfTest(T);
      const out = { version: VERSION, runtime: adapter.name, blsBackend: bls.backend, blsOk, vdf };
      process.stdout.write(`${JSON.stringify(out)}\n`);
      if (!blsOk || !vdf.ok) process.exitCode = 1;
    });
});
