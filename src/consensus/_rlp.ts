/** Strict readers of decoded RLP items for the consensus codecs; each failure is a MESSAGE_MALFORMED. */
import { RLP } from "@ethereumjs/rlp";
import { bigintToBytes, bytesToBigint } from "../core/index.ts";
import { malformedMessage } from "./errors.ts";

/** A decoded RLP item. */
export type Item = Uint8Array | Item[];

/** Decode one RLP item with no trailing bytes. @throws {ConsensusError} MESSAGE_MALFORMED. */
export function decodeItem(bytes: Uint8Array, what: string): Item {
  try {
    return RLP.decode(bytes) as Item;
  } catch (e) {
    throw malformedMessage(`${what}: invalid RLP (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Encode an item. */
export function encodeItem(item: Item): Uint8Array {
  return RLP.encode(item);
}

/** Expect a list, optionally of an exact length. @throws {ConsensusError} MESSAGE_MALFORMED. */
export function list(item: Item | undefined, field: string, length?: number): Item[] {
  if (!Array.isArray(item)) throw malformedMessage(`${field}: expected a list`);
  if (length !== undefined && item.length !== length) throw malformedMessage(`${field}: expected ${length} items, got ${item.length}`);
  return item;
}

/** Expect bytes, optionally of one of the given lengths. @throws {ConsensusError} MESSAGE_MALFORMED. */
export function bytes(item: Item | undefined, field: string, lengths?: readonly number[]): Uint8Array {
  if (!(item instanceof Uint8Array)) throw malformedMessage(`${field}: expected bytes`);
  if (lengths && !lengths.includes(item.length)) throw malformedMessage(`${field}: ${item.length} bytes, expected ${lengths.join(" or ")}`);
  return item;
}

/** Expect bytes of at most `max` and at least `min` bytes. @throws {ConsensusError} MESSAGE_MALFORMED. */
export function boundedBytes(item: Item | undefined, field: string, min: number, max: number): Uint8Array {
  const b = bytes(item, field);
  if (b.length < min || b.length > max) throw malformedMessage(`${field}: ${b.length} bytes, expected ${min}..${max}`);
  return b;
}

/** Expect a canonical uint64 (no leading zero). @throws {ConsensusError} MESSAGE_MALFORMED. */
export function uint64(item: Item | undefined, field: string): bigint {
  const b = bytes(item, field);
  if (b.length > 8) throw malformedMessage(`${field}: integer longer than 8 bytes`);
  if (b.length > 0 && b[0] === 0) throw malformedMessage(`${field}: integer with a leading zero`);
  return bytesToBigint(b);
}

/** A uint64 as an RLP integer. @throws {RangeError} outside uint64. */
export function uint(v: bigint): Uint8Array {
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`${v} outside uint64`);
  return bigintToBytes(v);
}
