/**
 * Native recovery: bitcoin-core libsecp256k1 through the `secp256k1` package's N-API addon. The
 * prebuilt addon is imported by its path (not through node-gyp-build's directory search) so that
 * `bun build --compile` embeds it and the binary runs alone; another platform, a musl libc or a
 * runtime without N-API fails here and the caller falls back to wasm.
 */
import type { Secp256k1Backend } from "./secp256k1Types.ts";

interface Addon {
  Secp256k1: new () => { ecdsaRecover(out: Uint8Array, sig: Uint8Array, recid: number, msg32: Uint8Array): number };
}

/**
 * Load the addon (secp256k1Backend.ts checks its answer against noble before using it). Only the
 * linux-x64 glibc build is required here: elsewhere the wasm backend runs.
 * @throws {Error} when it cannot load on this platform or runtime.
 */
export async function loadNativeSecp256k1(): Promise<Secp256k1Backend> {
  if (process.platform !== "linux" || process.arch !== "x64") throw new Error(`no prebuilt secp256k1 addon for ${process.platform}-${process.arch}`);
  // A literal require, so that the bundler of `bun build --compile` embeds the addon (N-API modules load
  // through require only). An ES module under Deno has no require: a ReferenceError here, and wasm runs.
  // @ts-ignore: the addon has no type declarations (Addon describes the one method used).
  const mod = require("secp256k1/prebuilds/linux-x64/secp256k1.glibc.node") as Addon;
  const ctx = new mod.Secp256k1();
  const backend: Secp256k1Backend = {
    name: "native",
    recover(hash, compact, recovery) {
      const out = new Uint8Array(65);
      return ctx.ecdsaRecover(out, compact, recovery, hash) === 0 ? out : null;
    },
  };
  return backend;
}
