/**
 * Merkle-Patricia trie nodes (Yellow Paper appendix D) as immutable objects, with their canonical RLP
 * encoding written by hand so that children shorter than 32 bytes embed inline. Each node memoizes its
 * encoding and hash; `stored` marks nodes already in the database (loaded, or committed before).
 */
import { keccak256 } from "../primitives.ts";
import { decodeHexPrefix, encodeHexPrefix } from "./nibbles.ts";

/** Kind tags of {@link NodeRef}. */
export const BRANCH = 0;
export const LEAF = 1;
export const EXTENSION = 2;
export const HASH = 3;

/** Memo fields shared by every concrete node. */
abstract class NodeBase {
  /** Canonical RLP encoding, once computed. */
  enc: Uint8Array | undefined = undefined;
  /** keccak256(enc), set when the encoding is ≥ 32 bytes (or the node was loaded by hash). */
  hash: Uint8Array | undefined = undefined;
  /** True when this node (and everything below it) is already in the database. */
  stored = false;
  /**
   * Set by the storage layout: the node is persisted inside an ancestor's record rather than under
   * its own hash, so it can only be reached through its parent and must stay attached to it.
   */
  inParentRow = false;
  /**
   * Set by the storage layout: the sequence number of the node's own record when it has one (0 when
   * it is found by hash, or travels in its parent's record). Lets a parent's record point at its
   * children's records directly.
   */
  seq = 0;
}

/** A branch: 16 children by next nibble, plus an optional value for a key ending here. */
export class BranchNode extends NodeBase {
  readonly kind = BRANCH;
  constructor(
    readonly children: readonly (NodeRef | null)[],
    readonly value: Uint8Array | null,
  ) {
    super();
  }
}

/** A leaf: the rest of the key path and the value. */
export class LeafNode extends NodeBase {
  readonly kind = LEAF;
  constructor(
    readonly path: Uint8Array,
    readonly value: Uint8Array,
  ) {
    super();
  }
}

/** An extension: a shared path segment leading to one child (always a branch in a canonical trie). */
export class ExtensionNode extends NodeBase {
  readonly kind = EXTENSION;
  constructor(
    readonly path: Uint8Array,
    readonly child: NodeRef,
  ) {
    super();
  }
}

/** A reference by hash to a node in the database, not loaded yet (with its record's sequence number when known, else 0). */
export class HashNode {
  readonly kind = HASH;
  #key: string | undefined;
  constructor(
    readonly hash: Uint8Array,
    readonly seq = 0,
  ) {}
  /** The hash as a 32-char binary string, a cheap map key. */
  get key(): string {
    if (this.#key === undefined) this.#key = hashKey(this.hash);
    return this.#key;
  }
}

/** A node in memory. */
export type TrieNode = BranchNode | LeafNode | ExtensionNode;
/** A child reference: a node in memory or a hash to load. */
export type NodeRef = TrieNode | HashNode;

/** A 32-byte hash as a binary string map key. */
export function hashKey(hash: Uint8Array): string {
  return String.fromCharCode.apply(null, hash as unknown as number[]);
}

const EMPTY_ITEM = Uint8Array.of(0x80);
/** Sixteen empty slots. */
export const NO_CHILDREN: readonly null[] = Object.freeze(new Array(16).fill(null));

function header(len: number, offset: number): Uint8Array {
  if (len < 56) return Uint8Array.of(offset + len);
  const bytes: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 255);
  return Uint8Array.of(offset + 55 + bytes.length, ...bytes);
}

/** The RLP item of a byte string. */
export function rlpString(b: Uint8Array): Uint8Array {
  if (b.length === 1 && (b[0] as number) < 0x80) return b;
  const h = header(b.length, 0x80);
  const out = new Uint8Array(h.length + b.length);
  out.set(h, 0);
  out.set(b, h.length);
  return out;
}

/** Bytes of the item that references `ref` from its parent: 33 for a hash, else the inline encoding. */
function refLength(ref: NodeRef): number {
  if (ref.kind === HASH) return 33;
  const enc = encodeNode(ref);
  return enc.length < 32 ? enc.length : 33;
}

