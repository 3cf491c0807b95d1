/**
 * Ethereum-style 20-byte account addresses, which Harmony shares: the last 20 bytes of the Keccak-256 of
 * the 64-byte public key X‖Y; text form `0x…` with the EIP-55 mixed-case checksum.
 */
import { keccak256 } from "./hash.ts";
import { privateKeyToPublicKey, publicKeyToUncompressed } from "./secp256k1.ts";

/** Bytes in an address. */
export const ADDRESS_LENGTH = 20;

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const HEX = "0123456789abcdef";

/**
 * The address of a secp256k1 public key (65 uncompressed, 64 bare X‖Y, or 33 compressed bytes).
 * @throws {RangeError} when the bytes are not a point on the curve.
 */
export function publicKeyToAddress(publicKey: Uint8Array): Uint8Array {
  const full = publicKeyToUncompressed(publicKey);
  return keccak256(full.subarray(1)).slice(12);
}

/**
 * The address of a secp256k1 private key.
 * @throws {TypeError|RangeError} when `privateKey` is not a valid 32-byte key.
 */
export function privateKeyToAddress(privateKey: Uint8Array): Uint8Array {
  return publicKeyToAddress(privateKeyToPublicKey(privateKey));
}

function lowerHex(address: Uint8Array): string {
  let s = "";
  for (const b of address) s += (HEX[b >> 4] as string) + (HEX[b & 15] as string);
  return s;
}

/**
 * EIP-55 checksum encoding `0x…`: a hex letter is upper case when the matching nibble of
 * keccak256(lowercase hex) is ≥ 8.
 * @throws {TypeError|SyntaxError} when `address` is not 20 bytes or `0x` + 40 hex digits (any case).
 */
export function toChecksumAddress(address: Uint8Array | string): string {
  const lower = typeof address === "string" ? lowerHex(decodeHexAddress(address)) : lowerHex(assertAddressBytes(address));
  const hash = keccak256(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const c = lower[i] as string;
    const nibble = i % 2 === 0 ? (hash[i >> 1] as number) >> 4 : (hash[i >> 1] as number) & 15;
    out += nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

function assertAddressBytes(address: unknown): Uint8Array {
  if (!(address instanceof Uint8Array)) throw new TypeError(`address: expected Uint8Array or string, got ${typeof address}`);
  if (address.length !== ADDRESS_LENGTH) throw new RangeError(`address: expected 20 bytes, got ${address.length}`);
  return address;
}

function decodeHexAddress(s: string): Uint8Array {
  if (typeof s !== "string") throw new TypeError(`address: expected string, got ${typeof s}`);
  if (!ADDRESS_RE.test(s)) throw new SyntaxError(`address: expected 0x followed by 40 hex digits, got "${s.slice(0, 60)}"`);
  const out = new Uint8Array(ADDRESS_LENGTH);
  for (let i = 0; i < ADDRESS_LENGTH; i++) out[i] = Number.parseInt(s.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** True for `0x` + 40 hex digits that are all lower case, all upper case, or a correct EIP-55 checksum. */
export function isValidAddress(s: unknown): s is string {
  if (typeof s !== "string" || !ADDRESS_RE.test(s)) return false;
  const body = s.slice(2);
  if (body === body.toLowerCase() || body === body.toUpperCase()) return true;
  return toChecksumAddress(s) === s;
}

/**
 * Parse a `0x` address into 20 bytes. Mixed-case input must carry a correct EIP-55 checksum.
 * @throws {TypeError} for a non-string; {SyntaxError} for a malformed address or a wrong checksum.
 */
export function parseAddress(s: string): Uint8Array {
  const bytes = decodeHexAddress(s);
  if (!isValidAddress(s)) throw new SyntaxError(`address: EIP-55 checksum mismatch in "${s}" (expected ${toChecksumAddress(bytes)})`);
  return bytes;
}
