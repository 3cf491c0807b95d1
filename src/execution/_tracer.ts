/**
 * What the tracers of this folder share: the hooks a trace run calls around one message, and geth's
 * wording of EVM halts. A tracer listens to the EVM's `step`, `beforeMessage` and `afterMessage`
 * events only while its message runs (the EVM emits `step` only when someone listens, so the
 * transactions before a traced one run at full speed).
 */
import type { EVM, EVMResult, InterpreterStep, Message as EVMMessage } from "@ethereumjs/evm";
import type { WorldState } from "../state/index.ts";
import type { Message, MessageResult } from "./message.ts";
import type { TraceResult } from "./traceTypes.ts";

/** One tracer over one message. */
export interface MessageTracer {
  /** Called just before the message runs, on the state it starts from. */
  begin?(m: Message): void;
  onStep?(e: InterpreterStep): void;
  onEnter?(m: EVMMessage): void;
  onExit?(r: EVMResult): void;
  /** The result once the message has run (`r` is what block execution got). */
  result(m: Message, r: MessageResult): TraceResult;
}

/** Listen to `evm` for `tracer` until the returned function is called. */
export function attachTracer(evm: EVM, tracer: MessageTracer): () => void {
  const step = tracer.onStep?.bind(tracer);
  const enter = tracer.onEnter?.bind(tracer);
  const exit = tracer.onExit?.bind(tracer);
  if (step) evm.events.on("step", step);
  if (enter) evm.events.on("beforeMessage", enter);
  if (exit) evm.events.on("afterMessage", exit);
  return () => {
    if (step) evm.events.off("step", step);
    if (enter) evm.events.off("beforeMessage", enter);
    if (exit) evm.events.off("afterMessage", exit);
  };
}

/** What a tracer reads besides the events: the state as the message runs. */
export interface TracerScope {
  world: () => WorldState;
}

// @ethereumjs/evm halt messages → geth's (core/vm/errors.go), which tools match on.
const GETH_ERRORS: Record<string, string> = {
  revert: "execution reverted",
  "out of gas": "out of gas",
  "code store out of gas": "contract creation code storage out of gas",
  "code size to deposit exceeds maximum code size": "max code size exceeded",
  "invalid JUMP": "invalid jump destination",
  "static state change": "write protection",
  "create collision": "contract address collision",
  "insufficient balance": "insufficient balance for transfer",
  "initcode exceeds max initcode size": "max initcode size exceeded",
  "invalid bytecode deployed": "invalid code: must not begin with 0xef",
  "value out of range": "return data out of bounds",
  "stack overflow": "stack limit reached 1024 (1023)",
};

/** geth's text for an EVM halt (`opName` names the failing opcode for "invalid opcode"). */
export function gethError(error: string, opName?: string): string {
  if (error === "invalid opcode") return `invalid opcode: ${opName ?? "INVALID"}`;
  return GETH_ERRORS[error] ?? error;
}

/** The opcodes that open a call frame, by the name the EVM's `step` event gives. */
export const CALL_OPS: ReadonlySet<string> = new Set(["CALL", "CALLCODE", "DELEGATECALL", "STATICCALL"]);
/** The opcodes that open a creation frame. */
export const CREATE_OPS: ReadonlySet<string> = new Set(["CREATE", "CREATE2"]);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Bytes as hex without `0x` (the form geth's tracers key maps by); fast, called per opcode. */
export function plainHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += HEX[x];
  return s;
}

/** A stack value as its 32-byte big-endian word. */
export function word(v: bigint): Uint8Array {
  const b = new Uint8Array(32);
  for (let i = 31, x = v; i >= 0 && x > 0n; i--, x >>= 8n) b[i] = Number(x & 0xffn);
  return b;
}
