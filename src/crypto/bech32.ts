/**
 * Bech32 (BIP-173) and Harmony's `one1…` account addresses: the 20 address bytes regrouped into 5-bit
 * words (padded) and bech32-encoded under the human-readable part "one", as harmony-one/harmony
 * `internal/bech32.ConvertAndEncode` does. https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki
 */
import { ADDRESS_LENGTH, parseAddress } from "./address.ts";

/** Human-readable part of Harmony account addresses. */
export const HARMONY_HRP = "one";

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const MAX_LENGTH = 90;

function polymod(values: ArrayLike<number>): number {
  let chk = 1;
  for (let i = 0; i < values.length; i++) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ (values[i] as number);
    for (let j = 0; j < 5; j++) if ((top >>> j) & 1) chk ^= GEN[j] as number;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function checkHrp(hrp: string): void {
  if (hrp.length < 1 || hrp.length > 83) throw new SyntaxError(`bech32: human-readable part must be 1..83 characters, got ${hrp.length}`);
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) throw new SyntaxError(`bech32: human-readable part character 0x${c.toString(16)} out of range`);
  }
}

/**
 * Encode 5-bit `words` under `hrp` (output is lower case).
 * @throws {SyntaxError} for a bad HRP; {RangeError} for a word ≥ 32 or a result over 90 characters.
 */
export function bech32Encode(hrp: string, words: ArrayLike<number>): string {
  checkHrp(hrp);
  const h = hrp.toLowerCase();
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as number;
    if (!Number.isInteger(w) || w < 0 || w > 31) throw new RangeError(`bech32: word ${w} at ${i} is not 5-bit`);
  }
  if (h.length + 1 + words.length + 6 > MAX_LENGTH) throw new RangeError(`bech32: result longer than ${MAX_LENGTH} characters`);
  const values = [...hrpExpand(h), ...Array.from(words), 0, 0, 0, 0, 0, 0];
  const mod = polymod(values) ^ 1;
  let out = `${h}1`;
  for (let i = 0; i < words.length; i++) out += CHARSET[words[i] as number];
  for (let i = 0; i < 6; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return out;
}

/**
 * Decode a bech32 string into its (lower-cased) HRP and 5-bit data words, checksum removed.
 * @throws {SyntaxError} naming the BIP-173 rule the string breaks.
 */
export function bech32Decode(s: string): { hrp: string; words: Uint8Array } {
  if (typeof s !== "string") throw new TypeError(`bech32: expected string, got ${typeof s}`);
  if (s.length > MAX_LENGTH) throw new SyntaxError(`bech32: longer than ${MAX_LENGTH} characters`);
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) throw new SyntaxError("bech32: mixed case");
  const sep = lower.lastIndexOf("1");
  if (sep === -1) throw new SyntaxError("bech32: no separator character");
  if (sep === 0) throw new SyntaxError("bech32: empty human-readable part");
  if (lower.length - sep - 1 < 6) throw new SyntaxError("bech32: checksum too short");
  const hrp = lower.slice(0, sep);
  checkHrp(hrp);
  const data: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const v = CHARSET.indexOf(lower.charAt(i));
    if (v === -1) throw new SyntaxError(`bech32: invalid data character "${lower.charAt(i)}" at ${i}`);
    data.push(v);
  }
  if (polymod([...hrpExpand(hrp), ...data]) !== 1) throw new SyntaxError("bech32: invalid checksum");
  return { hrp, words: Uint8Array.from(data.slice(0, -6)) };
}

/**
 * Regroup `data` from `bits.from`-bit to `bits.to`-bit values (BIP-173 `convertbits`). With `bits.pad`,
 * the last group is zero-padded; without, leftover bits must be fewer than `bits.from` and all zero.
 * @throws {RangeError} for a value wider than `bits.from`; {SyntaxError} for invalid padding.
 */
export function convertBits(data: ArrayLike<number>, bits: { from: number; to: number; pad: boolean }): Uint8Array {
  const { from: fromBits, to: toBits, pad } = bits;
  let acc = 0;
  let held = 0;
  const out: number[] = [];
  const maxv = (1 << toBits) - 1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < 0 || v >> fromBits !== 0) throw new RangeError(`convertBits: value ${v} wider than ${fromBits} bits`);
    acc = ((acc << fromBits) | v) & 0xffffff;
    held += fromBits;
    while (held >= toBits) {
      held -= toBits;
      out.push((acc >> held) & maxv);
    }
  }
  if (pad) {
    if (held > 0) out.push((acc << (toBits - held)) & maxv);
  } else if (held >= fromBits) {
    throw new SyntaxError("convertBits: padding wider than the source group (more than 4 bits for 5 → 8)");
  } else if (((acc << (toBits - held)) & maxv) !== 0) {
    throw new SyntaxError("convertBits: non-zero padding");
  }
  return Uint8Array.from(out);
}

/**
 * Bech32 form of a 20-byte address (`one1…` by default).
 * @throws {TypeError|RangeError|SyntaxError} when `address` is not 20 bytes or a valid `0x` address.
 */
export function addressToBech32(address: Uint8Array | string, hrp: string = HARMONY_HRP): string {
  const bytes = typeof address === "string" ? parseAddress(address) : address;
  if (!(bytes instanceof Uint8Array) || bytes.length !== ADDRESS_LENGTH) throw new RangeError("addressToBech32: expected a 20-byte address");
  return bech32Encode(hrp, convertBits(bytes, { from: 8, to: 5, pad: true }));
}

/**
 * The 20 address bytes of a bech32 address whose HRP is `hrp` (`one` by default).
 * @throws {SyntaxError} for a bad encoding, another HRP, or a payload that is not 20 bytes.
 */
export function bech32ToAddress(s: string, hrp: string = HARMONY_HRP): Uint8Array {
  const d = bech32Decode(s);
  if (d.hrp !== hrp.toLowerCase()) throw new SyntaxError(`bech32 address: expected prefix "${hrp}1", got "${d.hrp}1"`);
  const bytes = convertBits(d.words, { from: 5, to: 8, pad: false });
  if (bytes.length !== ADDRESS_LENGTH) throw new SyntaxError(`bech32 address: expected 20 bytes, got ${bytes.length}`);
  return bytes;
}

/** True when `s` is a valid bech32 address of 20 bytes under `hrp` (`one` by default). */
export function isBech32Address(s: unknown, hrp: string = HARMONY_HRP): s is string {
  if (typeof s !== "string") return false;
  try {
    bech32ToAddress(s, hrp);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parse an account address in either form Harmony accepts: `0x…` (EIP-55 checked when mixed case) or
 * `one1…`.
 * @throws {TypeError|SyntaxError} when it is neither.
 */
export function parseAnyAddress(s: string): Uint8Array {
  if (typeof s !== "string") throw new TypeError(`address: expected string, got ${typeof s}`);
  if (/^0x/i.test(s)) return parseAddress(s.startsWith("0X") ? `0x${s.slice(2)}` : s);
  return bech32ToAddress(s, HARMONY_HRP);
}
