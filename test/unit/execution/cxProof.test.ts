// Incoming cross-shard receipts (DESIGN §Sharding, issue 10 acceptance 2, execution half): the strict
// codecs, proofs against the source header's outgoingCxReceiptsRoot, and the spent-set — a receipt
// included twice, a forged proof, a block that is not crosslinked and a receipt for another shard are
// each rejected with a typed error.
import { describe, expect, test } from "bun:test";
import {
  ChainConfig, type CxProof, type CxReceipt, CxError, CxErrorCode, DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT, createCxReceipt, createDevGenesis, createHeader, computeCxReceiptsRoot,
  decodeCxProof, decodeCxReceipt, encodeCxProof, encodeCxReceipt, keccak256, rlpEncode,
} from "../../../src/core/index.ts";
import { Chain } from "../../../src/chain/index.ts";
import { CX_ADDRESS_BYTES } from "../../../src/execution/cxAbi.ts";
import { applyIncomingReceipts, isCxReceiptSpent } from "../../../src/execution/cxIncoming.ts";
import { type CxSourceBlock, createCxProof, verifyCxProof } from "../../../src/execution/cxProof.ts";
import { WorldState } from "../../../src/state/index.ts";
import { openStore } from "../../../src/store/index.ts";

const CONFIG = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), shardCount: 4 });
const MAX = CONFIG.maxIncomingReceiptsPerBlock;
const addr = (b: number) => new Uint8Array(20).fill(b);
const hash = (b: number) => keccak256(Uint8Array.of(b));

/** Block 10 of shard 0 sending `n` receipts round-robin to shards 1..3 (two from one transaction). */
function sourceBlock(n = 9) {
  const outgoing: CxReceipt[] = Array.from({ length: n }, (_, i) =>
    createCxReceipt({ from: addr(1 + i), to: addr(100 + i), fromShard: 0, toShard: 1 + (i % 3), amount: 1000n + BigInt(i), txHash: hash(i < 2 ? 0 : i) }),
  );
  const header = createHeader({ shardId: 0, number: 10n, outgoingCxReceiptsRoot: computeCxReceiptsRoot(outgoing) });
  return { header, outgoing };
}

const linked = (...hs: { hash: Uint8Array }[]) => (s: CxSourceBlock) => hs.some((h) => h.hash.every((x, i) => x === s.hash[i]));
const cxCode = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof CxError) return e.code;
    throw e;
  }
  return "no error";
};

async function shardWorld(shardId: number): Promise<WorldState> {
  const chain = await shardChain(shardId);
  return new WorldState(chain.state, chain.head.stateRoot);
}

async function shardChain(shardId: number): Promise<Chain> {
  const genesis = createDevGenesis({ config: CONFIG });
  // A shard chain follows a beacon chain (its epochs and committees); shard 0 is its own.
  const beacon = shardId === 0 ? undefined : (await Chain.open(openStore(":memory:"), { genesis, senderPool: null })).beaconView();
  return Chain.open(openStore(":memory:"), { genesis, senderPool: null, shardId, ...(beacon ? { beacon } : {}) });
}

describe("CX receipt codec", () => {
  test("round trip; non-canonical or malformed bytes are MALFORMED", () => {
    const { outgoing } = sourceBlock();
    const r = outgoing[4] as CxReceipt;
    const enc = encodeCxReceipt(r);
    expect(decodeCxReceipt(enc)).toEqual(r);
    const fields = [r.from, r.to, Uint8Array.of(0), Uint8Array.of(1), Uint8Array.of(0x03, 0xec), r.txHash];
    const bad: Uint8Array[] = [
      Uint8Array.of(...enc, 0x80), // trailing bytes
      rlpEncode(fields.map((f, i) => (i === 2 ? Uint8Array.of(0) : f))), // shard 0 with a leading zero
      rlpEncode(fields.map((f, i) => (i === 4 ? Uint8Array.of(0, 0x03, 0xec) : f))), // amount with a leading zero
      rlpEncode(fields.map((f, i) => (i === 4 ? new Uint8Array(0) : i === 2 ? new Uint8Array(0) : f))), // zero amount
      rlpEncode(fields.map((f, i) => (i === 0 ? f.subarray(1) : i === 2 ? new Uint8Array(0) : f))), // 19-byte address
      rlpEncode(fields.slice(1)), // 5 fields
      rlpEncode(fields.map((f, i) => (i === 3 ? new Uint8Array(5).fill(1) : i === 2 ? new Uint8Array(0) : f))), // shard beyond uint32
      Uint8Array.of(0xc0),
      new Uint8Array(0),
    ];
    for (const b of bad) expect(cxCode(() => decodeCxReceipt(b))).toBe(CxErrorCode.MALFORMED);
    expect(() => createCxReceipt({ ...r, amount: 0n })).toThrow(RangeError);
  });

  test("proof codec: round trip; empty, unordered, too many receipts or a bad header are MALFORMED", () => {
    const { header, outgoing } = sourceBlock();
    const p = createCxProof(header, outgoing, 2) as CxProof;
    expect(p.receipts.map((x) => x.index)).toEqual([1, 4, 7]);
    const back = decodeCxProof(encodeCxProof(p), MAX);
    expect(back.header.hash).toEqual(header.hash);
    expect(back.receipts).toEqual(p.receipts);
    expect(back.nodes).toEqual(p.nodes);
    const variants: CxProof[] = [
      { ...p, receipts: [] },
      { ...p, receipts: [p.receipts[1]!, p.receipts[0]!] },
      { ...p, receipts: [p.receipts[0]!, p.receipts[0]!] },
    ];
    for (const v of variants) expect(cxCode(() => decodeCxProof(encodeCxProof(v), MAX))).toBe(CxErrorCode.MALFORMED);
    expect(cxCode(() => decodeCxProof(encodeCxProof(p), 2))).toBe(CxErrorCode.MALFORMED);
    expect(cxCode(() => decodeCxProof(rlpEncode([[new Uint8Array(3)], [], []]), MAX))).toBe(CxErrorCode.MALFORMED);
    expect(cxCode(() => decodeCxProof(Uint8Array.of(0xff), MAX))).toBe(CxErrorCode.MALFORMED);
    const two = sourceBlock(2); // sends to shards 1 and 2 only
    expect(createCxProof(two.header, two.outgoing, 3)).toBeUndefined();
    expect(() => createCxProof(header, outgoing.slice(1), 3)).toThrow(RangeError);
  });
});

