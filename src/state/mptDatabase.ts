/**
 * The `@ethereumjs/util` DB interface over our KV store, so `@ethereumjs/mpt` can open the state tries
 * we persist (interoperability and cross-checks; our own trie serves the hot path). Keys are the
 * unprefixed hex node hashes `@ethereumjs/mpt` uses, stored under the state node prefix. Nodes that
 * travel in an ancestor's row (see _nodeRows.ts) are served from that row, read just before: a trie
 * walk always reads a parent before its children.
 */
import type { BatchDBOp, DB } from "@ethereumjs/util";
import { BRANCH, EXTENSION, HASH, type TrieNode, encodeNode } from "../core/index.ts";
import type { KVStore } from "../store/index.ts";
import { decodeNodeRow, rlpItemLength } from "./_nodeRows.ts";
import { nodeKey } from "./keys.ts";

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
  const bundled = new Map<string, Uint8Array>();
  const db: DB<string, Uint8Array> = {
    get: async (key) => {
      const hash = hashOf(key);
      const row = kv.get(nodeKey(hash));
      if (row === undefined) return bundled.get(key.toLowerCase());
      const len = rlpItemLength(row, 0);
      if (len === row.length) return row;
      if (bundled.size > 4096) bundled.clear();
      const remember = (n: TrieNode) => {
        const children = n.kind === BRANCH ? n.children : n.kind === EXTENSION ? [n.child] : [];
        for (const c of children) {
          if (c === null || c.kind === HASH || !c.inParentRow) continue;
          bundled.set(hexOf(c.hash as Uint8Array), encodeNode(c));
          remember(c);
        }
      };
      remember(decodeNodeRow(row, hash));
      return row.subarray(0, len);
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
