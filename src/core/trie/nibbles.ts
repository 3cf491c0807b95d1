/** Nibble paths and the hex-prefix encoding of Merkle-Patricia trie keys (Yellow Paper appendix C). */

/** The 2n nibbles of `bytes`, high nibble first. */
export function bytesToNibbles(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    out[2 * i] = b >> 4;
    out[2 * i + 1] = b & 15;
  }
  return out;
}

/** Length of the common prefix of `path` and `key[pos:]`. */
export function commonPrefix(path: Uint8Array, key: Uint8Array, pos: number): number {
  const max = Math.min(path.length, key.length - pos);
  let i = 0;
  while (i < max && path[i] === key[pos + i]) i++;
  return i;
}

/** `a ‖ b` for nibble paths. */
export function joinNibbles(a: Uint8Array | number[], b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Hex-prefix encoding of a nibble path with the leaf flag. */
export function encodeHexPrefix(path: Uint8Array, leaf: boolean): Uint8Array {
  const odd = path.length & 1;
  const out = new Uint8Array((path.length >> 1) + 1);
  const flag = (leaf ? 2 : 0) + odd;
  let p = 0;
  if (odd) {
    out[0] = (flag << 4) | (path[0] as number);
    p = 1;
  } else out[0] = flag << 4;
  for (let i = 1; i < out.length; i++, p += 2) out[i] = ((path[p] as number) << 4) | (path[p + 1] as number);
  return out;
}

/**
 * Decode a hex-prefix encoded path.
 * @throws {SyntaxError} on an invalid flag nibble.
 */
export function decodeHexPrefix(enc: Uint8Array): { path: Uint8Array; leaf: boolean } {
  if (enc.length === 0) throw new SyntaxError("trie node: empty hex-prefix path");
  const flag = (enc[0] as number) >> 4;
  if (flag > 3) throw new SyntaxError(`trie node: bad hex-prefix flag ${flag}`);
  const odd = flag & 1;
  if (!odd && ((enc[0] as number) & 15) !== 0) throw new SyntaxError("trie node: non-zero padding nibble");
  const path = new Uint8Array((enc.length - 1) * 2 + odd);
  let p = 0;
  if (odd) path[p++] = (enc[0] as number) & 15;
  for (let i = 1; i < enc.length; i++) {
    const b = enc[i] as number;
    path[p++] = b >> 4;
    path[p++] = b & 15;
  }
  return { path, leaf: flag >= 2 };
}
