/**
 * Root of the trie that Ethereum builds over an ordered list (transactions, receipts): key rlp(index),
 * value the item's encoding (Yellow Paper §4.3, geth `DeriveSha`).
 */
import { rlpString } from "./node.ts";
import { Trie } from "./trie.ts";
import { bigintToBytes } from "../primitives.ts";

/** The root of the ordered trie of `items` (EMPTY_TRIE_ROOT when empty). */
export function orderedTrieRoot(items: readonly Uint8Array[]): Uint8Array {
  const trie = new Trie();
  for (let i = 0; i < items.length; i++) trie.put(rlpString(bigintToBytes(BigInt(i))), items[i] as Uint8Array);
  return trie.hash();
}
