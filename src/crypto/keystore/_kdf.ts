/**
 * Shared by both keystore formats: KDFs (scrypt, PBKDF2-HMAC-SHA256 from `@noble/hashes`, run async so
 * the event loop keeps turning), AES-128-CTR (WebCrypto, which Bun, Deno and edge runtimes all have),
 * parameter checks and hex fields.
 */
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { pbkdf2Async } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { malformed, unsupported } from "./errors.ts";
import type { KdfOptions, KdfParams } from "./types.ts";

/** geth "standard" scrypt cost: n = 2^18, r = 8, p = 1 (~256 MiB, about a second). */
export const KDF_STANDARD = { kdf: "scrypt", n: 1 << 18, r: 8, p: 1 } as const satisfies KdfOptions;
/** Light scrypt cost for tests and throw-away devnet keys: n = 2^12. */
export const KDF_LIGHT = { kdf: "scrypt", n: 1 << 12, r: 8, p: 1 } as const satisfies KdfOptions;
const PBKDF2_DEFAULT_C = 262144;

// Guards against hostile files: scrypt memory 128·n·r ≤ 1 GiB, PBKDF2 ≤ 2^26 rounds.
const MAX_SCRYPT_MEM = 2 ** 30;
const MAX_PBKDF2_C = 2 ** 26;
const DKLEN = 32;

function isPosInt(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0;
}

/** Lowercase hex, no `0x` (both formats store hex this way). */
export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/**
 * Decode a hex field (with or without `0x`).
 * @throws {KeystoreError} MALFORMED naming `field`.
 */
export function hexField(v: unknown, field: string, len?: number): Uint8Array {
  if (typeof v !== "string") throw malformed(field, "must be a hex string");
  const h = v.startsWith("0x") ? v.slice(2) : v;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw malformed(field, "is not valid hex");
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  if (len !== undefined && out.length !== len) throw malformed(field, `must be ${len} bytes, got ${out.length}`);
  return out;
}

/** Random bytes from the platform CSPRNG. */
export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** Equality that does not stop at the first differing byte. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}

function checkScrypt(n: number, r: number, p: number, field: string): void {
  if (!isPosInt(n) || n < 2 || n > 2 ** 30 || (n & (n - 1)) !== 0) throw malformed(`${field}.n`, `must be a power of two > 1, got ${n}`);
  if (!isPosInt(r)) throw unsupported(`${field}.r`, r);
  if (!isPosInt(p) || r * p >= 2 ** 30) throw unsupported(`${field}.p`, p);
  if (128 * n * r > MAX_SCRYPT_MEM) throw unsupported(`${field}.n`, `${n} (needs more than 1 GiB with r=${r})`);
}

/**
 * KDF parameters for a new keystore.
 * @throws {RangeError} for costs the KDF or our limits reject.
 */
export function buildKdfParams(opts: KdfOptions, salt: Uint8Array): KdfParams {
  try {
    if (opts.kdf === "scrypt") {
      const n = opts.n ?? KDF_STANDARD.n;
      const r = opts.r ?? KDF_STANDARD.r;
      const p = opts.p ?? KDF_STANDARD.p;
      checkScrypt(n, r, p, "kdf");
      return { function: "scrypt", params: { dklen: DKLEN, n, r, p, salt: toHex(salt) } };
    }
    if (opts.kdf === "pbkdf2") {
      const c = opts.c ?? PBKDF2_DEFAULT_C;
      if (!isPosInt(c) || c > MAX_PBKDF2_C) throw unsupported("kdf.c", c);
      return { function: "pbkdf2", params: { dklen: DKLEN, c, prf: "hmac-sha256", salt: toHex(salt) } };
    }
  } catch (e) {
    throw new RangeError(e instanceof Error ? e.message : String(e));
  }
  throw new RangeError(`kdf must be "scrypt" or "pbkdf2", got "${(opts as { kdf: unknown }).kdf}"`);
}

/**
 * Validate the KDF name and parameters read from a file; `fields` name where they sit in the JSON.
 * @throws {KeystoreError} MALFORMED or UNSUPPORTED naming the field.
 */
export function parseKdfParams(fn: unknown, params: unknown, fields: { fn: string; params: string }): KdfParams {
  const field = fields.params;
  if (fn !== "scrypt" && fn !== "pbkdf2") throw unsupported(fields.fn, fn);
  if (typeof params !== "object" || params === null) throw malformed(field, "params must be an object");
  const p = params as Record<string, unknown>;
  if (!isPosInt(p.dklen)) throw malformed(`${field}.dklen`, "must be a positive integer");
  if (p.dklen < DKLEN || p.dklen > 1024) throw unsupported(`${field}.dklen`, p.dklen);
  hexField(p.salt, `${field}.salt`);
  const salt = p.salt as string;
  if (fn === "scrypt") {
    for (const k of ["n", "r", "p"]) if (!isPosInt(p[k])) throw malformed(`${field}.${k}`, "must be a positive integer");
    checkScrypt(p.n as number, p.r as number, p.p as number, field);
    return { function: "scrypt", params: { dklen: p.dklen, n: p.n as number, r: p.r as number, p: p.p as number, salt } };
  }
  if (!isPosInt(p.c)) throw malformed(`${field}.c`, "must be a positive integer");
  if (p.c > MAX_PBKDF2_C) throw unsupported(`${field}.c`, p.c);
  if (p.prf !== "hmac-sha256") throw unsupported(`${field}.prf`, p.prf);
  return { function: "pbkdf2", params: { dklen: p.dklen, c: p.c, prf: "hmac-sha256", salt } };
}

/** Run the KDF: the decryption key the MAC/checksum and the cipher key come from. */
export async function deriveKey(kdf: KdfParams, password: Uint8Array): Promise<Uint8Array> {
  const salt = hexField(kdf.params.salt, "salt");
  if (kdf.function === "scrypt") {
    const { n, r, p, dklen } = kdf.params;
    return scryptAsync(password, salt, { N: n, r, p, dkLen: dklen, maxmem: MAX_SCRYPT_MEM + 128 * r * (p + 2) + 1024 });
  }
  return pbkdf2Async(sha256, password, salt, { c: kdf.params.c, dkLen: kdf.params.dklen });
}

/** AES-128-CTR with a 128-bit big-endian counter starting at `iv` (as Go's `cipher.NewCTR`). Symmetric. */
export async function aes128ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key.slice(0, 16), { name: "AES-CTR" }, false, ["encrypt"]);
  const out = await crypto.subtle.encrypt({ name: "AES-CTR", counter: iv.slice(), length: 128 }, k, data.slice());
  return new Uint8Array(out);
}
