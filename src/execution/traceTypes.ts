/**
 * geth's tracing options (debug_traceTransaction / traceCall / traceBlock) as execution takes them,
 * already parsed, and the typed errors of a trace (STYLE §9).
 * @module
 */
import { NodeError } from "../util/errors.ts";

/** The default struct logger's options (geth's `logger.Config`). */
export interface StructLoggerConfig {
  disableStack: boolean;
  disableStorage: boolean;
  enableMemory: boolean;
  enableReturnData: boolean;
  /** Most struct logs kept (0 = no limit); later steps are left out, as geth does. */
  limit: number;
}

/** The `callTracer`'s `tracerConfig`. */
export interface CallTracerConfig {
  /** Only the top-level call, no sub-calls. */
  onlyTopCall: boolean;
  /** Each frame lists the logs it emitted (with their position among its sub-calls). */
  withLog: boolean;
}

/** The `prestateTracer`'s `tracerConfig`. */
export interface PrestateTracerConfig {
  /** Return `{ pre, post }`: what the transaction changed, before and after. */
  diffMode: boolean;
}

/** Which tracer runs, with its options and time budget. */
export type TraceConfig =
  | { tracer: "structLogger"; logger: StructLoggerConfig; timeoutMs: number }
  | { tracer: "callTracer"; callTracer: CallTracerConfig; timeoutMs: number }
  | { tracer: "prestateTracer"; prestate: PrestateTracerConfig; timeoutMs: number };

/** The tracers this node has, by the name geth's `tracer` option gives (the struct logger is the default, unnamed). */
export const SUPPORTED_TRACERS: readonly string[] = ["callTracer", "prestateTracer"];

/** Default time budget of one trace (geth's 5 s). */
export const DEFAULT_TRACE_TIMEOUT_MS = 5000;

/** Hard cap on the JSON a struct logger may build for one transaction, so a trace cannot exhaust memory. */
export const MAX_TRACE_BYTES = 100 * 1024 * 1024;

/** Codes of {@link TraceError}. */
export const TraceErrorCode = {
  /** The trace ran past its time budget. */
  TIMEOUT: "TRACE_ERROR_TIMEOUT",
  /** The struct logs would pass {@link MAX_TRACE_BYTES}. */
  TOO_LARGE: "TRACE_ERROR_TOO_LARGE",
  /** A block or transaction that cannot be traced here (genesis, unknown block, missing parent). */
  NOT_TRACEABLE: "TRACE_ERROR_NOT_TRACEABLE",
} as const;

/** Metadata of a {@link TraceError}. */
export type TraceErrorType =
  | { code: typeof TraceErrorCode.TIMEOUT; timeoutMs: number }
  | { code: typeof TraceErrorCode.TOO_LARGE; maxBytes: number }
  | { code: typeof TraceErrorCode.NOT_TRACEABLE; reason: string };

/** A trace that could not produce a result; its message is geth's where geth has one. */
export class TraceError extends NodeError<TraceErrorType> {}

/** One traced transaction of a block (geth's `txTraceResult`). */
export interface TxTrace {
  txHash: Uint8Array;
  result: TraceResult;
}

/** One step of the struct logger, in geth's JSON form (`StructLogRes`). */
export interface StructLogEntry {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  /** 1 for the transaction's own frame, as geth counts. */
  depth: number;
  error?: string;
  /** Bottom first, `0x` + minimal hex (geth's `uint256.Hex`). */
  stack?: string[];
  /** `0x` hex of the frame's last return data (enableReturnData, when not empty). */
  returnData?: string;
  /** 32-byte words as 64 hex digits without `0x`. */
  memory?: string[];
  /** On SLOAD/SSTORE: the slots of this contract touched so far, 64 hex digits without `0x` each. */
  storage?: Record<string, string>;
  refund?: number;
}

/** The struct logger's result (geth's `ExecutionResult`). */
export interface StructLoggerResult {
  /** The transaction's gas used (the receipt's). */
  gas: bigint;
  failed: boolean;
  /** Hex without `0x` of the return data (of the revert data on a revert; empty on other failures). */
  returnValue: string;
  structLogs: StructLogEntry[];
}

/** A log of a call frame (callTracer with `withLog`). */
export interface CallFrameLog {
  address: Uint8Array;
  topics: Uint8Array[];
  data: Uint8Array;
  /** Sub-calls of the frame made before the log. */
  position: number;
}

/** One frame of the callTracer; the RPC layer prints it as geth's JSON. */
export interface CallFrame {
  /** CALL, STATICCALL, DELEGATECALL, CALLCODE, CREATE, CREATE2 or SELFDESTRUCT. */
  type: string;
  from: Uint8Array;
  /** Absent for a creation that failed. */
  to?: Uint8Array;
  /** Absent for STATICCALL (geth prints none). */
  value?: bigint;
  gas: bigint;
  gasUsed: bigint;
  input: Uint8Array;
  output?: Uint8Array;
  /** geth's error text ("execution reverted", "out of gas", …). */
  error?: string;
  calls: CallFrame[];
  logs?: CallFrameLog[];
}

/** An account as the prestateTracer shows it; absent fields are left out of geth's JSON. */
export interface PrestateAccount {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  /** 32-byte slot → 32-byte value. */
  storage: [Uint8Array, Uint8Array][];
}

/** The prestateTracer's result: the touched accounts before the transaction, or (diffMode) what changed. */
export type PrestateResult =
  | { diffMode: false; pre: [Uint8Array, PrestateAccount][] }
  | { diffMode: true; pre: [Uint8Array, PrestateAccount][]; post: [Uint8Array, PrestateAccount][] };

/** What a tracer produced for one transaction or call. */
export type TraceResult =
  | { tracer: "structLogger"; result: StructLoggerResult }
  | { tracer: "callTracer"; result: CallFrame }
  | { tracer: "prestateTracer"; result: PrestateResult };