describe("verifyCxProof", () => {
  test("each destination's receipts prove against the source header once it is crosslinked", () => {
    const { header, outgoing } = sourceBlock();
    for (const shardId of [1, 2, 3]) {
      const p = createCxProof(header, outgoing, shardId) as CxProof;
      expect(p.receipts.every((x) => x.receipt.toShard === shardId && outgoing[x.index] === x.receipt)).toBe(true);
      verifyCxProof(decodeCxProof(encodeCxProof(p), MAX), { shardId, isCrosslinked: linked(header) });
    }
    // One receipt among 6,000 has a longest path (7 nodes): its proof still decodes and proves.
    const many = Array.from({ length: 6000 }, (_, i) => createCxReceipt({ from: addr(1), to: addr(2), fromShard: 0, toShard: i === 4321 ? 1 : 2, amount: BigInt(i + 1), txHash: hash(i & 255) }));
    const bigHeader = createHeader({ shardId: 0, number: 11n, outgoingCxReceiptsRoot: computeCxReceiptsRoot(many) });
    const lone = createCxProof(bigHeader, many, 1) as CxProof;
    expect(lone.receipts.map((x) => x.index)).toEqual([4321]);
    expect(lone.nodes.length).toBe(7);
    verifyCxProof(decodeCxProof(encodeCxProof(lone), MAX), { shardId: 1, isCrosslinked: linked(bigHeader) });
    const { header: one, outgoing: single } = sourceBlock(1);
    verifyCxProof(createCxProof(one, single, 1) as CxProof, { shardId: 1, isCrosslinked: linked(one) });
  });

  test("a forged proof is PROOF_INVALID: altered amount, recipient or index, a missing node, nodes of another block", () => {
    const { header, outgoing } = sourceBlock();
    const p = createCxProof(header, outgoing, 1) as CxProof;
    const opts = { shardId: 1, isCrosslinked: linked(header) };
    const first = p.receipts[0]!;
    const forged: CxProof[] = [
      { ...p, receipts: [{ index: first.index, receipt: { ...first.receipt, amount: first.receipt.amount * 1000n } }] },
      { ...p, receipts: [{ index: first.index, receipt: { ...first.receipt, to: addr(0xee) } }] },
      { ...p, receipts: [{ index: 3, receipt: first.receipt }] }, // real receipt, claimed at another index
      { ...p, receipts: [{ index: 30, receipt: first.receipt }] }, // an index the block never had
      { ...p, nodes: p.nodes.slice(1) },
      { ...p, nodes: p.nodes.map((n, i) => (i === p.nodes.length - 1 ? Uint8Array.of(...n.subarray(0, -1), n[n.length - 1]! ^ 1) : n)) },
    ];
    for (const f of forged) expect(cxCode(() => verifyCxProof(f, opts))).toBe(CxErrorCode.PROOF_INVALID);
    // Receipts and nodes of another (crosslinked) block do not prove under this header.
    const other = sourceBlock(12);
    const q = createCxProof(other.header, other.outgoing, 1) as CxProof;
    expect(cxCode(() => verifyCxProof({ ...q, header }, { shardId: 1, isCrosslinked: linked(header, other.header) }))).toBe(CxErrorCode.PROOF_INVALID);
  });

  test("a block that is not crosslinked is NOT_CROSSLINKED, even with a consistent proof", () => {
    const { header, outgoing } = sourceBlock();
    const p = createCxProof(header, outgoing, 1) as CxProof;
    expect(cxCode(() => verifyCxProof(p, { shardId: 1, isCrosslinked: () => false }))).toBe(CxErrorCode.NOT_CROSSLINKED);
    // A header made up to commit to invented receipts: self-consistent, but no crosslink names it.
    const invented = [createCxReceipt({ from: addr(9), to: addr(9), fromShard: 0, toShard: 1, amount: 10n ** 30n, txHash: hash(99) })];
    const fake = createHeader({ shardId: 0, number: 10n, outgoingCxReceiptsRoot: computeCxReceiptsRoot(invented) });
    const fp = createCxProof(fake, invented, 1) as CxProof;
    expect(cxCode(() => verifyCxProof(fp, { shardId: 1, isCrosslinked: linked(header) }))).toBe(CxErrorCode.NOT_CROSSLINKED);
    let asked: CxSourceBlock | undefined;
    verifyCxProof(p, { shardId: 1, isCrosslinked: (s) => ((asked = s), true) });
    expect(asked).toEqual({ shardId: 0, number: 10n, hash: header.hash });
  });

  test("receipts for another shard, or not from the header's shard, are WRONG_SHARD", () => {
    const { header, outgoing } = sourceBlock();
    const p = createCxProof(header, outgoing, 2) as CxProof;
    expect(cxCode(() => verifyCxProof(p, { shardId: 1, isCrosslinked: linked(header) }))).toBe(CxErrorCode.WRONG_SHARD);
    const r = p.receipts[0]!;
    expect(cxCode(() => verifyCxProof({ ...p, receipts: [{ index: r.index, receipt: { ...r.receipt, fromShard: 3 } }] }, { shardId: 2, isCrosslinked: linked(header) }))).toBe(CxErrorCode.WRONG_SHARD);
  });
});

