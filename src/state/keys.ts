/**
 * Key layout of the state in the KV store. Keys of this layer start with `s`, or with 0xff `s` for
 * trie node rows by sequence number: the highest first byte, so a block's new rows are appended at
 * the end of the table (see _nodeRows.ts); the chain layer uses other first bytes (src/chain/keys.ts).
 *   `sn` ‖ hash(32) → row of a root trie node (accounts and storage tries share one space)
 *   0xff `s` ‖ seq(6) → row of any other trie node, named by its parent's row
 *   `sc` ‖ codeHash(32) → contract code
 */

/** Prefix of trie nodes. */
export const NODE_PREFIX: Uint8Array = Uint8Array.of(0x73, 0x6e);
/** Prefix of trie node rows by sequence number. */
export const NODE_SEQ_PREFIX: Uint8Array = Uint8Array.of(0xff, 0x73);
/** Prefix of contract code. */
export const CODE_PREFIX: Uint8Array = Uint8Array.of(0x73, 0x63);

function prefixed(prefix: Uint8Array, hash: Uint8Array): Uint8Array {
  const k = new Uint8Array(prefix.length + hash.length);
  k.set(prefix, 0);
  k.set(hash, prefix.length);
  return k;
}

/** Key of the trie node with this hash. */
export function nodeKey(hash: Uint8Array): Uint8Array {
  return prefixed(NODE_PREFIX, hash);
}

/** Key of the code with this hash. */
export function codeKey(codeHash: Uint8Array): Uint8Array {
  return prefixed(CODE_PREFIX, codeHash);
}

/** Key of the trie node row with sequence number `seq` (1 … 2^48 − 1). */
export function nodeSeqKey(seq: number): Uint8Array {
  const k = new Uint8Array(NODE_SEQ_PREFIX.length + 6);
  k.set(NODE_SEQ_PREFIX, 0);
  for (let i = k.length - 1, v = seq; i >= NODE_SEQ_PREFIX.length; i--, v = Math.floor(v / 256)) k[i] = v % 256;
  return k;
}

/** The sequence number in a {@link nodeSeqKey} key. */
export function seqOfNodeKey(key: Uint8Array): number {
  let n = 0;
  for (let i = NODE_SEQ_PREFIX.length; i < key.length; i++) n = n * 256 + (key[i] as number);
  return n;
}
