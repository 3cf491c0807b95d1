/** Parsers for CLI option values; each throws a UsageError that names the flag. */
import { UsageError } from "./usageError.ts";

/** An integer in [min, max]. @throws {UsageError} */
export function parseIntFlag(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer in ${min}..${max}, got "${v}"`);
  }
  return n;
}

/** A duration in seconds ("1", "0.5", "2s", "500ms") as milliseconds in [minMs, maxMs]. @throws {UsageError} */
export function parseDurationMs(flag: string, v: string, minMs: number, maxMs: number): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(v.trim());
  const ms = m ? Math.round(Number(m[1]) * (m[2] === "ms" ? 1 : 1000)) : Number.NaN;
  if (!Number.isFinite(ms) || ms < minMs || ms > maxMs) {
    throw new UsageError(`${flag} must be a duration between ${minMs / 1000}s and ${maxMs / 1000}s (e.g. 1, 0.5s, 500ms), got "${v}"`);
  }
  return ms;
}

/** A host name or IP literal for listening. @throws {UsageError} */
export function parseHost(v: string): string {
  if (!/^[A-Za-z0-9.\-:[\]]+$/.test(v)) throw new UsageError(`--host must be a host name or IP address, got "${v}"`);
  return v;
}

/**
 * A decimal with up to 18 fraction digits ("100", "0.5") scaled by 1e18: token amounts in wei, and
 * rates with 1e18 = 100%. @throws {UsageError}
 */
export function parseDecimal18(flag: string, v: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(v.trim());
  if (!m) throw new UsageError(`${flag} must be a decimal number with at most 18 fraction digits (e.g. 100 or 0.05), got "${v}"`);
  return BigInt(m[1] as string) * 10n ** 18n + BigInt((m[2] ?? "").padEnd(18, "0"));
}

/** `--rpc` as an http(s) URL. @throws {UsageError} */
export function parseRpcUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new UsageError(`--rpc must be an http(s) URL, got "${v}"`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`--rpc must be an http(s) URL, got "${v}"`);
  return u.href;
}
