/**
 * The `@ethereumjs/util` DB interface over our KV store, so `@ethereumjs/mpt` can open the state
 * tries we persist (interoperability and cross-checks; our own trie serves the hot path). Keys are
 * the unprefixed hex node hashes `@ethereumjs/mpt` uses, stored under the state node prefix.
 */
import type { BatchDBOp, DB } from "@ethereumjs/util";
import type { KVStore } from "../store/index.ts";
import { nodeKey } from "./keys.ts";

function keyOf(hexKey: string): Uint8Array {
  if (!/^[0-9a-f]*$/i.test(hexKey) || hexKey.length % 2) throw new TypeError("mpt db: key must be unprefixed hex");
  const b = new Uint8Array(hexKey.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = Number.parseInt(hexKey.slice(2 * i, 2 * i + 2), 16);
  return nodeKey(b);
}

/** An `@ethereumjs/mpt` database (value encoding: bytes) over the state nodes of `kv`. */
export function createMPTDatabase(kv: KVStore): DB<string, Uint8Array> {
  const db: DB<string, Uint8Array> = {
    get: async (key) => kv.get(keyOf(key)),
    put: async (key, value) => kv.put(keyOf(key), value),
    del: async (key) => kv.del(keyOf(key)),
    batch: async (ops: BatchDBOp<string, Uint8Array>[]) =>
      kv.batch(ops.map((op) => (op.type === "put" ? { type: "put", key: keyOf(op.key), value: op.value } : { type: "del", key: keyOf(op.key) }))),
    shallowCopy: () => db,
    open: async () => {},
  };
  return db;
}
