/**
 * Validation of JSON-RPC parameters. Each parser takes an untrusted JSON value and returns typed data
 * or throws {@link ParamError}; `arg()` turns that into -32602 "invalid argument N: …".
 * @module
 */
import { bech32ToAddress } from "../crypto/bech32.ts";
import { invalidArgument, RpcErrorCode, rpcError, type RpcError } from "./errors.ts";
import { hexToBytesUnchecked } from "./hex.ts";

/** A parameter that does not have the expected form. */
export class ParamError extends TypeError {}

/** Block tags; on this chain every block is final, so all but `earliest` name the head. */
export type BlockTag = "latest" | "earliest" | "pending" | "safe" | "finalized";

/** A block named by tag, number, or (EIP-1898) hash. */
export type BlockSpec =
  | { tag: BlockTag }
  | { number: bigint }
  | { hash: Uint8Array; requireCanonical: boolean };

const TAGS: ReadonlySet<string> = new Set(["latest", "earliest", "pending", "safe", "finalized"]);
const QUANTITY = /^0x[0-9a-fA-F]{1,64}$/;
const DATA = /^0x(?:[0-9a-fA-F]{2})*$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/**
 * Parse argument `index` of `params` with `parse`, mapping a {@link ParamError} to -32602.
 * @throws {RpcError} -32602 when the argument is missing or malformed.
 */
export function arg<T>(params: readonly unknown[], index: number, parse: (v: unknown) => T): T {
  try {
    return parse(params[index]);
  } catch (e) {
    if (e instanceof ParamError) throw invalidArgument(index, e.message);
    throw e;
  }
}

/** Like {@link arg} but `undefined`/`null` give `fallback`. */
export function optArg<T, F>(params: readonly unknown[], index: number, parse: (v: unknown) => T, fallback: F): T | F {
  const v = params[index];
  return v === undefined || v === null ? fallback : arg(params, index, parse);
}

/**
 * Parse a nested field, prefixing its errors with the field's name.
 * @throws {ParamError} from `parse`, renamed.
 */
export function field<T>(name: string, v: unknown, parse: (v: unknown) => T): T {
  try {
    return parse(v);
  } catch (e) {
    if (e instanceof ParamError) throw new ParamError(`${name}: ${e.message}`);
    throw e;
  }
}

function requireString(v: unknown, what: string): string {
  if (v === undefined) throw new ParamError(`missing value for required argument (${what})`);
  if (typeof v !== "string") throw new ParamError(`expected ${what} string, got ${describe(v)}`);
  return v;
}

/**
 * A quantity: `0x` and 1..64 hex digits (a uint256).
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseQuantity(v: unknown): bigint {
  const s = requireString(v, "hex quantity");
  if (!s.startsWith("0x")) throw new ParamError("hex string without 0x prefix");
  if (!QUANTITY.test(s)) throw new ParamError(s.length > 66 ? "hex number > 256 bits" : "invalid hex quantity");
  return BigInt(s);
}

/**
 * A quantity that must fit in a JS safe integer (indices, counts).
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseSmallQuantity(v: unknown): number {
  const n = parseQuantity(v);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ParamError("number too large");
  return Number(n);
}

/**
 * Unformatted data: `0x` and an even number of hex digits.
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseData(v: unknown): Uint8Array {
  const s = requireString(v, "hex data");
  if (!s.startsWith("0x")) throw new ParamError("hex string without 0x prefix");
  if (!DATA.test(s)) throw new ParamError(s.length % 2 === 1 ? "hex string of odd length" : "invalid hex data");
  return hexToBytesUnchecked(s);
}

function fixed(v: unknown, length: number, what: string): Uint8Array {
  const b = parseData(v);
  if (b.length !== length) throw new ParamError(`${what} must be ${length} bytes, got ${b.length}`);
  return b;
}

/**
 * A 32-byte hash.
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseHash(v: unknown): Uint8Array {
  return fixed(v, 32, "hash");
}

/**
 * A 20-byte address, `0x…` (any case) or Harmony's bech32 `one1…`.
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseAddress(v: unknown): Uint8Array {
  const s = requireString(v, "address");
  if (s.startsWith("0x")) {
    if (!ADDRESS.test(s)) throw new ParamError("address must be 0x followed by 40 hex digits");
    return hexToBytesUnchecked(s);
  }
  if (s.toLowerCase().startsWith("one1")) {
    try {
      return bech32ToAddress(s);
    } catch (e) {
      throw new ParamError(`invalid one1 address: ${(e as Error).message}`);
    }
  }
  throw new ParamError("address must be 0x-prefixed hex or one1 bech32");
}

/**
 * A storage slot: hex of at most 32 bytes (geth also accepts `0x0`), left-padded to 32 bytes.
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseSlot(v: unknown): Uint8Array {
  const s = requireString(v, "storage slot");
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(s)) throw new ParamError("storage slot must be 0x and at most 64 hex digits");
  const h = s.slice(2).padStart(64, "0");
  return hexToBytesUnchecked(h);
}

/**
 * A boolean.
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseBool(v: unknown): boolean {
  if (typeof v !== "boolean") throw new ParamError(`expected boolean, got ${describe(v)}`);
  return v;
}

/**
 * A block number or tag (eth_getBlockByNumber, filters).
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseBlockNumberOrTag(v: unknown): BlockSpec {
  const s = requireString(v, "block number or tag");
  if (TAGS.has(s)) return { tag: s as BlockTag };
  if (!s.startsWith("0x")) throw new ParamError(`invalid block number or tag "${s.slice(0, 20)}"`);
  return { number: parseQuantity(s) };
}

/**
 * A block number, tag, or EIP-1898 object `{ blockNumber }` / `{ blockHash, requireCanonical? }`.
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseBlockSpec(v: unknown): BlockSpec {
  if (typeof v === "string" || v === undefined) return parseBlockNumberOrTag(v);
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new ParamError(`expected block number, tag or object, got ${describe(v)}`);
  }
  const o = v as Record<string, unknown>;
  if (o.blockHash !== undefined && o.blockNumber !== undefined) {
    throw new ParamError("cannot specify both blockHash and blockNumber, choose one or the other");
  }
  if (o.blockHash !== undefined) {
    const hash = field("blockHash", o.blockHash, parseHash);
    const rc = o.requireCanonical === undefined ? false : field("requireCanonical", o.requireCanonical, parseBool);
    return { hash, requireCanonical: rc };
  }
  if (o.blockNumber !== undefined) return field("blockNumber", o.blockNumber, parseBlockNumberOrTag);
  throw new ParamError("block object needs blockHash or blockNumber");
}

/**
 * Check the argument count (geth's wording).
 * @throws {RpcError} -32602 when there are more than `max`.
 */
export function assertMaxArgs(params: readonly unknown[], max: number): void {
  if (params.length > max) throw rpcError(RpcErrorCode.INVALID_PARAMS, `too many arguments, want at most ${max}`);
}
