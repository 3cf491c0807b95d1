/** Byte helpers of the beacon: domain tags and fixed-width integers. */

const utf8 = new TextEncoder();

/** UTF-8 bytes of a domain-separation tag. */
export function tag(s: string): Uint8Array {
  return utf8.encode(s);
}

/**
 * 8-byte big-endian encoding of an unsigned 64-bit integer.
 * @throws {RangeError} when v ∉ [0, 2^64).
 */
export function u64BE(v: bigint): Uint8Array {
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`u64 out of range: ${v}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, false);
  return out;
}
