// Trie node rows (src/state/_nodeRows.ts): inner nodes keyed by sequence number at the end of the key
// space, roots by hash; rows name their children's rows; rows of older stores (all by hash, bundles
// without numbers) still read; a numbered row holding another node is refused.
import { describe, expect, test } from "bun:test";
import { BranchNode, HASH, HashNode, LeafNode, type NodeRef, encodeNode, keccak256 } from "../../../src/core/index.ts";
import { NO_CHILDREN } from "../../../src/core/trie/node.ts";
import { EMPTY_TRIE_ROOT } from "../../../src/core/index.ts";
import { EMPTY_ACCOUNT, NODE_PREFIX, StateError, StateReader, StateStore, WorldState, nodeKey } from "../../../src/state/index.ts";
import { decodeNodeRow, placeNode } from "../../../src/state/_nodeRows.ts";
import { NODE_SEQ_PREFIX, nodeSeqKey, seqOfNodeKey } from "../../../src/state/keys.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";

const addr = (i: number) => Uint8Array.of(...new Uint8Array(16), i >> 24, (i >> 16) & 255, (i >> 8) & 255, i & 255);

function commitAccounts(store: StateStore, root: Uint8Array, from: number, to: number, balance: bigint) {
  const w = new WorldState(store, root);
  for (let i = from; i < to; i++) w.putAccount(addr(i), { ...EMPTY_ACCOUNT, balance });
  const c = w.commit();
  store.kv.batch(c.ops);
  store.cacheCommitted(c);
  return c;
}

function keysWith(kv: ReturnType<typeof openStore>, prefix: Uint8Array) {
  return [...kv.iterate({ prefix })].map(([k]) => k);
}

// A leaf whose encoding is ≥ 32 bytes, so its parent refers to it by hash.
const bigLeaf = (n: number) => new LeafNode(Uint8Array.of(n, 1, 2, 3), new Uint8Array(40).fill(n));

