// World state over the KV store: journal (put/get/revert), commit and reopen, roots and proofs checked
// with @ethereumjs/mpt (Yellow Paper appendix D; EIP-1186 proofs), state at an older root.
import { describe, expect, test } from "bun:test";
import { MerklePatriciaTrie, verifyMerkleProof } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { keccak256 } from "../../../src/crypto/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";
import { EMPTY_TRIE_ROOT } from "../../../src/core/index.ts";
import {
  EMPTY_ACCOUNT,
  StateReader,
  StateStore,
  WorldState,
  createMPTDatabase,
  decodeAccount,
  encodeAccount,
} from "../../../src/state/index.ts";

const addr = (i: number) => new Uint8Array(20).fill(i);
const slot = (i: number) => {
  const s = new Uint8Array(32);
  s[31] = i;
  return s;
};

function setup() {
  const kv = openStore(":memory:");
  const store = new StateStore(kv);
  const persist = (w: WorldState) => {
    const c = w.commit();
    kv.batch(c.ops);
    store.cacheCommitted(c);
    return c.root;
  };
  return { kv, store, persist };
}

describe("world state", () => {
  test("nested checkpoints: revert undoes accounts, storage and wipes; commit keeps them", () => {
    const { store } = setup();
    const w = new WorldState(store, EMPTY_TRIE_ROOT);
    w.putAccount(addr(1), { ...EMPTY_ACCOUNT, balance: 10n });
    w.putStorage(addr(1), slot(1), Uint8Array.of(0, 0, 7));
    w.checkpoint();
    w.putAccount(addr(1), { ...EMPTY_ACCOUNT, balance: 20n });
    w.putStorage(addr(1), slot(1), Uint8Array.of(8));
    w.checkpoint();
    w.putAccount(addr(1), null);
    expect(w.getAccount(addr(1))).toBeNull();
    expect(w.getStorage(addr(1), slot(1)).length).toBe(0);
    w.revert();
    expect(w.getAccount(addr(1))?.balance).toBe(20n);
    expect([...w.getStorage(addr(1), slot(1))]).toEqual([8]);
    w.revert();
    expect(w.getAccount(addr(1))?.balance).toBe(10n);
    expect([...w.getStorage(addr(1), slot(1))]).toEqual([7]);
    w.checkpoint();
    w.putAccount(addr(2), { ...EMPTY_ACCOUNT, nonce: 1n });
    w.commitCheckpoint();
    expect(w.getAccount(addr(2))?.nonce).toBe(1n);
    expect(() => w.revert()).toThrow();
  });

  test("original storage is the value at the start of the transaction (EIP-2200)", () => {
    const { store, persist } = setup();
    const w = new WorldState(store, EMPTY_TRIE_ROOT);
    w.putAccount(addr(1), { ...EMPTY_ACCOUNT, nonce: 1n });
    w.putStorage(addr(1), slot(1), Uint8Array.of(5));
    const root = persist(w);
    const w2 = new WorldState(store, root);
    w2.beginTx();
    w2.putStorage(addr(1), slot(1), Uint8Array.of(6));
    w2.putStorage(addr(1), slot(1), Uint8Array.of(7));
    expect([...w2.getOriginalStorage(addr(1), slot(1))]).toEqual([5]);
    w2.beginTx();
    expect([...w2.getOriginalStorage(addr(1), slot(1))]).toEqual([7]);
  });

  test("roots equal a reference secure trie built with @ethereumjs/mpt; reopened state reads back", async () => {
    const { kv, store, persist } = setup();
    const w = new WorldState(store, EMPTY_TRIE_ROOT);
    const code = Uint8Array.of(0x60, 0x00, 0x56);
    for (let i = 1; i <= 50; i++) w.putAccount(addr(i), { ...EMPTY_ACCOUNT, balance: BigInt(i) * 1000n, nonce: BigInt(i % 3) });
    w.putCode(addr(7), code);
    for (let i = 0; i < 20; i++) w.putStorage(addr(7), slot(i), Uint8Array.of(i + 1));
    w.putStorage(addr(7), slot(3), new Uint8Array(32)); // zero deletes
    const root = persist(w);

    const storageRef = new MerklePatriciaTrie({ useKeyHashing: true });
    for (let i = 0; i < 20; i++) if (i !== 3) await storageRef.put(slot(i), RLP.encode(Uint8Array.of(i + 1)));
    const accountsRef = new MerklePatriciaTrie({ useKeyHashing: true });
    for (let i = 1; i <= 50; i++) {
      const a = { ...EMPTY_ACCOUNT, balance: BigInt(i) * 1000n, nonce: BigInt(i % 3) };
      const rec = i === 7 ? { ...a, codeHash: keccak256(code), storageRoot: storageRef.root() } : a;
      await accountsRef.put(addr(i), encodeAccount(rec));
    }
    expect(bytesToHex(root)).toBe(bytesToHex(accountsRef.root()));

    // @ethereumjs/mpt reads our persisted nodes through the DB adapter
    const mpt = new MerklePatriciaTrie({ db: createMPTDatabase(kv), root, useKeyHashing: true, valueEncoding: "view" });
    expect(decodeAccount((await mpt.get(addr(9))) as Uint8Array).balance).toBe(9000n);

    // a fresh store instance (cold caches) reads back everything
    const cold = new StateReader(new StateStore(kv), root);
    expect(cold.getBalance(addr(50))).toBe(50_000n);
    expect([...cold.getCode(addr(7))]).toEqual([...code]);
    expect(cold.getStorage(addr(7), slot(4))[31]).toBe(5);
    expect(cold.getStorage(addr(7), slot(3))[31]).toBe(0);
  });

  test("leaves travel in their parent's row; a lone leaf root has its own; cold reads see every shape", () => {
    const { kv, store, persist } = setup();
    let w = new WorldState(store, EMPTY_TRIE_ROOT);
    w.putAccount(addr(1), { ...EMPTY_ACCOUNT, nonce: 1n });
    w.putStorage(addr(1), slot(1), new Uint8Array(32).fill(0x11)); // one slot: the storage root is a leaf
    let root = persist(w);
    const cold = () => new StateReader(new StateStore(kv), root);
    expect(cold().getStorage(addr(1), slot(1))[0]).toBe(0x11);
    w = new WorldState(store, root);
    w.putStorage(addr(1), slot(2), new Uint8Array(32).fill(0x22)); // now a branch with two bundled leaves
    root = persist(w);
    expect(cold().getStorage(addr(1), slot(1))[0]).toBe(0x11);
    expect(cold().getStorage(addr(1), slot(2))[0]).toBe(0x22);
    w = new WorldState(store, root);
    w.putStorage(addr(1), slot(1), new Uint8Array(0)); // back to a lone leaf
    root = persist(w);
    expect(cold().getStorage(addr(1), slot(1))[0]).toBe(0);
    expect(cold().getStorage(addr(1), slot(2))[0]).toBe(0x22);
    // rows: no row is keyed by a non-root leaf's hash, and every row decodes
    let rows = 0;
    for (const [, v] of kv.iterate({ prefix: Uint8Array.of(0x73, 0x6e) })) {
      rows++;
      expect(v.length).toBeGreaterThan(0);
    }
    expect(rows).toBeGreaterThan(0);
  });

  test("state at an older root stays readable after later commits", () => {
    const { store, persist } = setup();
    const w = new WorldState(store, EMPTY_TRIE_ROOT);
    w.putAccount(addr(1), { ...EMPTY_ACCOUNT, balance: 1n });
    const r1 = persist(w);
    const w2 = new WorldState(store, r1);
    w2.putAccount(addr(1), { ...EMPTY_ACCOUNT, balance: 2n });
    w2.putAccount(addr(2), { ...EMPTY_ACCOUNT, balance: 3n });
    const r2 = persist(w2);
    expect(new StateReader(store, r1).getBalance(addr(1))).toBe(1n);
    expect(new StateReader(store, r1).getAccount(addr(2))).toBeNull();
    expect(new StateReader(store, r2).getBalance(addr(1))).toBe(2n);
    expect(() => new StateReader(store, new Uint8Array(32).fill(9))).toThrow();
  });

  test("eth_getProof: account and storage proofs verify with @ethereumjs/mpt", async () => {
    const { store, persist } = setup();
    const w = new WorldState(store, EMPTY_TRIE_ROOT);
    for (let i = 1; i <= 40; i++) w.putAccount(addr(i), { ...EMPTY_ACCOUNT, balance: BigInt(i) });
    w.putCode(addr(5), Uint8Array.of(0x00));
    for (let i = 0; i < 30; i++) w.putStorage(addr(5), slot(i), Uint8Array.of(9, i));
    const root = persist(w);
    const p = new StateReader(store, root).getProof(addr(5), [slot(2), slot(200)]);
    const acct = await verifyMerkleProof(keccak256(addr(5)), p.accountProof, { root });
    expect(decodeAccount(acct as Uint8Array).balance).toBe(5n);
    expect(bytesToHex(decodeAccount(acct as Uint8Array).storageRoot)).toBe(bytesToHex(p.storageHash));
    const v = await verifyMerkleProof(keccak256(slot(2)), p.storageProof[0]!.proof, { root: p.storageHash });
    expect(bytesToHex(RLP.decode(v as Uint8Array) as Uint8Array)).toBe("0x0902");
    expect(p.storageProof[0]!.value).toBe(0x0902n);
    expect(await verifyMerkleProof(keccak256(slot(200)), p.storageProof[1]!.proof, { root: p.storageHash })).toBeNull();
    // absent account
    const none = new StateReader(store, root).getProof(addr(99), []);
    expect(await verifyMerkleProof(keccak256(addr(99)), none.accountProof, { root })).toBeNull();
  });
});
