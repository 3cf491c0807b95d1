/** Byte helpers shared by every layer. Hex is lowercase with a 0x prefix on output. */

const HEX = /^(0x)?[0-9a-fA-F]*$/;

/** True when `s` is a hex string (optional 0x) of even length. */
export function isHex(s: unknown): s is string {
  return typeof s === "string" && HEX.test(s) && (s.startsWith("0x") ? s.length - 2 : s.length) % 2 === 0;
}

/** Encode bytes as `0x…` lowercase hex. */
export function bytesToHex(b: Uint8Array): string {
  return `0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex")}`;
}

/**
 * Decode `0x…` or bare hex into bytes.
 * @throws {TypeError} when the input is not even-length hex.
 */
export function hexToBytes(s: string): Uint8Array {
  if (!isHex(s)) throw new TypeError(`invalid hex string: ${String(s).slice(0, 80)}`);
  const h = s.startsWith("0x") ? s.slice(2) : s;
  return new Uint8Array(Buffer.from(h, "hex"));
}

/** Concatenate byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Byte-wise equality (not constant time; do not use for secrets). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
