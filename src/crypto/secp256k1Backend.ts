/**
 * Public-key recovery, the hot secp256k1 kernel (one per transaction), behind one interface with three
 * backends in the manner of BLS (DESIGN §2, STYLE §20): `native` (bitcoin-core libsecp256k1 through the
 * `secp256k1` N-API addon; `bun build --compile` embeds its prebuilt addon), `wasm` (libsecp256k1
 * compiled to WebAssembly by `@solar-republic/wasm-secp256k1`, its bytes embedded in the module: Bun,
 * Deno, the binary) and `noble` (`@noble/curves`, pure TypeScript: the reference the others are
 * cross-checked against, and the last resort). One backend is active per thread; {@link recoverPublicKey}
 * in secp256k1.ts runs on it. Signing and verification stay on noble (not hot).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { loadNativeSecp256k1 } from "./_secp256k1Native.ts";
import { loadWasmSecp256k1 } from "./_secp256k1Wasm.ts";

import type { Secp256k1Backend, Secp256k1BackendName } from "./secp256k1Types.ts";

export type { Secp256k1Backend, Secp256k1BackendName };

const noble: Secp256k1Backend = {
  name: "noble",
  recover(hash, compact, recovery) {
    try {
      return secp256k1.Signature.fromBytes(compact, "compact").addRecoveryBit(recovery).recoverPublicKey(hash).toBytes(false);
    } catch {
      return null;
    }
  },
};

let active: Secp256k1Backend = noble;

// A backend that loads but answers wrongly (a broken build) must not be chosen: check it against noble.
function selfCheck(b: Secp256k1Backend): Secp256k1Backend {
  const sk = new Uint8Array(32).fill(7);
  const hash = new Uint8Array(32).fill(9);
  const sig = secp256k1.Signature.fromBytes(secp256k1.sign(hash, sk, { prehash: false, format: "recovered" }), "recovered");
  const got = b.recover(hash, sig.toBytes("compact"), sig.recovery ?? 0);
  const want = secp256k1.getPublicKey(sk, false);
  if (!got || got.length !== 65 || got.some((x, i) => x !== want[i])) throw new Error(`secp256k1 ${b.name} backend failed its self-check`);
  return b;
}
const loaded = new Map<Secp256k1BackendName, Promise<Secp256k1Backend>>();

function load(name: Secp256k1BackendName): Promise<Secp256k1Backend> {
  if (name === "noble") return Promise.resolve(noble);
  let p = loaded.get(name);
  if (!p) {
    p = (name === "native" ? loadNativeSecp256k1() : loadWasmSecp256k1()).then(selfCheck);
    loaded.set(name, p);
    p.catch(() => loaded.delete(name));
  }
  return p;
}

/**
 * The backend `name`, or for `"auto"` the first that loads of native, wasm, noble. Loaded once.
 * @throws {Error} when the named backend cannot load in this runtime.
 */
export async function createSecp256k1(name: Secp256k1BackendName | "auto" = "auto"): Promise<Secp256k1Backend> {
  if (name !== "auto") return load(name);
  for (const n of ["native", "wasm"] as const) {
    try {
      return await load(n);
    } catch {
      // next backend
    }
  }
  return noble;
}

/** Make `backend` the one {@link getSecp256k1Backend} answers on this thread (workers choose their own). */
export function useSecp256k1Backend(backend: Secp256k1Backend): void {
  active = backend;
}

/** The active backend of this thread (noble until a caller chooses one). */
export function getSecp256k1Backend(): Secp256k1Backend {
  return active;
}

/** The pure-TypeScript reference backend, always available. */
export function nobleSecp256k1(): Secp256k1Backend {
  return noble;
}

/** Parse a backend flag value (`auto`, `native`, `wasm`, `noble`). @throws {RangeError} on another. */
export function parseSecp256k1BackendName(v: string): Secp256k1BackendName | "auto" {
  if (v === "auto" || v === "native" || v === "wasm" || v === "noble") return v;
  throw new RangeError(`secp256k1 backend must be auto, native, wasm or noble, got "${v}"`);
}
