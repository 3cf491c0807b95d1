/**
 * Key layout of the state in the KV store. Every key of this layer starts with `s`; the chain layer
 * uses other first bytes (see src/chain/keys.ts).
 *   `sn` ‖ hash(32) → trie node encoding (accounts and storage tries share one content-addressed space)
 *   `sc` ‖ codeHash(32) → contract code
 */

/** Prefix of trie nodes. */
export const NODE_PREFIX: Uint8Array = Uint8Array.of(0x73, 0x6e);
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
