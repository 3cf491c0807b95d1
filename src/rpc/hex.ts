/**
 * Hex encodings of the Ethereum JSON-RPC: quantities (`0x` + minimal hex), data (`0x` + two digits
 * per byte) and EIP-55 checksummed addresses.
 * @module
 */
import { toChecksumAddress as checksum } from "../crypto/address.ts";

const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Encode a non-negative integer as a quantity (`0x0`, `0x1a`). */
export function toQuantity(n: bigint | number): string {
  return `0x${n.toString(16)}`;
}

/** Encode bytes as unformatted data (`0x`, `0x00ff`). */
export function toData(b: Uint8Array): string {
  let s = "0x";
  for (let i = 0; i < b.length; i++) s += BYTE_HEX[b[i] as number];
  return s;
}

/** Bytes of a hex string that is known to be valid (callers check with the param parsers). */
export function hexToBytesUnchecked(hex: string): Uint8Array {
  const h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Big-endian unsigned integer of bytes. */
export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(toData(b));
}

/** Big-endian bytes of `n`, left-padded to `length`. */
export function bigIntToBytes(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = n;
  for (let i = length - 1; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

const CHECKSUM_CACHE_MAX = 4096;
const checksumCache = new Map<string, string>();

/** EIP-55 checksummed form of a 20-byte address (cached: blocks repeat the same few addresses). */
export function toChecksumAddress(address: Uint8Array): string {
  const lower = toData(address);
  const hit = checksumCache.get(lower);
  if (hit !== undefined) return hit;
  const out = checksum(address);
  if (checksumCache.size >= CHECKSUM_CACHE_MAX) checksumCache.clear();
  checksumCache.set(lower, out);
  return out;
}

/** An exact integer as a raw JSON number (Bun and Deno both have `JSON.rawJSON`): no precision lost above 2^53. */
export function jsonNumber(n: bigint | number): unknown {
  return (JSON as unknown as { rawJSON(s: string): unknown }).rawJSON(BigInt(n).toString(10));
}
