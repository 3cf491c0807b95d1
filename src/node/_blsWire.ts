/**
 * How the BLS verifier pool (blsPool.ts) hands checks to its workers (_blsWorker.ts) and names them
 * in its verdict cache. A check travels as ONE buffer — its public keys end to end, then the
 * signature — plus the message: a structured clone of one buffer costs a few microseconds, of 250
 * separate 48-byte arrays ~150 µs of the main thread per check. The same buffer, with the message's
 * hash appended, is hashed into the check's verdict-cache key, so the keys are copied once.
 */
import { type AggregateCheck, PUBLIC_KEY_LENGTH, keccak256 } from "../crypto/index.ts";

/** A check as it crosses to a worker. */
export interface PackedCheck {
  /** `n` public keys of 48 bytes, then the signature (any length: a bad one fails verification). */
  readonly bytes: Uint8Array;
  readonly keys: number;
  readonly message: Uint8Array;
}

/** A check packed, with its verdict-cache key. */
export interface WireCheck {
  readonly packed: PackedCheck;
  readonly cacheKey: string;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Pack `c`, or null when it is malformed (not bytes where bytes belong, or a key that is not 48
 * bytes long) — a check that could only be false.
 */
export function packCheck(c: AggregateCheck): WireCheck | null {
  const keys = c?.publicKeys;
  const sig = c?.signature;
  const message = c?.message;
  if (!Array.isArray(keys) || !(sig instanceof Uint8Array) || !(message instanceof Uint8Array)) return null;
  const n = keys.length;
  const keysEnd = n * PUBLIC_KEY_LENGTH;
  // keys ‖ signature ‖ keccak(message): the cache key hashes it all; the worker gets all but the hash.
  const buf = new Uint8Array(keysEnd + sig.length + 32);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (!(k instanceof Uint8Array) || k.length !== PUBLIC_KEY_LENGTH) return null;
    buf.set(k, i * PUBLIC_KEY_LENGTH);
  }
  buf.set(sig, keysEnd);
  buf.set(keccak256(message), keysEnd + sig.length);
  let key = "";
  for (const b of keccak256(buf)) key += HEX[b];
  return { packed: { bytes: buf.subarray(0, keysEnd + sig.length), keys: n, message }, cacheKey: `${key}:${n}:${sig.length}:${message.length}` };
}

/** The check a worker verifies (views into the packed buffer). */
export function unpackCheck(p: PackedCheck): AggregateCheck {
  const publicKeys: Uint8Array[] = [];
  for (let i = 0; i < p.keys; i++) publicKeys.push(p.bytes.subarray(i * PUBLIC_KEY_LENGTH, (i + 1) * PUBLIC_KEY_LENGTH));
  return { publicKeys, message: p.message, signature: p.bytes.subarray(p.keys * PUBLIC_KEY_LENGTH) };
}

/** The signature of a packed check (what the worker's exported points are keyed by). */
export function signatureOf(p: PackedCheck): Uint8Array {
  return p.bytes.subarray(p.keys * PUBLIC_KEY_LENGTH);
}
