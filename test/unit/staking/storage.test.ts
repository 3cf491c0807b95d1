// The staking records' storage layout (staking/_storage.ts): a blob rewritten in place — longer,
// shorter, with words that keep their value, deleted — reads back exactly and leaves the same
// storage (hence the same state root) as the final value written once into empty storage.
import { describe, expect, test } from "bun:test";
import { EMPTY_TRIE_ROOT } from "../../../src/core/index.ts";
import { EMPTY_ACCOUNT, StateStore, WorldState } from "../../../src/state/index.ts";
import { ContractStorage, storageKey } from "../../../src/staking/_storage.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";

const CONTRACT = new Uint8Array(20).fill(0xfc);
const bytes = (n: number, fill: (i: number) => number) => Uint8Array.from({ length: n }, (_, i) => fill(i) & 0xff);

function fresh(): { w: WorldState; s: ContractStorage; persist: () => WorldState } {
  const kv = openStore(":memory:");
  const store = new StateStore(kv);
  const w = new WorldState(store, EMPTY_TRIE_ROOT);
  w.putAccount(CONTRACT, { ...EMPTY_ACCOUNT, nonce: 1n });
  const persist = () => {
    const c = w.commit();
    kv.batch(c.ops);
    store.cacheCommitted(c);
    return new WorldState(store, c.root);
  };
  return { w, s: new ContractStorage(w, CONTRACT), persist };
}

describe("contract storage blobs", () => {
  const key = storageKey("blob");
  const other = storageKey("other");
  const values: (Uint8Array | undefined)[] = [
    bytes(100, (i) => i + 1),
    bytes(100, (i) => (i === 70 ? 0 : i + 1)), // one word changes
    bytes(40, (i) => i + 1), // shorter: the old tail words must go
    bytes(130, (i) => (i < 40 ? i + 1 : 7)), // longer, the first words unchanged
    bytes(130, () => 0), // all-zero data words
    undefined,
    bytes(33, (i) => 255 - i),
  ];

  test("every rewrite reads back, and the storage equals a single write of the last value", () => {
    const { w, s } = fresh();
    s.putBlob(other, bytes(64, (i) => i * 3));
    for (const v of values) {
      s.putBlob(key, v);
      expect(s.getBlob(key) === undefined ? undefined : bytesToHex(s.getBlob(key) as Uint8Array)).toBe(v === undefined ? undefined : bytesToHex(v));
      expect(s.hasBlob(key)).toBe(v !== undefined);
      const ref = fresh();
      ref.s.putBlob(other, bytes(64, (i) => i * 3));
      if (v !== undefined) ref.s.putBlob(key, v);
      expect(bytesToHex(w.stateRoot())).toBe(bytesToHex(ref.w.stateRoot()));
    }
  });

  test("a rewrite with the same value writes nothing", () => {
    const f = fresh();
    f.s.putBlob(key, values[0]);
    const w = f.persist();
    const s = new ContractStorage(w, CONTRACT);
    const writes: string[] = [];
    const put = w.putStorage.bind(w);
    w.putStorage = (a, slot, value) => {
      writes.push(bytesToHex(slot));
      put(a, slot, value);
    };
    s.putBlob(key, values[0]);
    expect(writes).toEqual([]);
    s.putBlob(key, values[1]);
    expect(writes).toHaveLength(1); // only the word holding byte 70
  });
});