function writeRef(out: Uint8Array, o: number, ref: NodeRef): number {
  const enc = ref.kind === HASH ? undefined : encodeNode(ref);
  if (enc !== undefined && enc.length < 32) {
    out.set(enc, o);
    return o + enc.length;
  }
  out[o] = 0xa0;
  out.set(ref.kind === HASH ? ref.hash : (ref.hash as Uint8Array), o + 1);
  return o + 33;
}

function writeHeader(out: Uint8Array, len: number, offset: number): number {
  if (len < 56) {
    out[0] = offset + len;
    return 1;
  }
  const bytes = len < 256 ? 1 : len < 65536 ? 2 : 3;
  out[0] = offset + 55 + bytes;
  for (let i = bytes; i >= 1; i--, len >>>= 8) out[i] = len & 255;
  return bytes + 1;
}

function headerLength(len: number): number {
  return len < 56 ? 1 : len < 256 ? 2 : len < 65536 ? 3 : 4;
}

function encodeBranch(node: BranchNode): Uint8Array {
  let len = 0;
  for (let i = 0; i < 16; i++) {
    const c = node.children[i];
    len += c ? refLength(c) : 1;
  }
  const value = node.value ? rlpString(node.value) : EMPTY_ITEM;
  len += value.length;
  const out = new Uint8Array(headerLength(len) + len);
  let o = writeHeader(out, len, 0xc0);
  for (let i = 0; i < 16; i++) {
    const c = node.children[i];
    if (c) o = writeRef(out, o, c);
    else out[o++] = 0x80;
  }
  out.set(value, o);
  return out;
}

/** Canonical RLP encoding of a node (memoized, sets `hash` when ≥ 32 bytes). */
export function encodeNode(node: TrieNode): Uint8Array {
  if (node.enc !== undefined) return node.enc;
  let enc: Uint8Array;
  if (node.kind === BRANCH) enc = encodeBranch(node);
  else {
    const path = rlpString(encodeHexPrefix(node.path, node.kind === LEAF));
    const second = node.kind === LEAF ? rlpString(node.value) : undefined;
    const len = path.length + (second ? second.length : refLength((node as ExtensionNode).child));
    enc = new Uint8Array(headerLength(len) + len);
    let o = writeHeader(enc, len, 0xc0);
    enc.set(path, o);
    o += path.length;
    if (second) enc.set(second, o);
    else writeRef(enc, o, (node as ExtensionNode).child);
  }
  node.enc = enc;
  if (enc.length >= 32) node.hash = keccak256(enc);
  return enc;
}

/**
 * Decode a node read from the database by its hash; the result is marked stored. The RLP is scanned
 * in place (values, paths and hashes are views of `enc`): this runs for every node read from disk.
 * @throws {SyntaxError} on a malformed or non-canonical node.
 */
export function decodeNode(enc: Uint8Array, hash?: Uint8Array): TrieNode {
  const end = scanItem(enc, 0, enc.length);
  if (!scanned.list || end !== enc.length) throw new SyntaxError("trie node: expected one RLP list");
  const node = nodeFromList(enc, scanned.start, scanned.end);
  node.enc = enc;
  node.hash = hash ?? (enc.length >= 32 ? keccak256(enc) : undefined);
  return node;
}

// The payload of the item read last by scanItem (a module-level scratch: scanItem is not re-entered
// before its result is copied out).
const scanned = { start: 0, end: 0, list: false };

function lengthAt(b: Uint8Array, o: number, ll: number, end: number): number {
  if (ll > 4 || o + ll > end) throw new SyntaxError("trie node: truncated RLP length");
  if (b[o] === 0) throw new SyntaxError("trie node: non-canonical RLP length");
  let n = 0;
  for (let i = 0; i < ll; i++) n = n * 256 + (b[o + i] as number);
  if (n < 56) throw new SyntaxError("trie node: non-canonical RLP length");
  return n;
}

