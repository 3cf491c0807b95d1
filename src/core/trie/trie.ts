/**
 * A Merkle-Patricia trie as persistent (copy-on-write) nodes: `get`, `put` and `del` return a new root
 * and never change a node, so a root shared with readers or caches stays valid. Hashing happens once,
 * at `hash()`/`commit()`, for the nodes that changed; nodes are loaded lazily through a
 * {@link TrieNodeSource} (the state layer's node store) when a {@link HashNode} is reached.
 */
import { NodeError } from "../../util/errors.ts";
import { EMPTY_TRIE_ROOT, keccak256 } from "../primitives.ts";
import { bytesToNibbles, commonPrefix, joinNibbles } from "./nibbles.ts";
import {
  BRANCH,
  BranchNode,
  EXTENSION,
  ExtensionNode,
  HASH,
  HashNode,
  LEAF,
  LeafNode,
  NO_CHILDREN,
  type NodeRef,
  type TrieNode,
  encodeNode,
} from "./node.ts";

/** Where hashed nodes come from. Returns undefined when the node is not in the database. */
export interface TrieNodeSource {
  loadNode(ref: HashNode): TrieNode | undefined;
}

/**
 * Receives each node that `commit` must persist: its hash, encoding, the node itself, and whether it
 * is the root (the only node loaded by hash without passing through its parent).
 */
export type TrieNodeSink = (hash: Uint8Array, enc: Uint8Array, node: TrieNode, isRoot: boolean) => void;

/** Codes of {@link TrieError}. */
export const TrieErrorCode = {
  /** A node the root refers to is not in the database (pruned state, or a corrupt store). */
  MISSING_NODE: "TRIE_MISSING_NODE",
} as const;

/** A trie that cannot be read because a node is missing. */
export class TrieError extends NodeError<{ code: typeof TrieErrorCode.MISSING_NODE; hash: Uint8Array }> {}

/**
 * Load the node behind a hash reference.
 * @throws {TrieError} MISSING_NODE when the source does not have it.
 */
export function resolveNode(ref: HashNode, src: TrieNodeSource | null): TrieNode {
  const node = src?.loadNode(ref);
  if (node === undefined) {
    let hex = "";
    for (const b of ref.hash) hex += b.toString(16).padStart(2, "0");
    throw new TrieError({ code: TrieErrorCode.MISSING_NODE, hash: ref.hash }, `missing trie node 0x${hex}`);
  }
  return node;
}

/** The value at nibble path `key`, or undefined. @throws {TrieError} on a missing node. */
export function trieGet(root: NodeRef | null, key: Uint8Array, src: TrieNodeSource | null): Uint8Array | undefined {
  let n = root;
  let pos = 0;
  for (;;) {
    if (n === null) return undefined;
    switch (n.kind) {
      case HASH:
        n = resolveNode(n, src);
        break;
      case LEAF: {
        const p = n.path;
        if (key.length - pos !== p.length) return undefined;
        for (let i = 0; i < p.length; i++) if (p[i] !== key[pos + i]) return undefined;
        return n.value;
      }
      case EXTENSION: {
        const p = n.path;
        if (key.length - pos < p.length) return undefined;
        for (let i = 0; i < p.length; i++) if (p[i] !== key[pos + i]) return undefined;
        pos += p.length;
        n = n.child;
        break;
      }
      default:
        if (pos === key.length) return n.value ?? undefined;
        n = n.children[key[pos] as number] ?? null;
        pos++;
    }
  }
}

/** A new root with `key` set to `value` (non-empty). @throws {TrieError} on a missing node. */
export function trieInsert(root: NodeRef | null, key: Uint8Array, value: Uint8Array, src: TrieNodeSource | null): TrieNode {
  return insert(root, key, 0, value, src);
}

function insert(ref: NodeRef | null, key: Uint8Array, pos: number, value: Uint8Array, src: TrieNodeSource | null): TrieNode {
  if (ref === null) return new LeafNode(key.subarray(pos), value);
  const n = ref.kind === HASH ? resolveNode(ref, src) : ref;
  if (n.kind === BRANCH) {
    if (pos === key.length) return new BranchNode(n.children, value);
    const i = key[pos] as number;
    const children = n.children.slice();
    children[i] = insert(children[i] ?? null, key, pos + 1, value, src);
    return new BranchNode(children, n.value);
  }
  const cp = commonPrefix(n.path, key, pos);
  if (n.kind === LEAF && cp === n.path.length && pos + cp === key.length) {
    return sameBytes(n.value, value) ? n : new LeafNode(n.path, value);
  }
  if (n.kind === EXTENSION && cp === n.path.length) {
    return new ExtensionNode(n.path, insert(n.child, key, pos + cp, value, src));
  }
  // Split at the first differing nibble: a branch holding the old node's rest and the new key's rest.
  const children: (NodeRef | null)[] = NO_CHILDREN.slice();
  let branchValue: Uint8Array | null = null;
  if (n.kind === LEAF) {
    if (cp === n.path.length) branchValue = n.value;
    else children[n.path[cp] as number] = new LeafNode(n.path.subarray(cp + 1), n.value);
  } else {
    const rest = n.path.subarray(cp + 1);
    children[n.path[cp] as number] = rest.length === 0 ? n.child : new ExtensionNode(rest, n.child);
  }
  if (pos + cp === key.length) branchValue = value;
  else children[key[pos + cp] as number] = new LeafNode(key.subarray(pos + cp + 1), value);
  const branch = new BranchNode(children, branchValue);
  return cp > 0 ? new ExtensionNode(n.path.subarray(0, cp), branch) : branch;
}

