/**
 * How trie nodes are laid out in store rows. sqlite pays a B-tree page for every row written at a
 * random key, so a block's new nodes are keyed by a sequence number instead of their hash: they land
 * together at the right edge of the table (sqlite's append path) and a block writes about as many
 * pages as its nodes take bytes. A parent's row names each hashed child's row by that number; only
 * roots (state and storage roots, loaded by hash from a header or an account) keep a row under their
 * hash. A node whose whole hashed subtree encodes to ≤ {@link MAX_BUNDLE_BYTES} travels inside its
 * parent's row instead of having its own (as every small subtree did in stores written before
 * sequence numbers; such a node keeps travelling with its parent's new versions).
 *   row(node)         = enc                      when it has neither travelling nor numbered children
 *                     = 0x01 ‖ item(node)        otherwise (an encoding starts with 0xc0+, never 0x01)
 *   item(leaf)        = enc
 *   item(extension)   = enc ‖ 0 | 1 ‖ item(child) | 2 ‖ seq(6)
 *   item(branch)      = enc ‖ travelBits(2) ‖ seqBits(2) ‖ (item(child) | seq(6) for each set bit, in order)
 * Bit 15-i of a bitmap stands for child i. Rows written before sequence numbers (all keyed by hash,
 * bundles as enc ‖ bitmap ‖ bundle(child)…) are still read.
 */
import { BRANCH, EXTENSION, HASH, HashNode, LEAF, type NodeRef, type TrieNode, decodeNode, encodeNode } from "../core/index.ts";

/** Largest encoded subtree that travels in its parent's row. */
// 0: no new node travels. With appended rows a row costs little, while a travelling child is written
// again with every new version of its parent: on 30M-gas blocks over 100,000 accounts, 0 wrote the
// fewest bytes (the store grew half as fast as with 128) and committed fastest (scripts/bench/block.ts).
export const MAX_BUNDLE_BYTES = 0;

const ROW_V1 = 0x01;
/** Bytes of a sequence number in a row (and in its key). */
export const SEQ_BYTES = 6;

/** Length of the RLP item starting at `off`. @throws {SyntaxError} on a truncated item. */
export function rlpItemLength(buf: Uint8Array, off = 0): number {
  const b = buf[off];
  if (b === undefined) throw new SyntaxError("node row: truncated");
  let len: number;
  if (b < 0x80) len = 1;
  else if (b <= 0xb7) len = 1 + b - 0x80;
  else if (b >= 0xc0 && b <= 0xf7) len = 1 + b - 0xc0;
  else {
    const ll = b <= 0xbf ? b - 0xb7 : b - 0xf7;
    let n = 0;
    for (let i = 1; i <= ll; i++) n = n * 256 + (buf[off + i] as number);
    len = 1 + ll + n;
  }
  if (off + len > buf.length) throw new SyntaxError("node row: truncated");
  return len;
}

/** The encoding of the node a row is stored for (its first item). @throws {SyntaxError} on a malformed row. */
export function rowNodeEncoding(row: Uint8Array): Uint8Array {
  const off = row[0] === ROW_V1 ? 1 : 0;
  return row.subarray(off, off + rlpItemLength(row, off));
}

// A hashed child that travels with its parent (an object, not a hash reference).
function travelling(c: NodeRef | null | undefined): c is TrieNode {
  return c !== null && c !== undefined && c.kind !== HASH && c.inParentRow;
}

// The sequence number by which a parent's row names this child (0: inline, travelling, or by hash).
function seqOf(c: NodeRef | null | undefined): number {
  if (c === null || c === undefined) return 0;
  if (c.kind === HASH) return c.seq;
  if (c.inParentRow || encodeNode(c).length < 32) return 0;
  return c.seq;
}

const sizes = new WeakMap<TrieNode, number>();

