/**
 * The mutable world state of one block (or one call) on top of a committed root: accounts, storage and
 * code with a journal of undo records for nested checkpoints (transactions and EVM call frames).
 * Reads go to the trie at the base root through the {@link StateStore}; changes stay in memory until
 * {@link WorldState.commit} folds them into new tries and returns the nodes and code to persist.
 * Synchronous: the EVM adapter wraps it in the async StateManagerInterface.
 */
import { RLP } from "@ethereumjs/rlp";
import {
  EMPTY_CODE_HASH,
  EMPTY_TRIE_ROOT,
  HashNode,
  type NodeRef,
  type TrieNode,
  bytesToNibbles,
  collapseNode,
  HASH,
  encodeNode,
  hashKey,
  keccak256,
  trieCommit,
  trieDelete,
  trieGet,
  trieInsert,
  trieRootHash,
} from "../core/index.ts";
import type { BatchOp } from "../store/index.ts";
import { type AccountRecord, EMPTY_ACCOUNT, decodeAccount, encodeAccount, hasCode, sameBytes } from "./account.ts";
import { TwoGenerationCache } from "./_lru.ts";
import { StateError, StateErrorCode } from "./errors.ts";
import { codeKey, nodeKey, nodeSeqKey } from "./keys.ts";
import { placeNode } from "./_nodeRows.ts";
import type { StateCommit, StateStore } from "./stateStore.ts";

const EMPTY = new Uint8Array(0);

// keccak256(address) as a nibble path, shared by all world states: the same accounts recur block after
// block, and the hash is a third of the cost of reading an account from cached trie nodes.
const accountPaths = new TwoGenerationCache<Uint8Array>(131_072);

function accountPath(addr: Uint8Array, key: string): Uint8Array {
  let p = accountPaths.get(key);
  if (p === undefined) {
    p = bytesToNibbles(keccak256(addr));
    accountPaths.set(key, p);
  }
  return p;
}

interface Slot {
  readonly slot: Uint8Array;
  readonly value: Uint8Array;
}

interface Entry {
  readonly addr: Uint8Array;
  readonly key: string;
  readonly path: Uint8Array;
  readonly original: AccountRecord | null;
  current: AccountRecord | null;
  /** Slots written in this block: slot key → current value (empty = zero). */
  storage: Map<string, Slot> | null;
  /** Slots read from the base storage trie. */
  loaded: Map<string, Uint8Array> | null;
  storageRef: NodeRef | null | undefined;
  /** Storage cleared in this block (account deleted or created anew). */
  wiped: boolean;
  dirty: boolean;
}

type Undo =
  | { kind: 0; e: Entry; prev: AccountRecord | null; prevDirty: boolean }
  | { kind: 1; e: Entry; key: string; prev: Slot | undefined }
  | { kind: 2; e: Entry; prevStorage: Map<string, Slot> | null; prevWiped: boolean; prevDirty: boolean };

/** Strip leading zero bytes (storage values are stored minimal; empty = zero). */
export function stripZeros(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length && v[i] === 0) i++;
  return i === 0 ? v : v.subarray(i);
}

/** A journaled, in-memory change set over a committed state root. */
export class WorldState {
  readonly store: StateStore;
  #root: NodeRef | null;
  readonly #entries = new Map<string, Entry>();
  #journal: Undo[] = [];
  readonly #checkpoints: number[] = [];
  readonly #newCode = new Map<string, Uint8Array>();
  readonly #txOriginal = new Map<string, Uint8Array>();

  /** Open at `root` (an empty-trie root or one in the store). */
  constructor(store: StateStore, root: Uint8Array) {
    this.store = store;
    this.#root = sameBytes(root, EMPTY_TRIE_ROOT) ? null : new HashNode(root);
  }

  #entry(addr: Uint8Array): Entry {
    const key = hashKey(addr);
    let e = this.#entries.get(key);
    if (e === undefined) {
      const path = accountPath(addr, key);
      const raw = trieGet(this.#root, path, this.store);
      const original = raw === undefined ? null : decodeAccount(raw);
      e = { addr: addr.slice(), key, path, original, current: original, storage: null, loaded: null, storageRef: undefined, wiped: false, dirty: false };
      this.#entries.set(key, e);
    }
    return e;
  }

  /** The account at `addr` (20 bytes), or null when it does not exist. @throws {TrieError} on a missing node. */
  getAccount(addr: Uint8Array): AccountRecord | null {
    return this.#entry(addr).current;
  }

  /** Set (or with null, delete) the account; deleting also clears its storage. */
  putAccount(addr: Uint8Array, account: AccountRecord | null): void {
    const e = this.#entry(addr);
    this.#journal.push({ kind: 0, e, prev: e.current, prevDirty: e.dirty });
    e.current = account;
    e.dirty = true;
    if (account === null) this.#wipe(e);
  }

