/**
 * geth's eth_createAccessList: run a call with a tracer that records the accounts and storage slots
 * it touches, then run it again with that list as its EIP-2930 access list, until a run touches
 * nothing new (the list only grows, so this ends). The sender, the recipient (or the created
 * contract) and the precompiles are left out as addresses, since every transaction has them warm
 * already; slots of any account, the recipient's included, are listed. `gasUsed` is the last run's,
 * with the list it returns (its intrinsic cost included). Nothing is committed. One time budget
 * covers every run.
 * @module
 */
import type { InterpreterStep } from "@ethereumjs/evm";
import { bigIntToBytes, generateAddress } from "@ethereumjs/util";
import type { CallPacer } from "./callPacer.ts";
import { CallError, CallErrorCode } from "./errors.ts";
import { DeadlineExceeded } from "./evmEnv.ts";
import { applyMessage } from "./message.ts";
import { type CallEnvironment, type CallParams, type SimulateOptions, prepareCall } from "./simulateCall.ts";
import { CALL_OPS, gethError, plainHex, word } from "./_tracer.ts";

/** One entry of an EIP-2930 access list. */
export interface AccessListEntry {
  /** 20 bytes. */
  address: Uint8Array;
  /** 32 bytes each. */
  storageKeys: Uint8Array[];
}

/** geth's `accessListResult`: the list, the gas the call used with it, and the EVM's error when it failed. */
export interface AccessListResult {
  accessList: AccessListEntry[];
  gasUsed: bigint;
  /** geth's text of the halt ("execution reverted", "out of gas", …) when the call failed. */
  error?: string;
}

/** A call to build an access list for: the state it runs on, its message, eth_call's options, the time budget. */
export interface AccessListInput {
  stateRoot: Uint8Array;
  /** `accessList` here seeds the result, as geth's does. */
  params: CallParams;
  opts: Omit<SimulateOptions, "pacer" | "timeoutMs">;
  /** `timeoutMs` bounds all runs together (the same field as a trace's, so a call worker queues it alike). */
  config: { timeoutMs: number };
}


const ADDRESS_OPS: ReadonlySet<string> = new Set(["EXTCODECOPY", "EXTCODEHASH", "EXTCODESIZE", "BALANCE", "SELFDESTRUCT"]);

type Slots = { address: Uint8Array; slots: Map<string, Uint8Array> };

/** The accounts and slots one run touched, in the order first touched (geth's AccessListTracer). */
class AccessListTracer {
  readonly #list = new Map<string, Slots>();
  readonly #excluded: ReadonlySet<string>;

  constructor(seed: readonly AccessListEntry[], excluded: ReadonlySet<string>) {
    this.#excluded = excluded;
    for (const e of seed) {
      if (!excluded.has(plainHex(e.address))) this.#addAddress(e.address);
      for (const k of e.storageKeys) this.#addSlot(e.address, k);
    }
  }

  #addAddress(address: Uint8Array): Slots {
    const key = plainHex(address);
    let s = this.#list.get(key);
    if (s === undefined) {
      s = { address: address.slice(), slots: new Map() };
      this.#list.set(key, s);
    }
    return s;
  }

  #addSlot(address: Uint8Array, slot: Uint8Array): void {
    const s = this.#addAddress(address);
    const k = plainHex(slot);
    if (!s.slots.has(k)) s.slots.set(k, slot.slice());
  }

  #addUnlessExcluded(address: Uint8Array): void {
    if (!this.#excluded.has(plainHex(address))) this.#addAddress(address);
  }

  onStep(e: InterpreterStep): void {
    const op = e.opcode.name;
    const n = e.stack.length;
    if ((op === "SLOAD" || op === "SSTORE") && n >= 1) this.#addSlot(e.address.bytes, word(e.stack[n - 1] as bigint));
    else if (ADDRESS_OPS.has(op) && n >= 1) this.#addUnlessExcluded(word(e.stack[n - 1] as bigint).subarray(12));
    else if (CALL_OPS.has(op) && n >= 5) this.#addUnlessExcluded(word(e.stack[n - 2] as bigint).subarray(12));
  }

  list(): AccessListEntry[] {
    return [...this.#list.values()].map((s) => ({ address: s.address, storageKeys: [...s.slots.values()] }));
  }

  /** Same accounts and, for each, the same slots. */
  equals(other: AccessListTracer): boolean {
    if (this.#list.size !== other.#list.size) return false;
    for (const [k, s] of this.#list) {
      const o = other.#list.get(k);
      if (o === undefined || o.slots.size !== s.slots.size) return false;
      for (const slot of s.slots.keys()) if (!o.slots.has(slot)) return false;
    }
    return true;
  }
}

function timeoutError(timeoutMs: number): CallError {
  return new CallError({ code: CallErrorCode.TIMEOUT, timeoutMs }, `execution aborted (timeout = ${timeoutMs / 1000}s)`);
}

/**
 * Build the access list of a call (geth's `AccessList`).
 * @throws {TransactionError} when the call cannot run at all (intrinsic gas, funds, fee below the base
 *   fee), as eth_call; {CallError} TIMEOUT past `input.config.timeoutMs`; {StateError}/{TrieError} for unavailable state.
 */
export async function createAccessList(env: CallEnvironment, input: AccessListInput, run: { pacer?: CallPacer } = {}): Promise<AccessListResult> {
  const { stateRoot, params, opts, config } = input;
  const deadline = Date.now() + config.timeoutMs;
  const prepare = (accessList: AccessListEntry[]) => {
    const left = deadline - Date.now();
    if (left <= 0) throw timeoutError(config.timeoutMs);
    return prepareCall(env, stateRoot, { ...params, accessList }, { ...opts, timeoutMs: left, ...(run.pacer ? { pacer: run.pacer } : {}) });
  };
  // A first set-up (never run) names the sender, the recipient or created contract, and the precompiles.
  const first = await prepare(params.accessList ?? []);
  const from = first.m.from;
  // geth names the created contract by the sender's nonce; the state's is the one the EVM uses.
  const to = first.m.to ?? generateAddress(from, bigIntToBytes(first.shard.stateManager.world.getAccount(from)?.nonce ?? 0n));
  const excluded: ReadonlySet<string> = new Set([plainHex(from), plainHex(to), ...first.shard.precompiles]);
  let prev = new AccessListTracer(params.accessList ?? [], excluded);
  for (;;) {
    const list = prev.list();
    const { shard, m, block } = await prepare(list);
    const tracer = new AccessListTracer(list, excluded);
    const onStep = (e: InterpreterStep) => tracer.onStep(e);
    shard.evm.events.on("step", onStep);
    let r: Awaited<ReturnType<typeof applyMessage>>;
    try {
      r = await applyMessage(shard, block, m);
    } catch (e) {
      if (e instanceof DeadlineExceeded) throw timeoutError(config.timeoutMs);
      throw e;
    } finally {
      shard.evm.events.off("step", onStep);
    }
    if (tracer.equals(prev)) return { accessList: list, gasUsed: r.gasUsed, ...(r.error !== undefined ? { error: gethError(r.error) } : {}) };
    prev = tracer;
  }
}
