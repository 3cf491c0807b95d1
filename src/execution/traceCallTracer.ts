/**
 * geth's `callTracer`: the tree of call frames of one message — type, from, to, value, gas given and
 * used, input, output, error — with `onlyTopCall` and `withLog`. The top frame is the message itself
 * (gas = its gas limit, gasUsed = the receipt's, as geth reports them); inner frames come from the
 * EVM's message events, typed by the opcode that opened them.
 * @module
 */
import type { EVMResult, InterpreterStep, Message as EVMMessage } from "@ethereumjs/evm";
import { CALL_OPS, CREATE_OPS, type MessageTracer, type TracerScope, gethError } from "./_tracer.ts";
import type { CallFrame, CallFrameLog, CallTracerConfig } from "./traceTypes.ts";

function word(v: bigint): Uint8Array {
  const b = new Uint8Array(32);
  for (let i = 31, x = v; i >= 0 && x > 0n; i--, x >>= 8n) b[i] = Number(x & 0xffn);
  return b;
}

function addressOf(v: bigint): Uint8Array {
  return word(v).slice(12);
}

// Memory bytes [offset, offset + size), zero past what the step's memory snapshot holds.
function readMemory(mem: Uint8Array, offset: bigint, size: bigint): Uint8Array {
  const out = new Uint8Array(Number(size));
  if (offset < BigInt(mem.length)) out.set(mem.subarray(Number(offset), Math.min(mem.length, Number(offset + size))));
  return out;
}

// geth's processOutput: output on success, error text and (on a revert) the revert data otherwise;
// a failed creation shows no `to`.
function settle(f: CallFrame, output: Uint8Array, error: string | undefined, opName?: string): void {
  if (error === undefined) {
    f.output = output;
    return;
  }
  f.error = gethError(error, opName);
  if (f.type === "CREATE" || f.type === "CREATE2") delete f.to;
  if (error === "revert" && output.length > 0) f.output = output;
}

// geth drops the logs of a failed frame and of everything under it.
function clearFailedLogs(f: CallFrame, parentFailed: boolean): void {
  const failed = parentFailed || f.error !== undefined;
  if (failed && f.logs !== undefined) f.logs = [];
  for (const c of f.calls) clearFailedLogs(c, failed);
}

/** A callTracer for one message. */
export function createCallTracer(cfg: CallTracerConfig, scope: TracerScope): MessageTracer {
  const top: CallFrame = { type: "CALL", from: new Uint8Array(20), gas: 0n, gasUsed: 0n, input: new Uint8Array(0), calls: [], ...(cfg.withLog ? { logs: [] } : {}) };
  const stack: CallFrame[] = [];
  // The opcode of the last step: the one that opens the next frame.
  let lastOp = "";
  let lastFailedOp: string | undefined;

  const current = () => stack[stack.length - 1];
  return {
    onStep(e: InterpreterStep) {
      lastOp = e.opcode.name;
      lastFailedOp = lastOp;
      if (cfg.onlyTopCall && e.depth > 0) return;
      const f = current();
      if (f === undefined) return;
      const n = e.stack.length;
      if (cfg.withLog && lastOp.startsWith("LOG") && n >= 2) {
        const topics = Number(lastOp.slice(3));
        const log: CallFrameLog = {
          address: e.address.bytes,
          topics: Array.from({ length: topics }, (_, i) => word(e.stack[n - 3 - i] ?? 0n)),
          data: readMemory(e.memory, e.stack[n - 1] as bigint, e.stack[n - 2] as bigint),
          position: f.calls.length,
        };
        f.logs?.push(log);
      } else if (lastOp === "SELFDESTRUCT" && n >= 1 && !cfg.onlyTopCall) {
        const balance = scope.world().getAccount(e.address.bytes)?.balance ?? 0n;
        f.calls.push({ type: "SELFDESTRUCT", from: e.address.bytes, to: addressOf(e.stack[n - 1] as bigint), value: balance, gas: 0n, gasUsed: 0n, input: new Uint8Array(0), calls: [] });
      }
    },
    onEnter(m: EVMMessage) {
      if (m.depth === 0) {
        stack.push(top);
        return;
      }
      const parent = current();
      const type = CALL_OPS.has(lastOp) || CREATE_OPS.has(lastOp) ? lastOp : m.to === undefined ? "CREATE" : "CALL";
      const byCode = type === "DELEGATECALL" || type === "CALLCODE";
      const frame: CallFrame = {
        type,
        // DELEGATECALL keeps the parent's caller in the message; geth shows the contract that delegates.
        from: type === "DELEGATECALL" ? (m.to as NonNullable<typeof m.to>).bytes : m.caller.bytes,
        ...(m.to !== undefined ? { to: byCode ? m.codeAddress.bytes : m.to.bytes } : {}),
        ...(type === "STATICCALL" ? {} : { value: m.value }),
        gas: m.gasLimit,
        gasUsed: 0n,
        input: m.data,
        calls: [],
        ...(cfg.withLog ? { logs: [] } : {}),
      };
      stack.push(frame);
      if (!cfg.onlyTopCall) parent?.calls.push(frame);
    },
    onExit(r: EVMResult) {
      const f = stack.pop();
      if (f === undefined || f === top) return;
      const exec = r.execResult;
      f.gasUsed = exec.executionGasUsed;
      if (r.createdAddress !== undefined) f.to = r.createdAddress.bytes;
      settle(f, exec.returnValue, exec.exceptionError?.error, lastFailedOp);
    },
    result(m, r) {
      top.type = m.to === undefined ? "CREATE" : "CALL";
      top.from = m.from;
      const to = m.to ?? r.createdAddress;
      if (to !== undefined) top.to = to;
      top.value = m.value;
      top.gas = m.gasLimit;
      top.gasUsed = r.gasUsed;
      top.input = m.data;
      settle(top, r.returnData, r.error, lastFailedOp);
      if (cfg.withLog) clearFailedLogs(top, false);
      return { tracer: "callTracer", result: top };
    },
  };
}
