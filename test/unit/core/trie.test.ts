// Our copy-on-write Merkle-Patricia trie against @ethereumjs/mpt (the reference implementation of
// Yellow Paper appendix D): same roots after random inserts/updates/deletes, proofs that verify.
import { describe, expect, test } from "bun:test";
import { MerklePatriciaTrie, createMerkleProof, verifyMerkleProof } from "@ethereumjs/mpt";
import { keccak256 } from "../../../src/crypto/index.ts";
import { EMPTY_TRIE_ROOT, Trie, TrieError, createTrieProof, orderedTrieRoot, decodeNode, hashKey, verifyTrieProof, type HashNode, type TrieNode } from "../../../src/core/index.ts";
import { RLP } from "@ethereumjs/rlp";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s;
  };
}

function hex(b: Uint8Array) {
  return Buffer.from(b).toString("hex");
}

class MapSource {
  nodes = new Map<string, Uint8Array>();
  loadNode(ref: HashNode): TrieNode | undefined {
    const enc = this.nodes.get(ref.key);
    return enc === undefined ? undefined : decodeNode(enc, ref.hash);
  }
}

describe("trie", () => {
  test("random ops match @ethereumjs/mpt, with short and long keys and values", async () => {
    for (const keyLen of [1, 2, 3, 32]) {
      const r = rng(keyLen * 7919);
      const ours = new Trie();
      const ref = new MerklePatriciaTrie();
      const live = new Map<string, Uint8Array>();
      for (let i = 0; i < 600; i++) {
        const key = new Uint8Array(keyLen).map(() => r() % (keyLen === 1 ? 40 : 256));
        const op = r() % 4;
        if (op === 0 && live.size > 0) {
          const k = [...live.keys()][r() % live.size] as string;
          const kb = new Uint8Array(Buffer.from(k, "hex"));
          ours.del(kb);
          await ref.del(kb);
          live.delete(k);
        } else {
          const value = new Uint8Array(1 + (r() % (op === 1 ? 3 : 60))).map(() => r() & 255);
          ours.put(key, value);
          await ref.put(key, value);
          live.set(hex(key), value);
        }
        if (i % 37 === 0) expect(hex(ours.hash())).toBe(hex(ref.root()));
      }
      expect(hex(ours.hash())).toBe(hex(ref.root()));
      for (const [k, v] of live) expect(hex(ours.get(new Uint8Array(Buffer.from(k, "hex"))) as Uint8Array)).toBe(hex(v));
    }
  });

  test("commit persists exactly what a fresh trie needs; reopened trie reads and updates", async () => {
    const src = new MapSource();
    const sink = (h: Uint8Array, enc: Uint8Array) => src.nodes.set(hashKey(h), enc);
    const t = new Trie(null, src);
    const r = rng(5);
    const keys: Uint8Array[] = [];
    for (let i = 0; i < 300; i++) {
      const k = keccak256(Uint8Array.of(i & 255, i >> 8, 1));
      keys.push(k);
      t.put(k, RLP.encode([BigInt(i), BigInt(r())]));
    }
    const root1 = t.commit(sink);
    const reopened = new Trie(root1, src);
    for (let i = 0; i < 300; i++) expect(reopened.get(keys[i] as Uint8Array)).toBeDefined();
    for (let i = 0; i < 100; i++) reopened.del(keys[i] as Uint8Array);
    reopened.put(keccak256(Uint8Array.of(9, 9)), Uint8Array.of(1));
    const root2 = reopened.commit(sink);
    const again = new Trie(root2, src);
    expect(again.get(keys[0] as Uint8Array)).toBeUndefined();
    expect(again.get(keys[200] as Uint8Array)).toBeDefined();
    expect(hex(again.hash())).toBe(hex(root2));
    // the reference implementation reading the same nodes agrees
    const ref = new MerklePatriciaTrie();
    for (let i = 100; i < 300; i++) await ref.put(keys[i] as Uint8Array, (again.get(keys[i] as Uint8Array) as Uint8Array));
    await ref.put(keccak256(Uint8Array.of(9, 9)), Uint8Array.of(1));
    expect(hex(ref.root())).toBe(hex(root2));
  });

  test("proofs of present and absent keys verify with @ethereumjs/mpt", async () => {
    const t = new Trie();
    const ref = new MerklePatriciaTrie();
    for (let i = 0; i < 200; i++) {
      const k = keccak256(Uint8Array.of(i));
      t.put(k, Uint8Array.of(i + 1, 7, 7));
      await ref.put(k, Uint8Array.of(i + 1, 7, 7));
    }
    const root = t.hash();
    for (const i of [0, 5, 199]) {
      const k = keccak256(Uint8Array.of(i));
      const proof = createTrieProof(t.root, k, null);
      expect(proof.map(hex)).toEqual((await createMerkleProof(ref, k)).map(hex));
      const v = await verifyMerkleProof(k, proof, { root });
      expect(v && hex(v)).toBe(hex(Uint8Array.of(i + 1, 7, 7)));
    }
    const absent = keccak256(Uint8Array.of(1, 2, 3));
    expect(await verifyMerkleProof(absent, createTrieProof(t.root, absent, null), { root })).toBeNull();
  });

  test("verifyTrieProof agrees with @ethereumjs/mpt: values, absence, embedded nodes; a missing or forged node is refused", async () => {
    const t = new Trie();
    for (let i = 0; i < 60; i++) t.put(Uint8Array.of(i, i & 3), Uint8Array.of(i + 1)); // short values: embedded leaves
    for (let i = 0; i < 60; i++) t.put(keccak256(Uint8Array.of(i)), Uint8Array.of(i + 1, 7, 7));
    const root = t.hash();
    for (const k of [Uint8Array.of(5, 1), keccak256(Uint8Array.of(9)), Uint8Array.of(200, 0), keccak256(Uint8Array.of(1, 2, 3))]) {
      const proof = createTrieProof(t.root, k, null);
      const ours = verifyTrieProof(root, k, proof);
      const theirs = await verifyMerkleProof(k, proof, { root });
      expect(ours === undefined ? null : hex(ours)).toBe(theirs === null ? null : hex(theirs));
    }
    const k = keccak256(Uint8Array.of(9));
    const proof = createTrieProof(t.root, k, null);
    expect(() => verifyTrieProof(root, k, proof.slice(0, -1))).toThrow(TrieError);
    const forged = [...proof];
    const last = (forged.at(-1) as Uint8Array).slice();
    last[last.length - 1] = (last.at(-1) as number) ^ 1;
    forged[forged.length - 1] = last;
    expect(() => verifyTrieProof(root, k, forged)).toThrow(TrieError);
    expect(verifyTrieProof(EMPTY_TRIE_ROOT, k, [])).toBeUndefined();
  });

  test("node decoding: nodes with embedded children round-trip; malformed or non-canonical RLP is a SyntaxError", () => {
    const t = new Trie();
    for (let i = 0; i < 40; i++) t.put(Uint8Array.of(i, i & 3), Uint8Array.of(i)); // short values: embedded leaves
    const rows: Uint8Array[] = [];
    t.commit((_h, enc) => rows.push(enc));
    expect(rows.length).toBeGreaterThan(2);
    for (const enc of rows) {
      const n = decodeNode(enc);
      expect(n.enc).toBe(enc);
      // embedded children decode to nodes whose own encoding is their bytes inside the parent
      const kids = n.kind === 0 ? n.children : n.kind === 2 ? [n.child] : [];
      for (const k of kids) if (k !== null && k.kind !== 3) expect((k.enc as Uint8Array).length).toBeLessThan(32);
    }
    const bad = [
      Uint8Array.of(0x80), // a string, not a list
      Uint8Array.of(0xc3, 0x80, 0x80), // list of 2 with a truncated payload
      Uint8Array.of(0xc2, 0x81, 0x05, 0x80), // byte < 0x80 as a 1-byte string (non-canonical), and trailing bytes
      RLP.encode([new Uint8Array(1), new Uint8Array(0), new Uint8Array(0)]), // 3 items
      RLP.encode([Uint8Array.of(0x00), new Uint8Array(5)]), // extension with a 5-byte child reference
      RLP.encode(Array.from({ length: 17 }, (_, i) => (i === 16 ? [] : new Uint8Array(0))) as never), // branch value is a list
      Uint8Array.of(0xf8, 0x02, 0x80, 0x80), // long-form length below 56
    ];
    for (const b of bad) expect(() => decodeNode(b)).toThrow(SyntaxError);
  });

  test("ordered root matches the reference for 0, 1, 128, 300 items", async () => {
    for (const n of [0, 1, 128, 300]) {
      const items = Array.from({ length: n }, (_, i) => new Uint8Array(40).fill(i & 255));
      const ref = new MerklePatriciaTrie();
      for (let i = 0; i < n; i++) await ref.put(RLP.encode(i), items[i] as Uint8Array);
      expect(hex(orderedTrieRoot(items))).toBe(hex(ref.root()));
    }
  });
});
