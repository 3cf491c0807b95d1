/**
 * Staking records as storage of the staking contract's account (issue: "staking records live in the
 * state trie, covered by the state root"), so the EVM's journal undoes them on revert like any
 * contract's writes. A record is a blob laid out as Solidity lays out `bytes`: a header word at
 * keccak(key) holding length+1 (0 = absent), then the data in the words that follow. Lists are a
 * count word plus one word per entry.
 */
import { keccak256 } from "../core/index.ts";
import type { WorldState } from "../state/index.ts";
import { concatBytes } from "../util/bytes.ts";

const WORD = 32;

function slotPlus(base: Uint8Array, n: number): Uint8Array {
  const out = base.slice();
  let carry = n;
  for (let i = WORD - 1; i >= 0 && carry > 0; i--) {
    const v = (out[i] as number) + (carry & 0xff);
    out[i] = v & 0xff;
    carry = (carry >>> 8) + (v >> 8);
  }
  return out;
}

function leftPad(v: Uint8Array): Uint8Array {
  if (v.length === WORD) return v;
  const out = new Uint8Array(WORD);
  out.set(v, WORD - v.length);
  return out;
}

function sameWord(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < WORD; i++) if (a[i] !== b[i]) return false;
  return true;
}

function wordToNumber(v: Uint8Array): number {
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

function numberToWord(n: number): Uint8Array {
  const out = new Uint8Array(WORD);
  for (let i = WORD - 1; i >= 0 && n > 0; i--) {
    out[i] = n % 256;
    n = Math.floor(n / 256);
  }
  return out;
}

const UTF8 = new TextEncoder();

/** Key material → the storage slot it names. */
export function storageKey(...parts: readonly (Uint8Array | string)[]): Uint8Array {
  return keccak256(concatBytes(...parts.map((p) => (typeof p === "string" ? UTF8.encode(p) : p))));
}

/** Typed access to one contract account's storage. */
export class ContractStorage {
  constructor(
    readonly world: WorldState,
    readonly address: Uint8Array,
  ) {}

  /** A 32-byte word (zero-padded). */
  getWord(slot: Uint8Array): Uint8Array {
    return leftPad(this.world.getStorage(this.address, slot));
  }

  putWord(slot: Uint8Array, value: Uint8Array): void {
    this.world.putStorage(this.address, slot, value);
  }

  /** Whether a blob is stored at `key` (its header word alone). */
  hasBlob(key: Uint8Array): boolean {
    return wordToNumber(this.getWord(key)) !== 0;
  }

  /** The blob at `key`, or undefined when absent. */
  getBlob(key: Uint8Array): Uint8Array | undefined {
    const head = wordToNumber(this.getWord(key));
    if (head === 0) return undefined;
    const len = head - 1;
    const out = new Uint8Array(len);
    for (let i = 0; i * WORD < len; i++) {
      const w = this.getWord(slotPlus(key, i + 1));
      out.set(w.subarray(0, Math.min(WORD, len - i * WORD)), i * WORD);
    }
    return out;
  }

  /**
   * Write (or, with undefined, delete) the blob at `key`, clearing words the old value used. Words
   * that keep their value are not written: a rewritten record mostly changes a few words, and every
   * write costs a trie update at the state root (the epoch end rewrites thousands of records).
   */
  putBlob(key: Uint8Array, data: Uint8Array | undefined): void {
    const oldHead = wordToNumber(this.getWord(key));
    const oldWords = oldHead === 0 ? 0 : Math.ceil((oldHead - 1) / WORD);
    const newHead = data === undefined ? 0 : data.length + 1;
    const newWords = data === undefined ? 0 : Math.ceil(data.length / WORD);
    if (newHead !== oldHead) this.putWord(key, data === undefined ? new Uint8Array(0) : numberToWord(newHead));
    for (let i = 0; i < newWords; i++) {
      const w = new Uint8Array(WORD);
      w.set((data as Uint8Array).subarray(i * WORD, (i + 1) * WORD));
      const slot = slotPlus(key, i + 1);
      if (i < oldWords && sameWord(this.getWord(slot), w)) continue;
      this.putWord(slot, w);
    }
    for (let i = newWords; i < oldWords; i++) this.putWord(slotPlus(key, i + 1), new Uint8Array(0));
  }

  /** Length of the list at `key`. */
  listLength(key: Uint8Array): number {
    return wordToNumber(this.getWord(key));
  }

  /** Entry `i` of the list at `key` (a word; addresses are its last 20 bytes). */
  listGet(key: Uint8Array, i: number): Uint8Array {
    return this.getWord(slotPlus(key, i + 1));
  }

  listSet(key: Uint8Array, i: number, value: Uint8Array): void {
    this.putWord(slotPlus(key, i + 1), value);
  }

  /** Append; returns the new entry's index. */
  listPush(key: Uint8Array, value: Uint8Array): number {
    const n = this.listLength(key);
    this.listSet(key, n, value);
    this.putWord(key, numberToWord(n + 1));
    return n;
  }

  /** Remove entry `i` by moving the last entry into its place; returns the moved entry (if any). */
  listSwapRemove(key: Uint8Array, i: number): Uint8Array | undefined {
    const n = this.listLength(key);
    if (i < 0 || i >= n) throw new RangeError(`list index ${i} outside [0, ${n})`);
    const last = this.listGet(key, n - 1);
    this.listSet(key, n - 1, new Uint8Array(0));
    this.putWord(key, numberToWord(n - 1));
    if (i === n - 1) return undefined;
    this.listSet(key, i, last);
    return last;
  }
}

/** A 20-byte address in a list word. */
export function addressWord(addr: Uint8Array): Uint8Array {
  return leftPad(addr);
}

/** The address held by a list word. */
export function wordAddress(word: Uint8Array): Uint8Array {
  return word.slice(WORD - 20);
}
