/** Internal helpers of the core codecs: canonical integers in RLP and field checks on decode. */
import { RLP } from "@ethereumjs/rlp";
import { bigintToBytes, bytesToBigint, EMPTY_CODE_HASH, EMPTY_LIST_HASH, EMPTY_TRIE_ROOT, keccak256 } from "./primitives.ts";

// Re-exported so the codecs of this folder take every helper from one place.
export { bigintToBytes, bytesToBigint, EMPTY_CODE_HASH, EMPTY_LIST_HASH, EMPTY_TRIE_ROOT, keccak256 };

/**
 * Decode a canonical RLP integer: no leading zero byte, at most `maxBytes` long.
 * @throws {SyntaxError} when not canonical or too long.
 */
export function decodeInt(b: unknown, field: string, maxBytes = 32): bigint {
  const v = asBytes(b, field);
  if (v.length > maxBytes) throw new SyntaxError(`${field}: integer longer than ${maxBytes} bytes`);
  if (v.length > 0 && v[0] === 0) throw new SyntaxError(`${field}: integer with leading zero`);
  return bytesToBigint(v);
}

/**
 * Expect a byte string (optionally of an exact length).
 * @throws {SyntaxError} on a list or a wrong length.
 */
export function asBytes(b: unknown, field: string, length?: number): Uint8Array {
  if (!(b instanceof Uint8Array)) throw new SyntaxError(`${field}: expected bytes, got a list`);
  if (length !== undefined && b.length !== length) throw new SyntaxError(`${field}: expected ${length} bytes, got ${b.length}`);
  return b;
}

/**
 * Expect a list (optionally of an exact length).
 * @throws {SyntaxError} on bytes or a wrong length.
 */
export function asList(b: unknown, field: string, length?: number): unknown[] {
  if (!Array.isArray(b)) throw new SyntaxError(`${field}: expected a list`);
  if (length !== undefined && b.length !== length) throw new SyntaxError(`${field}: expected ${length} items, got ${b.length}`);
  return b;
}

/**
 * RLP-decode exactly one item (no trailing bytes).
 * @throws {SyntaxError} on malformed RLP.
 */
export function rlpDecode(bytes: Uint8Array, what: string): unknown {
  try {
    return RLP.decode(bytes);
  } catch (e) {
    throw new SyntaxError(`${what}: invalid RLP (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** RLP-encode nested byte strings and lists. */
export function rlpEncode(item: RLPInput): Uint8Array {
  return RLP.encode(item);
}

/** What {@link rlpEncode} accepts. */
export type RLPInput = Uint8Array | RLPInput[];