// Scan the RLP item at `o` (which must end by `end`); returns the offset after it.
function scanItem(b: Uint8Array, o: number, end: number): number {
  if (o >= end) throw new SyntaxError("trie node: truncated RLP");
  const x = b[o] as number;
  let start = o + 1;
  let len: number;
  if (x < 0x80) {
    start = o;
    len = 1;
    scanned.list = false;
  } else if (x <= 0xb7) {
    len = x - 0x80;
    if (len === 1 && start < end && (b[start] as number) < 0x80) throw new SyntaxError("trie node: non-canonical RLP byte");
    scanned.list = false;
  } else if (x <= 0xbf) {
    len = lengthAt(b, start, x - 0xb7, end);
    start += x - 0xb7;
    scanned.list = false;
  } else if (x <= 0xf7) {
    len = x - 0xc0;
    scanned.list = true;
  } else {
    len = lengthAt(b, start, x - 0xf7, end);
    start += x - 0xf7;
    scanned.list = true;
  }
  if (start + len > end) throw new SyntaxError("trie node: truncated RLP");
  scanned.start = start;
  scanned.end = start + len;
  return start + len;
}

// A child reference: empty = none, 32 bytes = hash, a list = a node embedded in its parent.
function childAt(b: Uint8Array, o: number, end: number): NodeRef | null {
  scanItem(b, o, end);
  const { start, end: e, list } = scanned;
  if (list) {
    if (e - o >= 32) throw new SyntaxError("trie node: embedded node of 32 bytes or more");
    const node = nodeFromList(b, start, e);
    node.enc = b.subarray(o, e);
    return node;
  }
  if (e === start) return null;
  if (e - start === 32) return new HashNode(b.subarray(start, e));
  throw new SyntaxError(`trie node: child reference of ${e - start} bytes`);
}

function nodeFromList(b: Uint8Array, start: number, end: number): TrieNode {
  const offsets: number[] = [];
  for (let o = start; o < end; o = scanItem(b, o, end)) {
    if (offsets.length === 17) throw new SyntaxError("trie node: list of more than 17 items");
    offsets.push(o);
  }
  let node: TrieNode;
  if (offsets.length === 17) {
    const children = new Array<NodeRef | null>(16);
    for (let i = 0; i < 16; i++) children[i] = childAt(b, offsets[i] as number, end);
    scanItem(b, offsets[16] as number, end);
    if (scanned.list) throw new SyntaxError("trie node: branch value is a list");
    node = new BranchNode(children, scanned.end === scanned.start ? null : b.subarray(scanned.start, scanned.end));
  } else if (offsets.length === 2) {
    scanItem(b, offsets[0] as number, end);
    if (scanned.list) throw new SyntaxError("trie node: path is a list");
    const { path, leaf } = decodeHexPrefix(b.subarray(scanned.start, scanned.end));
    if (leaf) {
      scanItem(b, offsets[1] as number, end);
      if (scanned.list) throw new SyntaxError("trie node: leaf value is a list");
      node = new LeafNode(path, b.subarray(scanned.start, scanned.end));
    } else {
      const child = childAt(b, offsets[1] as number, end);
      if (child === null) throw new SyntaxError("trie node: extension without child");
      node = new ExtensionNode(path, child);
    }
  } else throw new SyntaxError(`trie node: list of ${offsets.length} items`);
  node.stored = true;
  return node;
}

/**
 * A copy of a committed node whose hashed children are replaced by {@link HashNode}s, so that caching it
 * does not keep the subtree below it alive. Children kept in the node's own record (`inParentRow`)
 * stay attached: they cannot be loaded by hash.
 */
export function collapseNode(node: TrieNode): TrieNode {
  let out: TrieNode;
  if (node.kind === LEAF) return node;
  if (node.kind === EXTENSION ? !needsCollapse(node.child) : !node.children.some(needsCollapse)) return node;
  if (node.kind === EXTENSION) out = new ExtensionNode(node.path, collapseRef(node.child));
  else out = new BranchNode(node.children.map((c) => (c === null ? null : collapseRef(c))), node.value);
  out.enc = node.enc;
  out.hash = node.hash;
  out.seq = node.seq;
  out.stored = true;
  return out;
}

function needsCollapse(ref: NodeRef | null): boolean {
  return ref !== null && ref.kind !== HASH && !ref.inParentRow && encodeNode(ref).length >= 32;
}

function collapseRef(ref: NodeRef): NodeRef {
  if (ref.kind === HASH || ref.inParentRow) return ref;
  const enc = encodeNode(ref);
  return enc.length < 32 ? ref : new HashNode(ref.hash as Uint8Array, ref.seq);
}
