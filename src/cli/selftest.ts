/**
 * `harmony selftest`: proves the executable carries its own crypto — BLS on the chosen backend (its
 * batched verifier on cached decoded keys included), secp256k1 recovery, keccak-256 and the VDF
 * kernel — with no file beside it, and says which backend runs each kernel. Prints one JSON object.
 */
import type { Command } from "commander";
import { registerCommand } from "./_registry.ts";
import { UsageError } from "./usageError.ts";
import { type BLS, createBLS, getKeccakBackend, getSecp256k1Backend, keccak256, privateKeyToPublicKey, recoverPublicKey, signHash } from "../crypto/index.ts";
import { getRuntimeAdapter } from "../adapter/index.ts";
import { VERSION } from "../version.ts";

/** Parse the global `--bls-backend` flag value. @throws {UsageError} on an unknown name. */
export function parseBLSBackend(v: string | undefined): "auto" | "native" | "wasm" {
  const b = v ?? "auto";
  if (b !== "auto" && b !== "native" && b !== "wasm") throw new UsageError(`--bls-backend must be auto, native or wasm, got "${b}"`);
  return b;
}

// Sign with noble, recover on the active backend: the signer's key, and not for another hash.
function secp256k1SelfTest(): boolean {
  const sk = new Uint8Array(32).fill(3);
  const hash = keccak256(new TextEncoder().encode("selftest"));
  const pub = privateKeyToPublicKey(sk);
  const sig = signHash(hash, sk);
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
  let other: Uint8Array | null;
  try {
    other = recoverPublicKey(keccak256(hash), sig);
  } catch {
    other = null;
  }
  return same(recoverPublicKey(hash, sig), pub) && (other === null || !same(other, pub));
}

// Three votes over one message, the middle one signed by a key other than its own: the batched
// verifier on decoded points must find it, and a second pass must take the keys from the point cache.
function blsPointsSelfTest(bls: BLS): boolean {
  const msg = new TextEncoder().encode("selftest votes");
  const sks = [1, 2, 3].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
  const votes = sks.map((sk, i) => ({ publicKeys: [bls.secretToPublic(sk)], message: msg, signature: bls.sign(sks[i === 1 ? 0 : i] as Uint8Array, msg) }));
  const first = bls.verifyChecks(votes);
  const hits = bls.cacheStats().publicKeyHits;
  const again = bls.verifyChecks(votes.map((v) => ({ ...v, signature: v.signature.slice() })));
  const want = [true, false, true];
  return [...first, ...again].every((v, i) => v === want[i % 3]) && bls.cacheStats().publicKeyHits >= hits + 3;
}

registerCommand((program: Command) => {
  program
    .command("selftest")
    .description("check the embedded crypto kernels (BLS, secp256k1, keccak, VDF) and print what this binary runs with")
    .option("--vdf-t <n>", "VDF squarings for the check", "4096")
    .action(async (opts: { vdfT: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<{ blsBackend?: string }>();
      const adapter = await getRuntimeAdapter();
      const wanted = parseBLSBackend(global.blsBackend);
      const bls = await createBLS(wanted === "auto" && adapter.name === "deno" ? "wasm" : wanted);
      const sk = bls.keygen();
      const msg = new TextEncoder().encode("selftest");
      const pk = bls.secretToPublic(sk);
      const blsOk = bls.verify(pk, msg, bls.sign(sk, msg)) && !bls.verify(pk, new Uint8Array(8), bls.sign(sk, msg)) && blsPointsSelfTest(bls);
      const T = Number(opts.vdfT);
      if (!Number.isInteger(T) || T < 1 || T > 1 << 26) throw new UsageError(`--vdf-t must be an integer in 1..2^26, got "${opts.vdfT}"`);
      const { vdfSelfTest } = await import("../crypto/vdf/index.ts");
      const vdf = await vdfSelfTest(T);
      const secp256k1Ok = secp256k1SelfTest();
      // Keccak KAT ShortMsgKAT_256 Len = 8 (test/vectors/keccak).
      const keccakOk = Array.from(keccak256(Uint8Array.of(0xcc)), (b) => b.toString(16).padStart(2, "0")).join("") === "eead6dbfc7340a56caedc044696a168870549a6a7f6f56961e84a54bd9970b8a";
      const kernels = { secp256k1Backend: getSecp256k1Backend().name, secp256k1Ok, keccakBackend: getKeccakBackend(), keccakOk };
      // The VDF has one kernel (wasm/vdf); the others say which of their backends loaded.
      const backends = { bls: bls.backend, secp256k1: kernels.secp256k1Backend, keccak: kernels.keccakBackend, vdf: "wasm" };
      const out = { version: VERSION, runtime: adapter.name, blsBackend: bls.backend, blsOk, ...kernels, vdf, backends };
      process.stdout.write(`${JSON.stringify(out)}\n`);
      if (!blsOk || !vdf.ok || !secp256k1Ok || !keccakOk) process.exitCode = 1;
    });
});
