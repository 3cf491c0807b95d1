/**
 * The `@ethereumjs/util` DB interface over our KV store, so `@ethereumjs/mpt` can open the state tries
 * we persist (interoperability and cross-checks; our own trie serves the hot path). Keys are the
 * unprefixed hex node hashes `@ethereumjs/mpt` uses. Roots are found by hash; other nodes travel in an
 * ancestor's row or have a row named by their parent's (see _nodeRows.ts), which a trie walk always
 * reads just before: both are remembered from the rows read.
 */
import type { BatchDBOp, DB } from "@ethereumjs/util";
import { BRANCH, EXTENSION, HASH, type TrieNode, encodeNode } from "../core/index.ts";
import type { KVStore } from "../store/index.ts";
import { decodeNodeRow, rowNodeEncoding } from "./_nodeRows.ts";
import { nodeKey, nodeSeqKey } from "./keys.ts";

function hashOf(hexKey: string): Uint8Array {
  if (!/^[0-9a-f]*$/i.test(hexKey) || hexKey.length % 2) throw new TypeError("mpt db: key must be unprefixed hex");
  const b = new Uint8Array(hexKey.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = Number.parseInt(hexKey.slice(2 * i, 2 * i + 2), 16);
  return b;
}

function hexOf(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** An `@ethereumjs/mpt` database (value encoding: bytes) over the state nodes of `kv`. */
export function createMPTDatabase(kv: KVStore): DB<string, Uint8Array> {
  // Nodes seen in rows read so far: travelling ones by encoding, numbered ones by their row's number.
  const bundled = new Map<string, Uint8Array>();
  const numbered = new Map<string, number>();
  const remember = (n: TrieNode) => {
    const children = n.kind === BRANCH ? n.children : n.kind === EXTENSION ? [n.child] : [];
    for (const c of children) {
      if (c === null) continue;
      if (c.kind === HASH) {
        if (c.seq > 0) numbered.set(hexOf(c.hash), c.seq);
      } else if (c.inParentRow) {
        bundled.set(hexOf(c.hash as Uint8Array), encodeNode(c));
        remember(c);
      }
    }
  };
  const db: DB<string, Uint8Array> = {
    get: async (key) => {
      const hex = key.toLowerCase();
      const hash = hashOf(hex);
      const seq = numbered.get(hex);
      const row = kv.get(nodeKey(hash)) ?? (seq === undefined ? undefined : kv.get(nodeSeqKey(seq)));
      if (row === undefined) return bundled.get(hex);
      if (bundled.size + numbered.size > 65_536) {
        bundled.clear();
        numbered.clear();
      }
      remember(decodeNodeRow(row, hash));
      return rowNodeEncoding(row);
    },
    put: async (key, value) => kv.put(nodeKey(hashOf(key)), value),
    del: async (key) => kv.del(nodeKey(hashOf(key))),
    batch: async (ops: BatchDBOp<string, Uint8Array>[]) =>
      kv.batch(ops.map((op) => (op.type === "put" ? { type: "put", key: nodeKey(hashOf(op.key)), value: op.value } : { type: "del", key: nodeKey(hashOf(op.key)) }))),
    shallowCopy: () => db,
    open: async () => {},
  };
  return db;
}
