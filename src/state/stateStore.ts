/**
 * The state's view of the KV store: trie nodes and code by hash, behind caches of decoded nodes and
 * code. Everything here is content-addressed, so a cached entry is never stale; writes are not made
 * here but returned by a commit as batch ops, for the chain to land with the block in one batch.
 */
import { type HashNode, type TrieNode, hashKey, keccak256 } from "../core/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import { TwoGenerationCache } from "./_lru.ts";
import { decodeNodeRow } from "./_nodeRows.ts";
import { StateError, StateErrorCode } from "./errors.ts";
import { NODE_SEQ_PREFIX, codeKey, nodeKey, nodeSeqKey, seqOfNodeKey } from "./keys.ts";

// One counter per KV store, shared by every StateStore over it, so that no two hand out the same
// number; numbers handed out for a commit that never lands are skipped, never reused.
const seqCounters = new WeakMap<KVStore, { next: number }>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Options of {@link StateStore}. */
export interface StateStoreOptions {
  /**
   * Trie node rows kept decoded in memory, in bytes of their encoding per cache generation (the heap
   * they take is a few times that). Default 64 MiB.
   */
  nodeCacheBytes?: number;
  /** Contract code kept in memory, in bytes per generation. Default 16 MiB. */
  codeCacheBytes?: number;
}

/** What a state commit produced: the new root, the ops to persist it, and the nodes to cache once it lands. */
export interface StateCommit {
  readonly root: Uint8Array;
  readonly ops: BatchOp[];
  /** Committed nodes (collapsed), keyed by hash key, with their row size, to cache after the batch lands. */
  readonly nodes: [string, TrieNode, number][];
  /** Counts for metrics and benchmarks. */
  readonly stats: { accounts: number; slots: number; nodes: number; bytes: number };
}

/** Read side of the state in the KV store, with caches. */
export class StateStore {
  readonly kv: KVStore;
  readonly #nodes: TwoGenerationCache<TrieNode>;
  readonly #code: TwoGenerationCache<Uint8Array>;
  /** Counters: node loads served from memory vs from the KV store. */
  readonly stats = { nodeHits: 0, nodeReads: 0 };

  constructor(kv: KVStore, opts: StateStoreOptions = {}) {
    this.kv = kv;
    this.#nodes = new TwoGenerationCache(opts.nodeCacheBytes ?? 64 * 1024 * 1024);
    this.#code = new TwoGenerationCache(opts.codeCacheBytes ?? 16 * 1024 * 1024);
  }

  /**
   * The node behind a hash reference (read by its row's sequence number when the reference has one),
   * or undefined when not stored.
   * @throws {StateError} CORRUPT_NODE when the numbered row holds another node.
   */
  loadNode(ref: HashNode): TrieNode | undefined {
    const key = ref.key;
    const cached = this.#nodes.get(key);
    if (cached !== undefined) {
      this.stats.nodeHits++;
      return cached;
    }
    const seq = ref.seq;
    const row = this.kv.get(seq > 0 ? nodeSeqKey(seq) : nodeKey(ref.hash));
    this.stats.nodeReads++;
    if (row === undefined) return undefined;
    const node = decodeNodeRow(row, ref.hash);
    // A hash-keyed row is found by its content; a numbered one is checked against the hash its parent names.
    if (seq > 0 && !sameBytes(keccak256(node.enc as Uint8Array), ref.hash)) {
      throw new StateError({ code: StateErrorCode.CORRUPT_NODE, hash: ref.hash, seq }, `trie node row ${seq} does not hold the node its parent names`);
    }
    node.seq = seq;
    this.#nodes.set(key, node, row.length);
    return node;
  }

  /** A sequence number for a new node row: above every row in the store and every number handed out before. */
  allocateSeq(): number {
    let c = seqCounters.get(this.kv);
    if (c === undefined) {
      let next = 1;
      for (const [k] of this.kv.iterate({ prefix: NODE_SEQ_PREFIX, reverse: true, limit: 1 })) next = seqOfNodeKey(k) + 1;
      c = { next };
      seqCounters.set(this.kv, c);
    }
    return c.next++;
  }

  /** True when the node with this hash is stored (e.g. a state root is available). */
  hasNode(hash: Uint8Array): boolean {
    return this.#nodes.get(hashKey(hash)) !== undefined || this.kv.has(nodeKey(hash));
  }

  /** Code by hash, or undefined. */
  getCode(codeHash: Uint8Array): Uint8Array | undefined {
    const key = hashKey(codeHash);
    const cached = this.#code.get(key);
    if (cached !== undefined) return cached;
    const code = this.kv.get(codeKey(codeHash));
    if (code !== undefined) this.#code.set(key, code, code.length + 64);
    return code;
  }

  /** Cache what a commit wrote; call after its batch landed. */
  cacheCommitted(commit: StateCommit): void {
    for (const [k, n, w] of commit.nodes) this.#nodes.set(k, n, w);
  }

  /** Drop every cached entry (tests and memory pressure). */
  clearCaches(): void {
    this.#nodes.clear();
    this.#code.clear();
  }
}
