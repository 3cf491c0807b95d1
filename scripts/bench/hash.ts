/**
 * `make bench hash`: Keccak-256 and SHA-256 (`@noble/hashes`, pure JS) on a 1 MiB input and on 32-byte
 * inputs (the size of a trie node hash preimage step), against the runtime's native `node:crypto`
 * measured in the same run (SHA3-256 is the baseline for Keccak-256: the same permutation and rate,
 * only the padding byte differs). Then secp256k1 sign, recover and verify in µs per operation.
 */
import { createHash } from "node:crypto";
import { keccak256, sha256 } from "../../src/crypto/hash.ts";
import { encodeSignature, generatePrivateKey, privateKeyToPublicKey, recoverPublicKey, signHash, verifySignature } from "../../src/crypto/secp256k1.ts";
import { printTable, timeIt, type Row } from "./_table.ts";

const MIB = 1 << 20;
const SMALL_PER_CALL = 1000;
const OPTS = { minMs: 500, minIters: 5 };

function input(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

async function hashRow(name: string, ours: (d: Uint8Array) => Uint8Array, nativeAlg: string, size: number): Promise<Row> {
  const perCall = size === MIB ? 1 : SMALL_PER_CALL;
  const data = input(size, size);
  const oursUs = await timeIt(() => {
    for (let i = 0; i < perCall; i++) ours(data);
  }, OPTS);
  const nativeUs = await timeIt(() => {
    for (let i = 0; i < perCall; i++) createHash(nativeAlg).update(data).digest();
  }, OPTS);
  const bytes = size * perCall;
  const mbs = bytes / oursUs; // bytes per µs = MB/s
  const nativeMbs = bytes / nativeUs;
  return {
    hash: name,
    input: size === MIB ? "1 MiB" : `${size} B`,
    "MB/s": mbs,
    "hashes/s": (perCall * 1e6) / oursUs,
    [`baseline`]: `node:crypto ${nativeAlg}`,
    "baseline MB/s": nativeMbs,
    "ours/baseline": mbs / nativeMbs,
  };
}

/** Print the hashing and secp256k1 tables. */
export async function run(): Promise<void> {
  const rows: Row[] = [];
  for (const size of [MIB, 32]) {
    rows.push(await hashRow("keccak-256", keccak256, "sha3-256", size));
    rows.push(await hashRow("sha-256", sha256, "sha256", size));
  }
  printTable("hash: @noble/hashes vs native node:crypto (throughput)", rows);

  const sk = generatePrivateKey();
  const pub = privateKeyToPublicKey(sk);
  const hashes = Array.from({ length: 64 }, (_, i) => keccak256(input(32, i + 1)));
  const sigs = hashes.map((h) => encodeSignature(signHash(h, sk)));
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i] as Uint8Array;
    const s = sigs[i] as Uint8Array;
    if (!verifySignature(h, s, pub) || recoverPublicKey(h, s).some((b, j) => b !== pub[j])) throw new Error("secp256k1 self-check failed");
  }
  let i = 0;
  const next = () => i++ & 63;
  const signUs = await timeIt(() => signHash(hashes[next()] as Uint8Array, sk), OPTS);
  const recoverUs = await timeIt(() => {
    const k = next();
    recoverPublicKey(hashes[k] as Uint8Array, sigs[k] as Uint8Array);
  }, OPTS);
  const verifyUs = await timeIt(() => {
    const k = next();
    verifySignature(hashes[k] as Uint8Array, sigs[k] as Uint8Array, pub);
  }, OPTS);
  printTable("secp256k1 (@noble/curves): per operation", [
    { op: "sign (RFC 6979, low-s, recoverable)", "µs/op": signUs, "ops/s": 1e6 / signUs },
    { op: "recover public key (ecrecover)", "µs/op": recoverUs, "ops/s": 1e6 / recoverUs },
    { op: "verify", "µs/op": verifyUs, "ops/s": 1e6 / verifyUs },
  ]);
}

if (import.meta.main) await run();
