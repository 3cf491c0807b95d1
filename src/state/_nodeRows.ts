/**
 * How trie nodes are laid out in store rows. Writing a row costs sqlite a B-tree page no matter how
 * small the row is, and a block's new nodes have random keys, so the layout trades bytes for rows: a
 * node whose whole hashed subtree encodes to ≤ {@link MAX_BUNDLE_BYTES} (every leaf, and the small
 * branches just above the leaves) travels inside its parent's row instead of having its own.
 *   bundle(leaf)      = enc
 *   bundle(branch)    = enc ‖ bitmap(2 bytes, bit 15-i = child i follows) ‖ bundle(child)…
 *   bundle(extension) = enc ‖ flag(1 byte) [‖ bundle(child)]
 *   row(node)         = enc                      when no child travels with it
 *                     = bundle(node)             otherwise
 * Only roots and large subtrees get rows, and a node in a bundle is only ever reached through its
 * parent — which is how trie walks reach nodes anyway; roots are the only nodes loaded by hash.
 */
import { BRANCH, EXTENSION, HASH, LEAF, type NodeRef, type TrieNode, decodeNode, encodeNode } from "../core/index.ts";

/** Largest encoded subtree that travels in its parent's row. */
export const MAX_BUNDLE_BYTES = 1024;

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

// A hashed child that travels with its parent (an object, not a hash reference).
function travelling(c: NodeRef | null | undefined): c is TrieNode {
  return c !== null && c !== undefined && c.kind !== HASH && c.inParentRow;
}

const sizes = new WeakMap<TrieNode, number>();

/** Size of bundle(node); children must already be decided (post-order). Memoized per node. */
function bundleSize(node: TrieNode, enc: Uint8Array): number {
  const known = sizes.get(node);
  if (known !== undefined) return known;
  let n = enc.length;
  if (node.kind === EXTENSION) n += 1 + (travelling(node.child) ? bundleSize(node.child, encodeNode(node.child)) : 0);
  else if (node.kind === BRANCH) {
    n += 2;
    for (const c of node.children) if (travelling(c)) n += bundleSize(c, encodeNode(c));
  }
  sizes.set(node, n);
  return n;
}

/**
 * Decide where a committed node (≥ 32 bytes, children already decided) is stored: in its parent's row
 * (returns undefined and marks it) or in a row of its own (returns the row).
 */
export function placeNode(node: TrieNode, enc: Uint8Array, isRoot: boolean): Uint8Array | undefined {
  if (!isRoot && bundleSize(node, enc) <= MAX_BUNDLE_BYTES) {
    node.inParentRow = true;
    return undefined;
  }
  node.inParentRow = false;
  let any = false;
  if (node.kind === BRANCH) any = node.children.some(travelling);
  else if (node.kind === EXTENSION) any = travelling(node.child);
  if (!any) return enc;
  const row = new Uint8Array(bundleSize(node, enc));
  const end = writeBundle(node, row, 0);
  if (end !== row.length) throw new Error(`node row: wrote ${end} of ${row.length} bytes`);
  return row;
}

function writeBundle(node: TrieNode, out: Uint8Array, o: number): number {
  const enc = encodeNode(node);
  out.set(enc, o);
  o += enc.length;
  if (node.kind === LEAF) return o;
  if (node.kind === EXTENSION) {
    const t = travelling(node.child);
    out[o++] = t ? 1 : 0;
    return t ? writeBundle(node.child as TrieNode, out, o) : o;
  }
  let bitmap = 0;
  for (let i = 0; i < 16; i++) if (travelling(node.children[i])) bitmap |= 1 << (15 - i);
  out[o++] = bitmap >> 8;
  out[o++] = bitmap & 255;
  for (const c of node.children) if (travelling(c)) o = writeBundle(c, out, o);
  return o;
}

/**
 * Decode a row read by `hash`; nodes that travelled with it come back attached in place of their
 * hash references.
 * @throws {SyntaxError} on a malformed row.
 */
export function decodeNodeRow(row: Uint8Array, hash: Uint8Array): TrieNode {
  const len = rlpItemLength(row, 0);
  if (len === row.length) return decodeNode(row, hash);
  const { node, end } = readBundle(row, 0, hash);
  if (end !== row.length) throw new SyntaxError("node row: trailing bytes");
  return node;
}

function readBundle(buf: Uint8Array, off: number, hash: Uint8Array): { node: TrieNode; end: number } {
  const len = rlpItemLength(buf, off);
  const node = decodeNode(buf.subarray(off, off + len), hash);
  let o = off + len;
  if (node.kind === LEAF) return { node, end: o };
  if (node.kind === EXTENSION) {
    const flag = buf[o++];
    if (flag === 1) {
      const ref = node.child;
      if (ref.kind !== HASH) throw new SyntaxError("node row: travelling child without a hash reference");
      const child = readBundle(buf, o, ref.hash);
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
    const ref = children[i];
    if (!ref || ref.kind !== HASH) throw new SyntaxError(`node row: travelling child ${i} without a hash reference`);
    const child = readBundle(buf, o, ref.hash);
    child.node.inParentRow = true;
    children[i] = child.node;
    o = child.end;
  }
  return { node, end: o };
}
