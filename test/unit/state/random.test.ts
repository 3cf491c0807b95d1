// Randomized world-state commits against a model: after every commit the root equals a reference
// secure trie built from scratch with @ethereumjs/mpt, and a cold reader (empty caches, so every node
// comes from its row, bundled or not) reads back every account and slot.
import { describe, expect, test } from "bun:test";
import { MerklePatriciaTrie } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT } from "../../../src/core/index.ts";
import { EMPTY_ACCOUNT, StateReader, StateStore, WorldState, encodeAccount } from "../../../src/state/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0);
}

interface ModelAccount {
  balance: bigint;
  storage: Map<number, number>;
}

const addrOf = (i: number) => Uint8Array.of(...new Uint8Array(18), i >> 8, i & 255);
const slotOf = (k: number) => {
  const s = new Uint8Array(32);
  s[30] = k >> 8;
  s[31] = k & 255;
  return s;
};

async function referenceRoot(model: Map<number, ModelAccount>): Promise<Uint8Array> {
  const accounts = new MerklePatriciaTrie({ useKeyHashing: true });
  for (const [i, a] of model) {
    const st = new MerklePatriciaTrie({ useKeyHashing: true });
    for (const [k, v] of a.storage) await st.put(slotOf(k), RLP.encode(Uint8Array.of(v)));
    await accounts.put(addrOf(i), encodeAccount({ nonce: 0n, balance: a.balance, storageRoot: st.root(), codeHash: EMPTY_CODE_HASH }));
  }
  return accounts.root();
}

describe("randomized state", () => {
  test("roots and cold reads match the model over many commits", async () => {
    const r = rng(12345);
    const kv = openStore(":memory:");
    const store = new StateStore(kv);
    const model = new Map<number, ModelAccount>();
    let root = EMPTY_TRIE_ROOT;
    for (let round = 0; round < 8; round++) {
      const w = new WorldState(store, root);
      const touches = 20 + (r() % 60);
      for (let t = 0; t < touches; t++) {
        const i = r() % 150;
        const op = r() % 10;
        if (op === 0 && model.has(i)) {
          w.putAccount(addrOf(i), null);
          model.delete(i);
          continue;
        }
        const m = model.get(i) ?? { balance: 0n, storage: new Map() };
        m.balance += BigInt(1 + (r() % 1000));
        const acc = w.getAccount(addrOf(i)) ?? EMPTY_ACCOUNT;
        w.putAccount(addrOf(i), { ...acc, balance: m.balance });
        const writes = op < 4 ? 0 : r() % (op === 9 ? 120 : 6);
        for (let k = 0; k < writes; k++) {
          const slot = r() % 200;
          const v = r() % 4 === 0 ? 0 : 1 + (r() % 255);
          w.putStorage(addrOf(i), slotOf(slot), v === 0 ? new Uint8Array(32) : Uint8Array.of(v));
          if (v === 0) m.storage.delete(slot);
          else m.storage.set(slot, v);
        }
        model.set(i, m);
      }
      const c = w.commit();
      kv.batch(c.ops);
      store.cacheCommitted(c);
      root = c.root;
      expect(bytesToHex(root)).toBe(bytesToHex(await referenceRoot(model)));
      const cold = new StateReader(new StateStore(kv), root);
      for (let i = 0; i < 150; i++) {
        const m = model.get(i);
        expect(cold.getAccount(addrOf(i))?.balance).toBe(m?.balance);
        for (const [k, v] of m?.storage ?? []) expect(cold.getStorage(addrOf(i), slotOf(k))[31]).toBe(v);
      }
    }
  });
});
