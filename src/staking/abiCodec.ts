/**
 * A strict Solidity ABI codec for the types the system contracts take (uint, address, bool, bytes,
 * string, arrays and tuples). Decoding rejects every non-canonical encoding (dirty high bits, offsets
 * or lengths past the data, truncated words), so calldata has exactly one meaning on every node.
 * https://docs.soliditylang.org/en/latest/abi-spec.html
 * @module
 */
import { concatBytes } from "../util/bytes.ts";

/** An ABI type. */
export type AbiType =
  | { readonly kind: "uint"; readonly bits: number }
  | { readonly kind: "address" }
  | { readonly kind: "bool" }
  | { readonly kind: "bytes" }
  | { readonly kind: "string" }
  | { readonly kind: "array"; readonly of: AbiType }
  | { readonly kind: "tuple"; readonly of: readonly AbiType[] };

/** A decoded value: bigint (uint), 0x-less 20-byte Uint8Array (address, bytes), boolean, string, arrays. */
export type AbiValue = bigint | boolean | string | Uint8Array | readonly AbiValue[];

/** Calldata that does not decode as the function's parameters. */
export class AbiDecodeError extends Error {
  override readonly name = "AbiDecodeError";
}

const WORD = 32;
const MAX_ITEMS = 1024;

function isDynamic(t: AbiType): boolean {
  if (t.kind === "bytes" || t.kind === "string" || t.kind === "array") return true;
  if (t.kind === "tuple") return t.of.some(isDynamic);
  return false;
}

function headSize(t: AbiType): number {
  if (t.kind === "tuple" && !isDynamic(t)) return t.of.reduce((n, x) => n + headSize(x), 0);
  return WORD;
}

function readWord(data: Uint8Array, at: number): bigint {
  if (at < 0 || at + WORD > data.length) throw new AbiDecodeError(`calldata too short: word at ${at} of ${data.length} bytes`);
  let v = 0n;
  for (let i = at; i < at + WORD; i++) v = (v << 8n) | BigInt(data[i] as number);
  return v;
}

function readSize(data: Uint8Array, at: number, what: string): number {
  const v = readWord(data, at);
  if (v > BigInt(data.length)) throw new AbiDecodeError(`${what} ${v} past the end of the calldata`);
  return Number(v);
}

function decodeAt(t: AbiType, data: Uint8Array, base: number, head: number): AbiValue {
  if (isDynamic(t)) {
    const offset = readSize(data, head, "offset");
    return decodeTail(t, data, base + offset);
  }
  return decodeStatic(t, data, head);
}

function decodeStatic(t: AbiType, data: Uint8Array, at: number): AbiValue {
  switch (t.kind) {
    case "uint": {
      const v = readWord(data, at);
      if (v >> BigInt(t.bits) !== 0n) throw new AbiDecodeError(`uint${t.bits} out of range`);
      return v;
    }
    case "address": {
      const v = readWord(data, at);
      if (v >> 160n !== 0n) throw new AbiDecodeError("address with dirty high bytes");
      return data.slice(at + 12, at + WORD);
    }
    case "bool": {
      const v = readWord(data, at);
      if (v > 1n) throw new AbiDecodeError("bool that is neither 0 nor 1");
      return v === 1n;
    }
    case "tuple":
      return decodeTuple(t.of, data, at);
    default:
      throw new AbiDecodeError(`${t.kind} is dynamic`);
  }
}

function decodeTail(t: AbiType, data: Uint8Array, at: number): AbiValue {
  switch (t.kind) {
    case "bytes":
    case "string": {
      const len = readSize(data, at, "length");
      const start = at + WORD;
      if (start + len > data.length) throw new AbiDecodeError(`${t.kind} of ${len} bytes past the end of the calldata`);
      const raw = data.slice(start, start + len);
      if (t.kind === "bytes") return raw;
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(raw);
      } catch {
        throw new AbiDecodeError("string is not valid UTF-8");
      }
    }
    case "array": {
      const n = readSize(data, at, "array length");
      if (n > MAX_ITEMS) throw new AbiDecodeError(`array of ${n} items (at most ${MAX_ITEMS})`);
      return decodeTuple(Array.from({ length: n }, () => t.of), data, at + WORD);
    }
    case "tuple":
      return decodeTuple(t.of, data, at);
    default:
      return decodeStatic(t, data, at);
  }
}

function decodeTuple(types: readonly AbiType[], data: Uint8Array, base: number): AbiValue[] {
  const out: AbiValue[] = [];
  let head = base;
  for (const t of types) {
    out.push(decodeAt(t, data, base, head));
    head += headSize(t);
  }
  return out;
}

/**
 * Decode function arguments (calldata without the 4-byte selector).
 * @throws {AbiDecodeError} on any malformed or non-canonical encoding.
 */
export function decodeAbiParameters(types: readonly AbiType[], data: Uint8Array): AbiValue[] {
  return decodeTuple(types, data, 0);
}

function word(v: bigint): Uint8Array {
  const out = new Uint8Array(WORD);
  for (let i = WORD - 1; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}


function encodeOne(t: AbiType, v: AbiValue): Uint8Array {
  switch (t.kind) {
    case "uint":
      if (typeof v !== "bigint" || v < 0n || v >> BigInt(t.bits) !== 0n) throw new RangeError(`not a uint${t.bits}: ${String(v)}`);
      return word(v);
    case "address":
      if (!(v instanceof Uint8Array) || v.length !== 20) throw new TypeError("address must be 20 bytes");
      return concatBytes(new Uint8Array(12), v);
    case "bool":
      if (typeof v !== "boolean") throw new TypeError("bool expected");
      return word(v ? 1n : 0n);
    case "bytes":
    case "string": {
      const raw = t.kind === "string" ? new TextEncoder().encode(v as string) : (v as Uint8Array);
      if (!(raw instanceof Uint8Array)) throw new TypeError(`${t.kind} expected`);
      const padded = new Uint8Array(Math.ceil(raw.length / WORD) * WORD);
      padded.set(raw);
      return concatBytes(word(BigInt(raw.length)), padded);
    }
    case "array": {
      if (!Array.isArray(v)) throw new TypeError("array expected");
      return concatBytes(word(BigInt(v.length)), encodeAbiParameters(v.map(() => t.of), v));
    }
    case "tuple":
      if (!Array.isArray(v)) throw new TypeError("tuple expected");
      return encodeAbiParameters(t.of, v);
  }
}

/**
 * Encode values as ABI parameters (return data, events, revert reasons).
 * @throws {TypeError|RangeError} when a value does not fit its type.
 */
export function encodeAbiParameters(types: readonly AbiType[], values: readonly AbiValue[]): Uint8Array {
  if (types.length !== values.length) throw new RangeError(`${types.length} types, ${values.length} values`);
  const heads: Uint8Array[] = [];
  const tails: Uint8Array[] = [];
  let tailAt = types.reduce((n, t) => n + headSize(t), 0);
  types.forEach((t, i) => {
    const enc = encodeOne(t, values[i] as AbiValue);
    if (isDynamic(t)) {
      heads.push(word(BigInt(tailAt)));
      tails.push(enc);
      tailAt += enc.length;
    } else heads.push(enc);
  });
  return concatBytes(...heads, ...tails);
}
