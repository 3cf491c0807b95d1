/**
 * WASM recovery: libsecp256k1 compiled to WebAssembly (`@solar-republic/wasm-secp256k1`, its module
 * embedded as base64), so it runs wherever WebAssembly does: Bun, Deno and the single binary.
 */
import { initWasmSecp256k1 } from "@solar-republic/wasm-secp256k1";
import type { Secp256k1Backend } from "./secp256k1Types.ts";

/**
 * Instantiate the module.
 * @throws {Error} when this runtime cannot instantiate it.
 */
export async function loadWasmSecp256k1(): Promise<Secp256k1Backend> {
  const lib = await initWasmSecp256k1();
  return {
    name: "wasm",
    recover(hash, compact, recovery) {
      try {
        return lib.recover(compact, hash, recovery, true);
      } catch {
        return null;
      }
    },
  };
}
