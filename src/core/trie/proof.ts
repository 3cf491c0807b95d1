/** Merkle proofs (EIP-1186): the encodings of the hashed nodes on the path from the root to a key. */
import { bytesToNibbles, commonPrefix } from "./nibbles.ts";
import { BRANCH, EXTENSION, HASH, LEAF, type NodeRef, encodeNode } from "./node.ts";
import { type TrieNodeSource, resolveNode } from "./trie.ts";

/**
 * The proof of `key` (raw bytes; hash them first for a secure trie) under `root`: the root node and
 * every node referenced by hash on the path, root first. It proves absence when the key is missing.
 * @throws {TrieError} on a missing node.
 */
export function createTrieProof(root: NodeRef | null, key: Uint8Array, src: TrieNodeSource | null): Uint8Array[] {
  const proof: Uint8Array[] = [];
  if (root === null) return proof;
  const nibbles = bytesToNibbles(key);
  let n: NodeRef | null = root;
  let pos = 0;
  let byHash = true; // the root is always referenced by its hash
  while (n !== null) {
    if (n.kind === HASH) {
      n = resolveNode(n, src);
      byHash = true;
    }
    const enc = encodeNode(n);
    if (byHash || enc.length >= 32) proof.push(enc);
    byHash = false;
    if (n.kind === LEAF) break;
    if (n.kind === EXTENSION) {
      if (commonPrefix(n.path, nibbles, pos) !== n.path.length) break;
      pos += n.path.length;
      n = n.child;
    } else if (n.kind === BRANCH) {
      if (pos === nibbles.length) break;
      n = n.children[nibbles[pos] as number] ?? null;
      pos++;
    }
  }
  return proof;
}
