/** Merkle proofs (EIP-1186): the encodings of the hashed nodes on the path from the root to a key. */
import { EMPTY_TRIE_ROOT, keccak256 } from "../primitives.ts";
import { bytesToNibbles, commonPrefix } from "./nibbles.ts";
import { BRANCH, EXTENSION, HASH, HashNode, LEAF, type NodeRef, decodeNode, encodeNode } from "./node.ts";
import { type TrieNodeSource, resolveNode, trieGet } from "./trie.ts";

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

/**
 * Check an EIP-1186 proof: the value of `key` (raw bytes; hash them first for a secure trie) under the
 * root hash `rootHash`, read through the proof's nodes only, each found by its keccak-256. Returns
 * undefined when the proof shows the key absent. A node missing from the proof, or a node whose
 * hash no parent names, cannot stand in: the path is followed from the root by hashes.
 * @throws {TrieError} MISSING_NODE when the proof lacks a node of the path; {SyntaxError} on a malformed node.
 */
export function verifyTrieProof(rootHash: Uint8Array, key: Uint8Array, proof: readonly Uint8Array[]): Uint8Array | undefined {
  if (rootHash.length !== 32) throw new RangeError("trie root must be 32 bytes");
  if (rootHash.every((b, i) => b === (EMPTY_TRIE_ROOT[i] as number))) return undefined;
  const byHash = new Map<string, Uint8Array>();
  for (const enc of proof) byHash.set(hexOf(keccak256(enc)), enc);
  const src: TrieNodeSource = {
    loadNode: (ref) => {
      const enc = byHash.get(hexOf(ref.hash));
      return enc === undefined ? undefined : decodeNode(enc, ref.hash);
    },
  };
  return trieGet(new HashNode(rootHash), bytesToNibbles(key), src);
}

function hexOf(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
