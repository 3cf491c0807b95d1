/**
 * The state's view of the KV store: trie nodes and code by hash, behind caches of decoded nodes and
 * code. Everything here is content-addressed, so a cached entry is never stale; writes are not made
 * here but returned by a commit as batch ops, for the chain to land with the block in one batch.
 */
import { type HashNode, type TrieNode, hashKey } from "../core/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import { TwoGenerationCache } from "./_lru.ts";
import { decodeNodeRow } from "./_nodeRows.ts";
import { codeKey, nodeKey } from "./keys.ts";

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

  /** The node behind a hash reference, or undefined when not stored. */
  loadNode(ref: HashNode): TrieNode | undefined {
    const key = ref.key;
    const cached = this.#nodes.get(key);
    if (cached !== undefined) {
      this.stats.nodeHits++;
      return cached;
    }
    const row = this.kv.get(nodeKey(ref.hash));
    this.stats.nodeReads++;
    if (row === undefined) return undefined;
    const node = decodeNodeRow(row, ref.hash);
    this.#nodes.set(key, node, row.length);
    return node;
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
