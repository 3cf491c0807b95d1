/**
 * secp256k1 ECDSA as Ethereum and Harmony use it: 32-byte private keys, 65-byte uncompressed public
 * keys (0x04‖X‖Y), signatures over a 32-byte hash (no pre-hashing), deterministic nonces (RFC 6979,
 * the same bytes geth/libsecp256k1 produce), low-s only (EIP-2), and the 65-byte r‖s‖v encoding with
 * v = recovery id 0 or 1 (geth `crypto.Sign`). Thin wrapper over `@noble/curves`.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { NodeError } from "../util/errors.ts";
import { getSecp256k1Backend } from "./secp256k1Backend.ts";

/** Group order n of secp256k1. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = SECP256K1_N >> 1n;

/** Codes of {@link Secp256k1Error}. */
export const Secp256k1ErrorCode = {
  /** r or s out of range, bad recovery id, or no public key recovers from the signature. */
  INVALID_SIGNATURE: "SECP256K1_INVALID_SIGNATURE",
  /** s > n/2: malleable signature, rejected by EIP-2 for transactions. */
  HIGH_S: "SECP256K1_HIGH_S",
} as const;

/** Metadata of a {@link Secp256k1Error}. */
export type Secp256k1ErrorType =
  | { code: typeof Secp256k1ErrorCode.INVALID_SIGNATURE; reason: string }
  | { code: typeof Secp256k1ErrorCode.HIGH_S };

/** A well-formed signature that does not yield a public key (domain error: an invalid tx or vote). */
export class Secp256k1Error extends NodeError<Secp256k1ErrorType> {}

/** An ECDSA signature with its recovery id (0 or 1 for every signature this module makes). */
export interface ECDSASignature {
  r: bigint;
  s: bigint;
  recovery: number;
}

function assertLength(b: unknown, len: number, what: string): asserts b is Uint8Array {
  if (!(b instanceof Uint8Array)) throw new TypeError(`${what}: expected Uint8Array, got ${typeof b}`);
  if (b.length !== len) throw new RangeError(`${what}: expected ${len} bytes, got ${b.length}`);
}

function bigintTo32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = n;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

// Per-byte BigInt shifts cost more than one hex parse; recovery parses two scalars per transaction.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
function bytesToBigint(b: Uint8Array): bigint {
  let hex = "0x0";
  for (const x of b) hex += HEX[x] as string;
  return BigInt(hex);
}

/** A fresh random private key from the platform CSPRNG (`crypto.getRandomValues`). */
export function generatePrivateKey(): Uint8Array {
  return secp256k1.utils.randomSecretKey();
}

/** True when `sk` is 32 bytes encoding an integer in [1, n-1]. */
export function isValidPrivateKey(sk: unknown): sk is Uint8Array {
  return sk instanceof Uint8Array && sk.length === 32 && secp256k1.utils.isValidSecretKey(sk);
}

function assertPrivateKey(sk: unknown): asserts sk is Uint8Array {
  assertLength(sk, 32, "private key");
  if (!secp256k1.utils.isValidSecretKey(sk)) throw new RangeError("private key: not in [1, n-1]");
}

/**
 * The public key of `privateKey`: 65 bytes uncompressed (0x04‖X‖Y), or 33 compressed.
 * @throws {TypeError|RangeError} when `privateKey` is not a valid 32-byte key.
 */
export function privateKeyToPublicKey(privateKey: Uint8Array, compressed = false): Uint8Array {
  assertPrivateKey(privateKey);
  return secp256k1.getPublicKey(privateKey, compressed);
}

/**
 * Any SEC1 public key (33 compressed, 65 uncompressed, or 64 bare X‖Y bytes) as 65 bytes uncompressed.
 * @throws {RangeError} when the bytes do not encode a point on the curve.
 */
export function publicKeyToUncompressed(publicKey: Uint8Array): Uint8Array {
  if (!(publicKey instanceof Uint8Array)) throw new TypeError("public key: expected Uint8Array");
  const sec1 = publicKey.length === 64 ? Uint8Array.of(4, ...publicKey) : publicKey;
  try {
    return secp256k1.Point.fromBytes(sec1).toBytes(false);
  } catch (e) {
    throw new RangeError(`public key: not a point on secp256k1 (${publicKey.length} bytes)`, { cause: e });
  }
}

/**
 * Sign a 32-byte hash. Deterministic (RFC 6979) and always low-s.
 * @throws {TypeError|RangeError} on a bad hash length or private key.
 */
export function signHash(hash: Uint8Array, privateKey: Uint8Array): ECDSASignature {
  assertLength(hash, 32, "hash");
  assertPrivateKey(privateKey);
  const rec = secp256k1.sign(hash, privateKey, { prehash: false, lowS: true, format: "recovered" });
  const sig = secp256k1.Signature.fromBytes(rec, "recovered");
  return { r: sig.r, s: sig.s, recovery: sig.recovery ?? 0 };
}