/** Size of item(node); children must already be placed (post-order). Memoized per node. */
function itemSize(node: TrieNode): number {
  const known = sizes.get(node);
  if (known !== undefined) return known;
  let n = encodeNode(node).length;
  if (node.kind === EXTENSION) n += 1 + (travelling(node.child) ? itemSize(node.child) : seqOf(node.child) > 0 ? SEQ_BYTES : 0);
  else if (node.kind === BRANCH) {
    n += 4;
    for (const c of node.children) n += travelling(c) ? itemSize(c) : seqOf(c) > 0 ? SEQ_BYTES : 0;
  }
  sizes.set(node, n);
  return n;
}

function hasRefs(node: TrieNode): boolean {
  if (node.kind === EXTENSION) return travelling(node.child) || seqOf(node.child) > 0;
  if (node.kind === BRANCH) return node.children.some((c) => travelling(c) || seqOf(c) > 0);
  return false;
}

/**
 * Decide where a committed node (≥ 32 bytes, children already placed) is stored: in its parent's row
 * (returns undefined and marks it) or in a row of its own (returns the row; the caller keys it by a
 * new sequence number, or by hash for a root).
 */
export function placeNode(node: TrieNode, enc: Uint8Array, isRoot: boolean): Uint8Array | undefined {
  if (!isRoot && itemSize(node) <= MAX_BUNDLE_BYTES) {
    node.inParentRow = true;
    return undefined;
  }
  node.inParentRow = false;
  if (!hasRefs(node)) return enc;
  const row = new Uint8Array(1 + itemSize(node));
  row[0] = ROW_V1;
  const end = writeItem(node, row, 1);
  if (end !== row.length) throw new Error(`node row: wrote ${end} of ${row.length} bytes`);
  return row;
}

function writeSeq(out: Uint8Array, o: number, seq: number): number {
  for (let i = SEQ_BYTES - 1; i >= 0; i--, seq = Math.floor(seq / 256)) out[o + i] = seq % 256;
  return o + SEQ_BYTES;
}

function readSeq(buf: Uint8Array, o: number): number {
  if (o + SEQ_BYTES > buf.length) throw new SyntaxError("node row: truncated sequence number");
  let n = 0;
  for (let i = 0; i < SEQ_BYTES; i++) n = n * 256 + (buf[o + i] as number);
  if (n === 0) throw new SyntaxError("node row: sequence number 0");
  return n;
}

function writeItem(node: TrieNode, out: Uint8Array, o: number): number {
  const enc = encodeNode(node);
  out.set(enc, o);
  o += enc.length;
  if (node.kind === LEAF) return o;
  if (node.kind === EXTENSION) {
    const c = node.child;
    if (travelling(c)) {
      out[o++] = 1;
      return writeItem(c, out, o);
    }
    const seq = seqOf(c);
    out[o++] = seq > 0 ? 2 : 0;
    return seq > 0 ? writeSeq(out, o, seq) : o;
  }
  let travel = 0;
  let numbered = 0;
  for (let i = 0; i < 16; i++) {
    const c = node.children[i];
    if (travelling(c)) travel |= 1 << (15 - i);
    else if (seqOf(c) > 0) numbered |= 1 << (15 - i);
  }
  out[o++] = travel >> 8;
  out[o++] = travel & 255;
  out[o++] = numbered >> 8;
  out[o++] = numbered & 255;
  for (let i = 0; i < 16; i++) {
    const c = node.children[i];
    if (travelling(c)) o = writeItem(c, out, o);
    else if (seqOf(c) > 0) o = writeSeq(out, o, seqOf(c));
  }
  return o;
}

/**
 * Decode a row read for the node with `hash`; nodes that travelled with it come back attached in
 * place of their hash references, and numbered children as hash references with their number.
 * @throws {SyntaxError} on a malformed row.
 */