describe("trie node rows", () => {
  test("a commit keys inner nodes by sequence number and only the root by hash; a cold reader reads them back", () => {
    const kv = openStore(":memory:");
    const store = new StateStore(kv);
    const c1 = commitAccounts(store, EMPTY_TRIE_ROOT, 0, 500, 7n);
    const byHash = keysWith(kv, NODE_PREFIX);
    expect(byHash.map((k) => bytesToHex(k))).toEqual([bytesToHex(nodeKey(c1.root))]);
    const numbered = keysWith(kv, NODE_SEQ_PREFIX).map(seqOfNodeKey);
    expect(numbered.length).toBeGreaterThan(16); // every inner branch below the root has a row
    // numbers are handed out in order, so a block's rows are appended at the end of the table
    expect(numbered).toEqual(numbered.map((_, i) => i + 1));
    const c2 = commitAccounts(store, c1.root, 250, 260, 9n);
    const after = keysWith(kv, NODE_SEQ_PREFIX).map(seqOfNodeKey);
    expect(Math.min(...after.slice(numbered.length))).toBe(numbered.length + 1);
    const cold = new StateReader(new StateStore(kv), c2.root);
    for (let i = 0; i < 500; i++) expect(cold.getAccount(addr(i))?.balance).toBe(i >= 250 && i < 260 ? 9n : 7n);
    const old = new StateReader(new StateStore(kv), c1.root);
    expect(old.getAccount(addr(255))?.balance).toBe(7n);
  });

  test("two state stores over one KV store never hand out the same number; a reopened one continues above the stored rows", () => {
    const kv = openStore(":memory:");
    const a = new StateStore(kv);
    const b = new StateStore(kv);
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      seen.add(a.allocateSeq());
      seen.add(b.allocateSeq());
    }
    expect(seen.size).toBe(100);
    kv.put(nodeSeqKey(1000), Uint8Array.of(0xc0));
    const other = openStore(":memory:");
    other.put(nodeSeqKey(1000), Uint8Array.of(0xc0));
    expect(new StateStore(other).allocateSeq()).toBe(1001);
  });

  test("a row names numbered children and carries travelling ones; decoding restores both", () => {
    const numberedLeaf = bigLeaf(1);
    encodeNode(numberedLeaf);
    numberedLeaf.seq = 77;
    const travellingLeaf = bigLeaf(2);
    encodeNode(travellingLeaf);
    travellingLeaf.inParentRow = true;
    const children: (NodeRef | null)[] = NO_CHILDREN.slice();
    children[3] = numberedLeaf;
    children[9] = travellingLeaf;
    children[12] = new HashNode(keccak256(Uint8Array.of(5)), 0); // an old child found by hash
    const branch = new BranchNode(children, null);
    const enc = encodeNode(branch);
    const row = placeNode(branch, enc, true) as Uint8Array;
    expect(row[0]).toBe(0x01);
    const back = decodeNodeRow(row, branch.hash as Uint8Array);
    expect(bytesToHex(encodeNode(back))).toBe(bytesToHex(enc));
    const c3 = back.kind === 0 ? back.children[3] : null;
    expect(c3?.kind).toBe(HASH);
    expect((c3 as HashNode).seq).toBe(77);
    const c9 = back.kind === 0 ? back.children[9] : null;
    expect(c9?.kind).not.toBe(HASH);
    expect(c9 !== null && c9 !== undefined && c9.kind !== HASH && c9.inParentRow).toBe(true);
    const c12 = back.kind === 0 ? back.children[12] : null;
    expect((c12 as HashNode).seq).toBe(0);
    // a malformed row is a SyntaxError, not a wrong node
    expect(() => decodeNodeRow(row.subarray(0, row.length - 2), branch.hash as Uint8Array)).toThrow(SyntaxError);
  });

  test("rows of stores written before sequence numbers still read (plain encodings and bundles)", () => {
    const kv = openStore(":memory:");
    const leaf = bigLeaf(4);
    const leafEnc = encodeNode(leaf);
    const children: (NodeRef | null)[] = NO_CHILDREN.slice();
    children[1] = leaf;
    children[2] = bigLeaf(5);
    const branch = new BranchNode(children, null);
    const enc = encodeNode(branch);
    // legacy bundle: enc ‖ bitmap (bit 15-i = child i follows) ‖ enc(child 1); child 2 has its own row by hash
    const row = new Uint8Array([...enc, 0x40, 0x00, ...leafEnc]);
    const other = children[2] as LeafNode;
    kv.put(nodeKey(branch.hash as Uint8Array), row);
    kv.put(nodeKey(other.hash as Uint8Array), encodeNode(other));
    const store = new StateStore(kv);
    const node = store.loadNode(new HashNode(branch.hash as Uint8Array));
    expect(node?.kind).toBe(0);
    const kids = node?.kind === 0 ? node.children : [];
    expect(kids[1]?.kind).not.toBe(HASH);
    expect(kids[2]?.kind).toBe(HASH);
    const loaded = store.loadNode(kids[2] as HashNode);
    expect(bytesToHex(loaded?.enc as Uint8Array)).toBe(bytesToHex(encodeNode(other)));
  });

  test("a numbered row that holds another node is refused with CORRUPT_NODE", () => {
    const kv = openStore(":memory:");
    const c = commitAccounts(new StateStore(kv), EMPTY_TRIE_ROOT, 0, 200, 1n);
    const [first, second] = keysWith(kv, NODE_SEQ_PREFIX);
    kv.put(first as Uint8Array, kv.get(second as Uint8Array) as Uint8Array);
    const cold = new StateReader(new StateStore(kv), c.root);
    let err: unknown;
    try {
      for (let i = 0; i < 200; i++) cold.getAccount(addr(i));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateError);
    expect((err as StateError).type.code).toBe("STATE_ERROR_CORRUPT_NODE");
  });
});