/**
 * 65-byte r‖s‖v encoding with v = recovery id (0/1), as geth `crypto.Sign` returns.
 * @throws {RangeError} when r, s or the recovery id are out of range.
 */
export function encodeSignature(sig: ECDSASignature): Uint8Array {
  if (sig.r <= 0n || sig.r >= SECP256K1_N || sig.s <= 0n || sig.s >= SECP256K1_N) throw new RangeError("signature: r or s out of range");
  if (!Number.isInteger(sig.recovery) || sig.recovery < 0 || sig.recovery > 3) throw new RangeError(`signature: bad recovery id ${sig.recovery}`);
  const out = new Uint8Array(65);
  out.set(bigintTo32(sig.r), 0);
  out.set(bigintTo32(sig.s), 32);
  out[64] = sig.recovery;
  return out;
}

/**
 * Parse a 65-byte r‖s‖v signature; v may be the recovery id (0/1) or 27/28 (legacy `eth_sign` form).
 * Range checks on r and s happen in {@link recoverPublicKey} / {@link verifySignature}.
 * @throws {TypeError|RangeError} on a wrong length or a v outside {0, 1, 27, 28}.
 */
export function decodeSignature(bytes: Uint8Array): ECDSASignature {
  assertLength(bytes, 65, "signature");
  const v = bytes[64] as number;
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) throw new RangeError(`signature: v must be 0, 1, 27 or 28, got ${v}`);
  return { r: bytesToBigint(bytes.subarray(0, 32)), s: bytesToBigint(bytes.subarray(32, 64)), recovery };
}

/** True when s is in the upper half of the group order (rejected for transactions by EIP-2). */
export function isHighS(sig: ECDSASignature): boolean {
  return sig.s > HALF_N;
}

/**
 * Recover the 65-byte uncompressed public key that signed `hash`. High-s signatures are rejected
 * unless `opts.allowHighS` (the `ecrecover` precompile accepts them; transactions do not).
 * @throws {Secp256k1Error} INVALID_SIGNATURE or HIGH_S; {TypeError|RangeError} on malformed arguments.
 */
export function recoverPublicKey(hash: Uint8Array, sig: ECDSASignature | Uint8Array, opts: { allowHighS?: boolean } = {}): Uint8Array {
  assertLength(hash, 32, "hash");
  const s = sig instanceof Uint8Array ? decodeSignature(sig) : sig;
  if (s.r <= 0n || s.r >= SECP256K1_N || s.s <= 0n || s.s >= SECP256K1_N) {
    throw new Secp256k1Error({ code: Secp256k1ErrorCode.INVALID_SIGNATURE, reason: "r or s out of range" }, "invalid signature: r or s out of range");
  }
  if (!opts.allowHighS && isHighS(s)) throw new Secp256k1Error({ code: Secp256k1ErrorCode.HIGH_S }, "invalid signature: s is in the upper half of the curve order");
  if (!Number.isInteger(s.recovery) || s.recovery < 0 || s.recovery > 3) {
    throw new Secp256k1Error({ code: Secp256k1ErrorCode.INVALID_SIGNATURE, reason: "bad recovery id" }, `invalid signature: recovery id ${s.recovery}`);
  }
  const compact = sig instanceof Uint8Array ? sig.subarray(0, 64) : new Uint8Array(64);
  if (!(sig instanceof Uint8Array)) {
    compact.set(bigintTo32(s.r), 0);
    compact.set(bigintTo32(s.s), 32);
  }
  const backend = getSecp256k1Backend();
  const pub = backend.recover(hash, compact, s.recovery);
  if (pub === null) throw new Secp256k1Error({ code: Secp256k1ErrorCode.INVALID_SIGNATURE, reason: "no public key recovers" }, `invalid signature: no public key recovers (${backend.name})`);
  return pub;
}

/**
 * Verify a signature over a 32-byte hash against a public key (any SEC1 form). Returns false for any
 * invalid input or a high-s signature; never throws.
 */
export function verifySignature(hash: Uint8Array, sig: ECDSASignature | Uint8Array, publicKey: Uint8Array): boolean {
  try {
    if (!(hash instanceof Uint8Array) || hash.length !== 32) return false;
    const s = sig instanceof Uint8Array ? decodeSignature(sig) : sig;
    const compact = new Uint8Array(64);
    if (s.r <= 0n || s.r >= SECP256K1_N || s.s <= 0n || s.s > HALF_N) return false;
    compact.set(bigintTo32(s.r), 0);
    compact.set(bigintTo32(s.s), 32);
    const pub = publicKey.length === 64 ? Uint8Array.of(4, ...publicKey) : publicKey;
    return secp256k1.verify(compact, hash, pub, { prehash: false, lowS: true });
  } catch {
    return false;
  }
}
