/**
 * geth's default tracer, the struct logger: one entry per executed opcode with the gas before it and
 * its cost, the call depth, the stack, and on request memory, return data and the storage slots the
 * contract has touched so far (on SLOAD/SSTORE only, as geth prints them). Entries are built in geth's
 * JSON form as they come, and their size is counted (over all the transactions of one trace) so that
 * a trace stops with a typed error before it can exhaust memory.
 * @module
 */
import type { EVMResult, InterpreterStep, Message as EVMMessage } from "@ethereumjs/evm";
import { CALL_OPS, type MessageTracer, type TracerScope, gethError } from "./_tracer.ts";
import { MAX_TRACE_BYTES, type StructLogEntry, type StructLoggerConfig, TraceError, TraceErrorCode } from "./traceTypes.ts";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += HEX[x];
  return s;
}

function word(v: bigint): string {
  return v.toString(16).padStart(64, "0");
}

function memoryWords(m: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i + 32 <= m.length; i += 32) out.push(hex(m.subarray(i, i + 32)));
  return out;
}

function slotBytes(v: bigint): Uint8Array {
  const b = new Uint8Array(32);
  for (let i = 31, x = v; i >= 0 && x > 0n; i--, x >>= 8n) b[i] = Number(x & 0xffn);
  return b;
}

function sortedCopy(m: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k) as string;
  return out;
}

/** Options of {@link createStructLogger} beyond geth's. */
export interface StructLoggerLimits {
  /** Refuse past this many bytes of JSON (default {@link MAX_TRACE_BYTES}). */
  maxBytes?: number;
  /** Bytes already used by the other transactions of the same trace (a block's traces share one cap). */
  budget?: { used: number };
}

/**
 * A struct logger for one message.
 * @throws {TraceError} TOO_LARGE from the EVM's step event (which aborts the run) once the logs pass the cap.
 */
export function createStructLogger(cfg: StructLoggerConfig, scope: TracerScope, limits: StructLoggerLimits = {}): MessageTracer {
  const maxBytes = limits.maxBytes ?? MAX_TRACE_BYTES;
  const logs: StructLogEntry[] = [];
  const storage = new Map<string, Map<string, string>>();
  // Per open frame: its depth and the return data of its last sub-call (geth's `rData`).
  const frames: { depth: number; returnData: Uint8Array }[] = [];
  const budget = limits.budget ?? { used: 0 };
  let pendingCall: { entry: StructLogEntry; stipend: boolean } | undefined;

  const touched = (e: InterpreterStep, op: string): Record<string, string> | undefined => {
    const n = e.stack.length;
    const addr = e.address.toString();
    let slots = storage.get(addr);
    if (slots === undefined) storage.set(addr, (slots = new Map()));
    if (op === "SLOAD" && n >= 1) {
      const key = e.stack[n - 1] as bigint;
      const value = scope.world().getStorage(e.address.bytes, slotBytes(key));
      slots.set(word(key), hex(value).padStart(64, "0"));
    } else if (op === "SSTORE" && n >= 2) {
      slots.set(word(e.stack[n - 1] as bigint), word(e.stack[n - 2] as bigint));
    } else return undefined;
    budget.used += slots.size * 136;
    return sortedCopy(slots);
  };

  return {
    onStep(e) {
      pendingCall = undefined;
      if (cfg.limit !== 0 && logs.length >= cfg.limit) return;
      const op = e.opcode.name;
      const entry: StructLogEntry = { pc: e.pc, op, gas: Number(e.gasLeft), gasCost: Number(e.opcode.dynamicFee), depth: e.depth + 1 };
      budget.used += 80 + op.length;
      if (!cfg.disableStack) {
        entry.stack = e.stack.map((v) => `0x${v.toString(16)}`);
        for (const s of entry.stack) budget.used += s.length + 3;
      }
      const rd = frames[frames.length - 1]?.returnData;
      if (cfg.enableReturnData && rd !== undefined && rd.length > 0) {
        entry.returnData = `0x${hex(rd)}`;
        budget.used += entry.returnData.length;
      }
      if (cfg.enableMemory) {
        entry.memory = memoryWords(e.memory);
        budget.used += entry.memory.length * 67;
      }
      if (!cfg.disableStorage && (op === "SLOAD" || op === "SSTORE")) {
        const s = touched(e, op);
        if (s !== undefined) entry.storage = s;
      }
      if (e.gasRefund > 0n) entry.refund = Number(e.gasRefund);
      if (budget.used > maxBytes) throw new TraceError({ code: TraceErrorCode.TOO_LARGE, maxBytes }, `trace exceeds ${maxBytes} bytes of struct logs; use the limit option, disableStack/disableStorage or the callTracer`);
      logs.push(entry);
      // geth counts the gas handed to the callee in the CALL's cost (without the value stipend).
      if (CALL_OPS.has(op)) pendingCall = { entry, stipend: (op === "CALL" || op === "CALLCODE") && (e.stack[e.stack.length - 3] ?? 0n) !== 0n };
    },
    onEnter(m: EVMMessage) {
      if (pendingCall !== undefined && m.depth > 0) pendingCall.entry.gasCost += Number(m.gasLimit) - (pendingCall.stipend ? 2300 : 0);
      pendingCall = undefined;
      frames.push({ depth: m.depth, returnData: new Uint8Array(0) });
    },
    onExit(r: EVMResult) {
      const frame = frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) parent.returnData = r.execResult.returnValue;
      const err = r.execResult.exceptionError?.error;
      const last = logs[logs.length - 1];
      // The opcode that halted the frame carries the error, as geth's OnOpcode(err) does; a REVERT does not.
      if (err !== undefined && err !== "revert" && frame !== undefined && last !== undefined && last.depth === frame.depth + 1 && last.error === undefined) {
        last.error = gethError(err, last.op);
      }
    },
    result(_m, r) {
      const reverted = r.error === "revert";
      return {
        tracer: "structLogger",
        result: { gas: r.gasUsed, failed: !r.success, returnValue: r.success || reverted ? hex(r.returnData) : "", structLogs: logs },
      };
    },
  };
}
