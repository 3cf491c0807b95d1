/** Key-range arithmetic for `iterate`: keys sort in unsigned byte order (sqlite BLOB memcmp order). */
import type { IterateOptions } from "./types.ts";

/** Compare two keys in unsigned byte order, shorter-is-smaller on a common prefix (as sqlite does). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * The smallest key greater than every key that starts with `prefix`: drop trailing 0xff bytes and
 * increment the last remaining byte. `undefined` when no such key exists (empty or all-0xff prefix).
 */
export function prefixUpperBound(prefix: Uint8Array): Uint8Array | undefined {
  let i = prefix.length - 1;
  while (i >= 0 && prefix[i] === 0xff) i--;
  if (i < 0) return undefined;
  const out = prefix.slice(0, i + 1);
  out[i] = (out[i] as number) + 1;
  return out;
}

/** The immediate successor of `key` in byte order (`key ‖ 0x00`): `k >= successor(x)` ⇔ `k > x`. */
export function successor(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key);
  return out;
}

/** A resolved half-open range `[lower, upper)`; a missing bound is open. */
export interface KeyRange {
  lower: Uint8Array | undefined;
  upper: Uint8Array | undefined;
}

/**
 * Turn `IterateOptions` into one `[lower, upper)` range; a prefix given together with gte/lt
 * intersects with them.
 * @throws {TypeError} when a bound is not a Uint8Array.
 */
export function resolveRange(opts: IterateOptions): KeyRange {
  let lower = opts.gte === undefined ? undefined : checkKey(opts.gte, "gte");
  let upper = opts.lt === undefined ? undefined : checkKey(opts.lt, "lt");
  if (opts.prefix !== undefined) {
    const p = checkKey(opts.prefix, "prefix");
    if (lower === undefined || compareBytes(p, lower) > 0) lower = p;
    const pu = prefixUpperBound(p);
    if (pu !== undefined && (upper === undefined || compareBytes(pu, upper) < 0)) upper = pu;
  }
  return { lower, upper };
}

/**
 * Assert that `v` is a key/value byte array.
 * @throws {TypeError} when it is not a Uint8Array.
 */
export function checkKey(v: unknown, what: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`store: ${what} must be a Uint8Array, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}