describe("applyIncomingReceipts: the spent-set", () => {
  test("credits once; a receipt included twice (same batch or a later one) is ALREADY_SPENT and changes nothing", async () => {
    const { header, outgoing } = sourceBlock();
    const p = createCxProof(header, outgoing, 1) as CxProof;
    const chain = await shardChain(1);
    const world = new WorldState(chain.state, chain.head.stateRoot);
    const opts = { shardId: 1, maxReceipts: MAX };
    const res = applyIncomingReceipts(world, p.receipts, opts);
    expect(res.cxIn).toBe(p.receipts.reduce((n, x) => n + x.receipt.amount, 0n));
    expect(res.incomingCxReceiptsRoot).toEqual(computeCxReceiptsRoot(p.receipts.map((x) => x.receipt)));
    for (const x of p.receipts) {
      expect(world.getAccount(x.receipt.to)?.balance).toBe(x.receipt.amount);
      expect(isCxReceiptSpent(world, x.receipt.txHash, x.index)).toBe(true);
    }
    // Two receipts of one transaction (indexes 0 and 1 share a txHash) are distinct entries.
    expect(isCxReceiptSpent(world, hash(0), 1)).toBe(false);
    const commit = world.commit();
    chain.kv.batch(commit.ops);
    chain.state.cacheCommitted(commit);
    const again = new WorldState(chain.state, commit.root);
    expect(cxCode(() => applyIncomingReceipts(again, [p.receipts[1]!], opts))).toBe(CxErrorCode.ALREADY_SPENT);
    const fresh = await shardWorld(1);
    const r = p.receipts[0]!;
    expect(cxCode(() => applyIncomingReceipts(fresh, [r, p.receipts[1]!, r], opts))).toBe(CxErrorCode.ALREADY_SPENT);
    expect(fresh.getAccount(r.receipt.to)).toBeNull(); // all or nothing
    expect(isCxReceiptSpent(fresh, r.receipt.txHash, r.index)).toBe(false);
    expect(fresh.getAccount(CX_ADDRESS_BYTES)).toBeNull();
  });

  test("a receipt for another shard is WRONG_SHARD; more than maxReceipts is TOO_MANY; none is the empty root", async () => {
    const { header, outgoing } = sourceBlock();
    const world = await shardWorld(1);
    const p2 = createCxProof(header, outgoing, 2) as CxProof;
    expect(cxCode(() => applyIncomingReceipts(world, p2.receipts, { shardId: 1, maxReceipts: MAX }))).toBe(CxErrorCode.WRONG_SHARD);
    const p1 = createCxProof(header, outgoing, 1) as CxProof;
    expect(cxCode(() => applyIncomingReceipts(world, p1.receipts, { shardId: 1, maxReceipts: 2 }))).toBe(CxErrorCode.TOO_MANY);
    expect(applyIncomingReceipts(world, [], { shardId: 1, maxReceipts: MAX })).toEqual({ cxIn: 0n, incomingCxReceiptsRoot: EMPTY_TRIE_ROOT });
  });
});