/** A new root without `key` (the same root object when the key is absent). @throws {TrieError} on a missing node. */
export function trieDelete(root: NodeRef | null, key: Uint8Array, src: TrieNodeSource | null): NodeRef | null {
  return remove(root, key, 0, src);
}

function remove(ref: NodeRef | null, key: Uint8Array, pos: number, src: TrieNodeSource | null): NodeRef | null {
  if (ref === null) return null;
  if (ref.kind === HASH) {
    const n = resolveNode(ref, src);
    const out = remove(n, key, pos, src);
    return out === n ? ref : out;
  }
  if (ref.kind === LEAF) {
    const cp = commonPrefix(ref.path, key, pos);
    return cp === ref.path.length && pos + cp === key.length ? null : ref;
  }
  if (ref.kind === EXTENSION) {
    const cp = commonPrefix(ref.path, key, pos);
    if (cp !== ref.path.length) return ref;
    const child = remove(ref.child, key, pos + cp, src);
    if (child === ref.child) return ref;
    return child === null ? null : prefixed(ref.path, child, src);
  }
  let children = ref.children;
  let value = ref.value;
  if (pos === key.length) {
    if (value === null) return ref;
    value = null;
  } else {
    const i = key[pos] as number;
    const old = children[i] ?? null;
    const c = remove(old, key, pos + 1, src);
    if (c === old) return ref;
    const copy = children.slice();
    copy[i] = c;
    children = copy;
  }
  let count = 0;
  let last = -1;
  for (let i = 0; i < 16; i++) {
    if (children[i] !== null) {
      count++;
      last = i;
    }
  }
  if (count + (value === null ? 0 : 1) >= 2) return new BranchNode(children, value);
  if (count === 0) return value === null ? null : new LeafNode(new Uint8Array(0), value);
  return prefixed(Uint8Array.of(last), children[last] as NodeRef, src);
}

// `path ‖ child` as one node: paths of leaves and extensions merge, a branch gets an extension above it.
function prefixed(path: Uint8Array, child: NodeRef, src: TrieNodeSource | null): TrieNode {
  const n = child.kind === HASH ? resolveNode(child, src) : child;
  if (n.kind === LEAF) return new LeafNode(joinNibbles(path, n.path), n.value);
  if (n.kind === EXTENSION) return new ExtensionNode(joinNibbles(path, n.path), n.child);
  return new ExtensionNode(path, child);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The root hash of a trie (EMPTY_TRIE_ROOT for an empty one). */
export function trieRootHash(root: NodeRef | null): Uint8Array {
  if (root === null) return EMPTY_TRIE_ROOT;
  if (root.kind === HASH) return root.hash;
  const enc = encodeNode(root);
  return enc.length >= 32 ? (root.hash as Uint8Array) : keccak256(enc);
}

/**
 * Hash the trie and hand every node that is not stored yet to `sink` (children before parents); the
 * root is always handed over when it is new, even when shorter than 32 bytes, so it can be loaded by hash.
 * Returns the root hash.
 */
export function trieCommit(root: NodeRef | null, sink: TrieNodeSink): Uint8Array {
  const hash = trieRootHash(root);
  if (root === null || root.kind === HASH || root.stored) return hash;
  emitNew(root, sink, true);
  const enc = root.enc as Uint8Array;
  if (enc.length < 32) sink(hash, enc, root, true);
  return hash;
}

function emitNew(node: TrieNode, sink: TrieNodeSink, isRoot: boolean): void {
  if (node.stored) return;
  if (node.kind === EXTENSION) {
    if (node.child.kind !== HASH) emitNew(node.child, sink, false);
  } else if (node.kind === BRANCH) {
    for (const c of node.children) if (c !== null && c.kind !== HASH) emitNew(c, sink, false);
  }
  const enc = encodeNode(node);
  if (enc.length >= 32) sink(node.hash as Uint8Array, enc, node, isRoot);
  node.stored = true;
}

/**
 * A trie over byte keys with a mutable root pointer (the nodes stay immutable). Keys are used as given;
 * a secure trie hashes them first.
 */
export class Trie {
  root: NodeRef | null;
  readonly source: TrieNodeSource | null;

  /** Open at `rootHash` (default: empty), loading nodes from `source`. */
  constructor(rootHash: Uint8Array | null = null, source: TrieNodeSource | null = null) {
    this.root = rootHash === null || sameBytes(rootHash, EMPTY_TRIE_ROOT) ? null : new HashNode(rootHash);
    this.source = source;
  }

  /** @throws {TrieError} on a missing node. */
  get(key: Uint8Array): Uint8Array | undefined {
    return trieGet(this.root, bytesToNibbles(key), this.source);
  }

  /** Set `key`; an empty value deletes it (Ethereum semantics). @throws {TrieError} on a missing node. */
  put(key: Uint8Array, value: Uint8Array): void {
    if (value.length === 0) this.del(key);
    else this.root = trieInsert(this.root, bytesToNibbles(key), value, this.source);
  }

  /** @throws {TrieError} on a missing node. */
  del(key: Uint8Array): void {
    this.root = trieDelete(this.root, bytesToNibbles(key), this.source);
  }

  /** The root hash. */
  hash(): Uint8Array {
    return trieRootHash(this.root);
  }

  /** Hash and hand new nodes to `sink` (see {@link trieCommit}). */
  commit(sink: TrieNodeSink): Uint8Array {
    return trieCommit(this.root, sink);
  }
}
