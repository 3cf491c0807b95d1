/**
 * The tracing options of geth's debug_trace* methods (`TraceConfig` / `TraceCallConfig`): `tracer`,
 * `tracerConfig` (callTracer: onlyTopCall, withLog; prestateTracer: diffMode), `timeout` (Go duration, "5s"), the struct logger's `disableStack`,
 * `disableStorage`, `enableMemory`, `enableReturnData`, `limit`, and for traceCall `stateOverrides`.
 * Unknown keys are ignored, as geth's JSON decoding does; a known key of the wrong type is an error.
 * @module
 */
import { DEFAULT_TRACE_TIMEOUT_MS, SUPPORTED_TRACERS, type TraceConfig } from "../../execution/index.ts";
import type { RpcAccountOverride } from "../backend.ts";
import { parseStateOverrides } from "../callParams.ts";
import { ParamError, field, parseBool } from "../params.ts";

/** Longest trace timeout accepted: a client cannot hold a worker longer than this. */
export const MAX_TRACE_TIMEOUT_MS = 10 * 60 * 1000;

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PART = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * A Go duration ("5s", "1m30s", "300ms") in ms.
 * @throws {ParamError} when it is not one, or not in (0, {@link MAX_TRACE_TIMEOUT_MS}].
 */
export function parseGoDuration(v: unknown): number {
  if (typeof v !== "string") throw new ParamError(`expected a duration string such as "5s", got ${v === null ? "null" : typeof v}`);
  let ms = 0;
  DURATION_PART.lastIndex = 0;
  let at = 0;
  while (at < v.length) {
    DURATION_PART.lastIndex = at;
    const m = DURATION_PART.exec(v);
    if (m === null || m[1] === "" || m[1] === ".") throw new ParamError(`time: invalid duration "${v.slice(0, 40)}"`);
    ms += Number(m[1]) * (UNITS[m[2] as string] as number);
    at = DURATION_PART.lastIndex;
  }
  if (v.length === 0) throw new ParamError(`time: invalid duration ""`);
  if (!(ms > 0) || ms > MAX_TRACE_TIMEOUT_MS) throw new ParamError(`timeout must be above 0 and at most ${MAX_TRACE_TIMEOUT_MS / 60_000}m, got "${v.slice(0, 40)}"`);
  return Math.max(1, Math.round(ms));
}

function parseLimit(v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new ParamError("expected a non-negative integer");
  return v;
}

function objectOf(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ParamError(`expected ${what} object, got ${v === null ? "null" : Array.isArray(v) ? "array" : typeof v}`);
  return v as Record<string, unknown>;
}

const optBool = (o: Record<string, unknown>, k: string) => (o[k] === undefined || o[k] === null ? false : field(k, o[k], parseBool));

function unsupported(name: string): ParamError {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return new ParamError(`tracer "${shown}" is not supported: supported tracers are ${SUPPORTED_TRACERS.join(", ")} and the default struct logger (no tracer); JavaScript tracers are not run`);
}

/** What debug_traceCall's config adds to the tracer's. */
export interface ParsedTraceOptions {
  config: TraceConfig;
  stateOverrides: RpcAccountOverride[];
  /** `blockOverrides` was given (not supported here). */
  blockOverrides: boolean;
}

/**
 * Parse a trace config (absent or null = the struct logger with geth's defaults).
 * @throws {ParamError} for a malformed option or an unsupported tracer.
 */
export function parseTraceOptions(v: unknown): ParsedTraceOptions {
  const o = v === undefined || v === null ? {} : objectOf(v, "trace config");
  const timeoutMs = o.timeout === undefined || o.timeout === null ? DEFAULT_TRACE_TIMEOUT_MS : field("timeout", o.timeout, parseGoDuration);
  const stateOverrides = o.stateOverrides === undefined || o.stateOverrides === null ? [] : field("stateOverrides", o.stateOverrides, parseStateOverrides);
  const blockOverrides = o.blockOverrides !== undefined && o.blockOverrides !== null;
  const tracer = o.tracer === undefined || o.tracer === null ? "" : o.tracer;
  if (typeof tracer !== "string") throw new ParamError(`tracer: expected string, got ${typeof tracer}`);
  if (tracer === "") {
    const logger = {
      disableStack: optBool(o, "disableStack"),
      disableStorage: optBool(o, "disableStorage"),
      enableMemory: optBool(o, "enableMemory"),
      enableReturnData: optBool(o, "enableReturnData"),
      limit: o.limit === undefined || o.limit === null ? 0 : field("limit", o.limit, parseLimit),
    };
    return { config: { tracer: "structLogger", logger, timeoutMs }, stateOverrides, blockOverrides };
  }
  if (tracer !== "callTracer" && tracer !== "prestateTracer") throw unsupported(tracer);
  const tc = o.tracerConfig === undefined || o.tracerConfig === null ? {} : field("tracerConfig", o.tracerConfig, (x) => objectOf(x, "tracerConfig"));
  if (tracer === "prestateTracer") {
    return { config: { tracer, prestate: { diffMode: field("tracerConfig", tc, (x) => optBool(x as Record<string, unknown>, "diffMode")) }, timeoutMs }, stateOverrides, blockOverrides };
  }
  const callTracer = { onlyTopCall: field("tracerConfig", tc, (x) => optBool(x as Record<string, unknown>, "onlyTopCall")), withLog: field("tracerConfig", tc, (x) => optBool(x as Record<string, unknown>, "withLog")) };
  return { config: { tracer: "callTracer", callTracer, timeoutMs }, stateOverrides, blockOverrides };
}
