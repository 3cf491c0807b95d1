/**
 * Parameters as Harmony's namespaces accept them: a block number may also be a decimal JSON number
 * or decimal string (Harmony's `BlockNumber`), a transaction index hex or decimal, and hmyv2_ block
 * options an object (`BlockArgs`).
 * @module
 */
import { type BlockSpec, type BlockTag, ParamError, parseBlockNumberOrTag } from "../../params.ts";

const DECIMAL = /^[0-9]{1,20}$/;
const HEX = /^0x[0-9a-fA-F]{1,16}$/;
const MAX_U64 = 2n ** 64n - 1n;

function integer(v: unknown, what: string): bigint | undefined {
  let n: bigint | undefined;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v) || v < 0) throw new ParamError(`${what} must be a non-negative integer, got ${v}`);
    n = BigInt(v);
  } else if (typeof v === "string" && DECIMAL.test(v)) n = BigInt(v);
  if (n !== undefined && n > MAX_U64) throw new ParamError(`${what} does not fit in 64 bits`);
  return n;
}

/**
 * A block number: a tag, a `0x` quantity, a decimal JSON number or a decimal string.
 * @throws {ParamError} when it is none of these.
 */
export function parseHmyBlockNumber(v: unknown): BlockSpec {
  const n = integer(v, "block number");
  if (n !== undefined) return { number: n };
  return parseBlockNumberOrTag(v);
}

/** True for a tag that names the pool's view (`pending`). */
export function isPendingTag(spec: BlockSpec): boolean {
  return "tag" in spec && (spec.tag as BlockTag) === "pending";
}

/**
 * A transaction index: `0x` hex, a decimal JSON number or a decimal string.
 * @throws {ParamError} when it is none of these.
 */
export function parseTxIndex(v: unknown): number {
  const n = typeof v === "string" && HEX.test(v) ? BigInt(v) : integer(v, "transaction index");
  if (n === undefined) throw new ParamError(`transaction index must be 0x hex or a decimal integer, got ${JSON.stringify(v) ?? "nothing"}`);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ParamError("transaction index too large");
  return Number(n);
}

/** Harmony's `BlockArgs`: which parts of a block to include. */
export interface BlockArgs {
  fullTx: boolean;
  /** Name the validators whose keys signed the block (`signers`, one1 addresses). */
  withSigners?: boolean;
}

const FLAGS = ["fullTx", "inclTx", "withSigners", "inclStaking"] as const;

/**
 * Harmony's `BlockArgs` object (`fullTx`, `inclTx`, `inclStaking`, `withSigners`; other keys ignored,
 * as Go's decoder does).
 * @throws {ParamError} when it is not an object or a flag is not a boolean.
 */
export function parseBlockArgs(v: unknown): BlockArgs {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ParamError(`expected block options object { fullTx, inclStaking, withSigners }, got ${v === null ? "null" : Array.isArray(v) ? "array" : typeof v}`);
  const o = v as Record<string, unknown>;
  for (const k of FLAGS) {
    if (o[k] !== undefined && typeof o[k] !== "boolean") throw new ParamError(`${k} must be a boolean`);
  }
  return { fullTx: o.fullTx === true, withSigners: o.withSigners === true };
}
