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