  /** Clear the storage of `addr` (contract creation). */
  wipeStorage(addr: Uint8Array): void {
    this.#wipe(this.#entry(addr));
  }

  #wipe(e: Entry): void {
    this.#journal.push({ kind: 2, e, prevStorage: e.storage, prevWiped: e.wiped, prevDirty: e.dirty });
    e.storage = null;
    e.wiped = true;
    e.dirty = true;
  }

  /** The value of a 32-byte slot, leading zeros stripped (empty = zero). @throws {TrieError} on a missing node. */
  getStorage(addr: Uint8Array, slot: Uint8Array): Uint8Array {
    const e = this.#entry(addr);
    const key = hashKey(slot);
    const written = e.storage?.get(key);
    if (written !== undefined) return written.value;
    if (e.wiped || e.original === null) return EMPTY;
    const cached = e.loaded?.get(key);
    if (cached !== undefined) return cached;
    if (e.storageRef === undefined) e.storageRef = sameBytes(e.original.storageRoot, EMPTY_TRIE_ROOT) ? null : new HashNode(e.original.storageRoot);
    const raw = trieGet(e.storageRef, bytesToNibbles(keccak256(slot)), this.store);
    const value = raw === undefined ? EMPTY : (RLP.decode(raw) as Uint8Array);
    if (e.loaded === null) e.loaded = new Map();
    e.loaded.set(key, value);
    return value;
  }

  /** The value of a slot at the start of the current transaction (EIP-2200 "original value"). */
  getOriginalStorage(addr: Uint8Array, slot: Uint8Array): Uint8Array {
    return this.#txOriginal.get(hashKey(addr) + hashKey(slot)) ?? this.getStorage(addr, slot);
  }

  /** Set a 32-byte slot; the value's leading zeros are stripped and zero deletes the slot. */
  putStorage(addr: Uint8Array, slot: Uint8Array, value: Uint8Array): void {
    const e = this.#entry(addr);
    const key = hashKey(slot);
    const txKey = e.key + key;
    if (!this.#txOriginal.has(txKey)) this.#txOriginal.set(txKey, this.getStorage(addr, slot));
    this.#journal.push({ kind: 1, e, key, prev: e.storage?.get(key) });
    if (e.storage === null) e.storage = new Map();
    e.storage.set(key, { slot: slot.slice(), value: stripZeros(value).slice() });
    e.dirty = true;
  }

  /** Code of the account at `addr` (empty when none). @throws {StateError} MISSING_CODE. */
  getCode(addr: Uint8Array): Uint8Array {
    const a = this.#entry(addr).current;
    return a === null ? EMPTY : this.getCodeByHash(a.codeHash);
  }

  /** Code by its hash. @throws {StateError} MISSING_CODE. */
  getCodeByHash(codeHash: Uint8Array): Uint8Array {
    if (sameBytes(codeHash, EMPTY_CODE_HASH)) return EMPTY;
    const code = this.#newCode.get(hashKey(codeHash)) ?? this.store.getCode(codeHash);
    if (code === undefined) throw new StateError({ code: StateErrorCode.MISSING_CODE, codeHash }, "missing contract code");
    return code;
  }

  /** Set the code of `addr` (creating the account if needed). */
  putCode(addr: Uint8Array, code: Uint8Array): void {
    const codeHash = keccak256(code);
    this.#newCode.set(hashKey(codeHash), code.slice());
    const a = this.#entry(addr).current ?? EMPTY_ACCOUNT;
    this.putAccount(addr, { ...a, codeHash });
  }

  /** Start a transaction: forget the per-transaction original storage values. */
  beginTx(): void {
    this.#txOriginal.clear();
  }

  /** Open a nested checkpoint. */
  checkpoint(): void {
    this.#checkpoints.push(this.#journal.length);
  }

  /** Keep the changes since the last checkpoint (they merge into the enclosing one). */
  commitCheckpoint(): void {
    if (this.#checkpoints.pop() === undefined) throw new Error("world state: commit without checkpoint");
    if (this.#checkpoints.length === 0) this.#journal = [];
  }

  /** Undo the changes since the last checkpoint. */
  revert(): void {
    const mark = this.#checkpoints.pop();
    if (mark === undefined) throw new Error("world state: revert without checkpoint");
    while (this.#journal.length > mark) {
      const u = this.#journal.pop() as Undo;
      if (u.kind === 0) {
        u.e.current = u.prev;
        u.e.dirty = u.prevDirty;
      } else if (u.kind === 1) {
        if (u.prev === undefined) u.e.storage?.delete(u.key);
        else (u.e.storage as Map<string, Slot>).set(u.key, u.prev);
      } else {
        u.e.storage = u.prevStorage;
        u.e.wiped = u.prevWiped;
        u.e.dirty = u.prevDirty;
      }
    }
  }

  /** Depth of open checkpoints. */
  get depth(): number {
    return this.#checkpoints.length;
  }

  /** The root this change set started from (or was last committed to). */
  baseRoot(): Uint8Array {
    return trieRootHash(this.#root);
  }

  /** The state root the current changes lead to, without persisting anything. */
  stateRoot(): Uint8Array {
    return trieRootHash(this.#fold(null).root);
  }

  /**
   * Fold every change into the tries and return the new root with the ops that persist it (trie nodes
   * and new code). The world state then continues at the new root with an empty change set.
   * @throws {Error} when a checkpoint is still open.
   */
  commit(): StateCommit {
    if (this.#checkpoints.length > 0) throw new Error("world state: commit with an open checkpoint");
    const ops: BatchOp[] = [];
    const nodes: [string, TrieNode, number][] = [];
    let bytes = 0;
    const sink = (hash: Uint8Array, enc: Uint8Array, node: TrieNode, isRoot: boolean) => {
      const row = placeNode(node, enc, isRoot);
      if (row === undefined) return; // travels in its parent's row
      // Roots are loaded by hash; every other row by the number its parent's row gives it.
      if (!isRoot) node.seq = this.store.allocateSeq();
      ops.push({ type: "put", key: isRoot ? nodeKey(hash) : nodeSeqKey(node.seq), value: row });
      nodes.push([hashKey(hash), collapseNode(node), row.length]);
      bytes += row.length;
    };
    const { root, accounts, slots, liveCode } = this.#fold(sink);
    const rootHash = commitRoot(root, sink);
    for (const [k, code] of this.#newCode) {
      if (liveCode.has(k)) ops.push({ type: "put", key: codeKey(keccak256(code)), value: code });
    }
    this.#root = root;
    this.#entries.clear();
    this.#journal = [];
    this.#newCode.clear();
    this.#txOriginal.clear();
    return { root: rootHash, ops, nodes, stats: { accounts, slots, nodes: nodes.length, bytes } };
  }

  #fold(sink: ((hash: Uint8Array, enc: Uint8Array, node: TrieNode, isRoot: boolean) => void) | null) {
    let root = this.#root;
    let accounts = 0;
    let slots = 0;
    const liveCode = new Set<string>();
    for (const e of this.#entries.values()) {
      if (!e.dirty) continue;
      const cur = e.current;
      if (cur === null) {
        if (e.original !== null) {
          root = trieDelete(root, e.path, this.store);
          accounts++;
        }
        continue;
      }
      let storageRoot = e.wiped || e.original === null ? EMPTY_TRIE_ROOT : e.original.storageRoot;
      if (e.storage !== null && e.storage.size > 0) {
        let s: NodeRef | null = sameBytes(storageRoot, EMPTY_TRIE_ROOT) ? null : new HashNode(storageRoot);
        for (const { slot, value } of e.storage.values()) {
          const p = bytesToNibbles(keccak256(slot));
          s = value.length === 0 ? trieDelete(s, p, this.store) : trieInsert(s, p, RLP.encode(value), this.store);
          slots++;
        }
        storageRoot = sink === null ? trieRootHash(s) : commitRoot(s, sink);
      }
      const rec: AccountRecord = { nonce: cur.nonce, balance: cur.balance, storageRoot, codeHash: cur.codeHash };
      if (hasCode(rec)) liveCode.add(hashKey(rec.codeHash));
      if (e.original !== null && sameAccount(rec, e.original)) continue;
      root = trieInsert(root, e.path, encodeAccount(rec), this.store);
      accounts++;
    }
    return { root, accounts, slots, liveCode };
  }
}

type NodeSink = (hash: Uint8Array, enc: Uint8Array, node: TrieNode, isRoot: boolean) => void;

// Commit a trie whose root must be loadable by hash. A root node already stored under a sequence
// number only (a former inner node: deletions never return one, but nothing else guarantees it)
// gets a hash-keyed row as well.
function commitRoot(root: NodeRef | null, sink: NodeSink): Uint8Array {
  const hash = trieCommit(root, sink);
  if (root !== null && root.kind !== HASH && root.stored && root.seq > 0) sink(hash, encodeNode(root), root, true);
  return hash;
}

function sameAccount(a: AccountRecord, b: AccountRecord): boolean {
  return a.nonce === b.nonce && a.balance === b.balance && sameBytes(a.storageRoot, b.storageRoot) && sameBytes(a.codeHash, b.codeHash);
}
