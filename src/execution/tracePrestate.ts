/**
 * geth's `prestateTracer`: every account the message touches (sender, recipient or created contract,
 * coinbase, the targets of calls, BALANCE/EXTCODE*, SELFDESTRUCT, creations) and every storage slot
 * it reads or writes, as they were before it ran; with `diffMode`, only what changed, as `pre` and
 * `post` (a self-destructed account shows in `pre` only, a slot that ends empty is left out of `post`).
 * @module
 */
import type { InterpreterStep } from "@ethereumjs/evm";
import { bigIntToBytes, generateAddress, generateAddress2 } from "@ethereumjs/util";
import type { WorldState } from "../state/index.ts";
import { CALL_OPS, type MessageTracer, plainHex, word } from "./_tracer.ts";
import type { PrestateAccount, PrestateTracerConfig } from "./traceTypes.ts";

type Entry = { address: Uint8Array; balance: bigint; nonce: bigint; code: Uint8Array; storage: Map<string, { slot: Uint8Array; value: Uint8Array }> };


function pad32(v: Uint8Array): Uint8Array {
  if (v.length === 32) return v;
  const b = new Uint8Array(32);
  b.set(v, 32 - v.length);
  return b;
}

const isZero = (b: Uint8Array) => b.every((x) => x === 0);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const exists = (e: Entry) => e.nonce > 0n || e.code.length > 0 || e.storage.size > 0 || e.balance !== 0n;

function readMemory(mem: Uint8Array, offset: bigint, size: bigint): Uint8Array {
  const out = new Uint8Array(Number(size));
  if (offset < BigInt(mem.length)) out.set(mem.subarray(Number(offset), Math.min(mem.length, Number(offset + size))));
  return out;
}

function byAddress(entries: Iterable<[Uint8Array, PrestateAccount]>): [Uint8Array, PrestateAccount][] {
  return [...entries].sort((a, b) => (plainHex(a[0]) < plainHex(b[0]) ? -1 : 1));
}

/** A prestateTracer for one message; `coinbase` is the block's (geth lists it among the touched accounts). */
export function createPrestateTracer(cfg: PrestateTracerConfig, scope: { world: () => WorldState; coinbase: Uint8Array }): MessageTracer {
  const pre = new Map<string, Entry>();
  const created = new Set<string>();
  const deleted = new Set<string>();
  let createdTop: string | undefined;

  const lookup = (address: Uint8Array): Entry => {
    const key = plainHex(address);
    let e = pre.get(key);
    if (e !== undefined) return e;
    const w = scope.world();
    const acct = w.getAccount(address);
    e = { address: address.slice(), balance: acct?.balance ?? 0n, nonce: acct?.nonce ?? 0n, code: acct === null ? new Uint8Array(0) : w.getCode(address), storage: new Map() };
    pre.set(key, e);
    return e;
  };
  const lookupSlot = (address: Uint8Array, slot: Uint8Array) => {
    const e = lookup(address);
    const k = plainHex(slot);
    if (!e.storage.has(k)) e.storage.set(k, { slot, value: pad32(scope.world().getStorage(address, slot)) });
  };
  const nonceOf = (a: Uint8Array) => scope.world().getAccount(a)?.nonce ?? 0n;

  const show = (e: Entry): PrestateAccount => ({
    balance: e.balance,
    ...(e.nonce !== 0n ? { nonce: e.nonce } : {}),
    ...(e.code.length > 0 ? { code: e.code } : {}),
    storage: [...e.storage.values()].sort((a, b) => (plainHex(a.slot) < plainHex(b.slot) ? -1 : 1)).map((s) => [s.slot, s.value]),
  });

  const diff = (): { pre: [Uint8Array, PrestateAccount][]; post: [Uint8Array, PrestateAccount][] } => {
    const w = scope.world();
    const before: [Uint8Array, PrestateAccount][] = [];
    const after: [Uint8Array, PrestateAccount][] = [];
    for (const [key, e] of pre) {
      if (deleted.has(key)) {
        before.push([e.address, show(e)]);
        continue;
      }
      const acct = w.getAccount(e.address);
      const balance = acct?.balance ?? 0n;
      const nonce = acct?.nonce ?? 0n;
      const code = acct === null ? new Uint8Array(0) : w.getCode(e.address);
      const post: PrestateAccount = { storage: [] };
      let modified = false;
      if (balance !== e.balance) (modified = true), (post.balance = balance);
      if (nonce !== e.nonce) (modified = true), (post.nonce = nonce);
      if (!sameBytes(code, e.code)) (modified = true), (post.code = code);
      const kept = new Map(e.storage);
      for (const [k, s] of e.storage) {
        if (isZero(s.value)) kept.delete(k);
        const now = pad32(w.getStorage(e.address, s.slot));
        if (sameBytes(now, s.value)) kept.delete(k);
        else {
          modified = true;
          if (!isZero(now)) post.storage.push([s.slot, now]);
        }
      }
      if (!modified) continue;
      const shown: Entry = { ...e, storage: kept };
      if (created.has(key) && !exists(shown)) {
        after.push([e.address, post]);
        continue;
      }
      before.push([e.address, show(shown)]);
      after.push([e.address, post]);
    }
    return { pre: byAddress(before), post: byAddress(after) };
  };

  return {
    begin(m) {
      lookup(m.from);
      if (m.to !== undefined) lookup(m.to);
      else {
        const to = generateAddress(m.from, bigIntToBytes(nonceOf(m.from)));
        createdTop = plainHex(to);
        created.add(createdTop);
        lookup(to);
      }
      lookup(scope.coinbase);
    },
    onStep(e: InterpreterStep) {
      const op = e.opcode.name;
      const n = e.stack.length;
      const at = (i: number) => e.stack[n - i] as bigint;
      const self = e.address.bytes;
      if ((op === "SLOAD" || op === "SSTORE") && n >= 1) lookupSlot(self, word(at(1)));
      else if ((op === "EXTCODECOPY" || op === "EXTCODEHASH" || op === "EXTCODESIZE" || op === "BALANCE" || op === "SELFDESTRUCT") && n >= 1) {
        lookup(word(at(1)).slice(12));
        if (op === "SELFDESTRUCT") deleted.add(plainHex(self));
      } else if (CALL_OPS.has(op) && n >= 5) lookup(word(at(2)).slice(12));
      else if (op === "CREATE") {
        const a = generateAddress(self, bigIntToBytes(nonceOf(self)));
        created.add(plainHex(a));
        lookup(a);
      } else if (op === "CREATE2" && n >= 4) {
        const init = readMemory(e.memory, at(2), at(3));
        const a = generateAddress2(self, word(at(4)), init);
        created.add(plainHex(a));
        lookup(a);
      }
    },
    result() {
      if (cfg.diffMode) return { tracer: "prestateTracer", result: { diffMode: true, ...diff() } };
      if (createdTop !== undefined) {
        const e = pre.get(createdTop);
        if (e !== undefined && !exists(e)) pre.delete(createdTop);
      }
      return { tracer: "prestateTracer", result: { diffMode: false, pre: byAddress([...pre.values()].map((e) => [e.address, show(e)])) } };
    },
  };
}