export function decodeNodeRow(row: Uint8Array, hash: Uint8Array): TrieNode {
  const v1 = row[0] === ROW_V1;
  const start = v1 ? 1 : 0;
  const len = rlpItemLength(row, start);
  if (!v1 && len === row.length) return decodeNode(row, hash);
  const { node, end } = v1 ? readItem(row, 1, hash) : readLegacyBundle(row, 0, hash);
  if (end !== row.length) throw new SyntaxError("node row: trailing bytes");
  return node;
}

// The hash reference a travelling or numbered child replaces.
function hashChild(ref: NodeRef | null | undefined, what: string): HashNode {
  if (!ref || ref.kind !== HASH) throw new SyntaxError(`node row: ${what} without a hash reference`);
  return ref;
}

function readItem(buf: Uint8Array, off: number, hash: Uint8Array): { node: TrieNode; end: number } {
  const len = rlpItemLength(buf, off);
  const node = decodeNode(buf.subarray(off, off + len), hash);
  let o = off + len;
  if (node.kind === LEAF) return { node, end: o };
  if (node.kind === EXTENSION) {
    const flag = buf[o++];
    if (flag === 1) {
      const child = readItem(buf, o, hashChild(node.child, "travelling child").hash);
      child.node.inParentRow = true;
      (node as { child: NodeRef }).child = child.node;
      o = child.end;
    } else if (flag === 2) {
      (node as { child: NodeRef }).child = new HashNode(hashChild(node.child, "numbered child").hash, readSeq(buf, o));
      o += SEQ_BYTES;
    } else if (flag !== 0) throw new SyntaxError("node row: bad extension flag");
    return { node, end: o };
  }
  if (o + 4 > buf.length) throw new SyntaxError("node row: truncated bitmaps");
  const travel = ((buf[o] as number) << 8) | (buf[o + 1] as number);
  const numbered = ((buf[o + 2] as number) << 8) | (buf[o + 3] as number);
  if ((travel & numbered) !== 0) throw new SyntaxError("node row: a child both travels and is numbered");
  o += 4;
  const children = node.children as (NodeRef | null)[];
  for (let i = 0; i < 16; i++) {
    const bit = 1 << (15 - i);
    if (travel & bit) {
      const child = readItem(buf, o, hashChild(children[i], `travelling child ${i}`).hash);
      child.node.inParentRow = true;
      children[i] = child.node;
      o = child.end;
    } else if (numbered & bit) {
      children[i] = new HashNode(hashChild(children[i], `numbered child ${i}`).hash, readSeq(buf, o));
      o += SEQ_BYTES;
    }
  }
  return { node, end: o };
}

// Rows of stores written before sequence numbers: enc ‖ flag or bitmap ‖ bundle(child)…
function readLegacyBundle(buf: Uint8Array, off: number, hash: Uint8Array): { node: TrieNode; end: number } {
  const len = rlpItemLength(buf, off);
  const node = decodeNode(buf.subarray(off, off + len), hash);
  let o = off + len;
  if (node.kind === LEAF) return { node, end: o };
  if (node.kind === EXTENSION) {
    const flag = buf[o++];
    if (flag === 1) {
      const child = readLegacyBundle(buf, o, hashChild(node.child, "travelling child").hash);
      child.node.inParentRow = true;
      (node as { child: NodeRef }).child = child.node;
      o = child.end;
    } else if (flag !== 0) throw new SyntaxError("node row: bad extension flag");
    return { node, end: o };
  }
  if (o + 2 > buf.length) throw new SyntaxError("node row: truncated bitmap");
  const bitmap = ((buf[o] as number) << 8) | (buf[o + 1] as number);
  o += 2;
  const children = node.children as (NodeRef | null)[];
  for (let i = 0; i < 16; i++) {
    if ((bitmap & (1 << (15 - i))) === 0) continue;
    const child = readLegacyBundle(buf, o, hashChild(children[i], `travelling child ${i}`).hash);
    child.node.inParentRow = true;
    children[i] = child.node;
    o = child.end;
  }
  return { node, end: o };
}
