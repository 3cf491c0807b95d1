/**
 * The global `--secp256k1-backend` and `--keccak-backend` flags: choose this process's recovery and
 * hashing kernels before any command runs, and pass the choice to Worker threads (sender recovery,
 * call workers) through the environment, since a Worker starts with its own module instances.
 */
import {
  type KeccakBackendName,
  type Secp256k1BackendName,
  createSecp256k1,
  parseSecp256k1BackendName,
  setKeccakBackend,
  useSecp256k1Backend,
} from "../crypto/index.ts";
import { UsageError } from "./usageError.ts";

/** Environment variable a Worker reads to pick the same secp256k1 backend as its process. */
export const SECP256K1_BACKEND_ENV = "HARMONY_SECP256K1_BACKEND";

/** The backends this process runs on. */
export interface CryptoBackends {
  secp256k1: Secp256k1BackendName;
  keccak: KeccakBackendName;
}

/**
 * Apply the flag values (`auto` when absent).
 * @throws {UsageError} on an unknown name; {Error} when a named backend cannot load here.
 */
export async function applyCryptoBackends(opts: { secp256k1Backend?: string; keccakBackend?: string }): Promise<CryptoBackends> {
  let secpName: Secp256k1BackendName | "auto";
  try {
    secpName = parseSecp256k1BackendName(opts.secp256k1Backend ?? "auto");
  } catch (e) {
    throw new UsageError(`--secp256k1-backend: ${(e as Error).message}`);
  }
  const k = opts.keccakBackend ?? "auto";
  if (k !== "auto" && k !== "wasm" && k !== "noble") throw new UsageError(`--keccak-backend must be auto, wasm or noble, got "${k}"`);
  const secp = await createSecp256k1(secpName);
  useSecp256k1Backend(secp);
  process.env[SECP256K1_BACKEND_ENV] = secp.name;
  return { secp256k1: secp.name, keccak: setKeccakBackend(k) };
}
