// A leader's choice of incoming CX receipts (DESIGN §Sharding: at most maxIncomingReceiptsPerBlock per
// block, the rest later): proofs that do not verify or are not crosslinked are skipped, receipts already
// credited or already taken are dropped, and the proof that crosses the cap is cut to the receipts that
// fit — a narrowed proof (its own nodes only) that every node accepts and that round-trips through the
// block encoding under the same bound.
import { beforeAll, describe, expect, test } from "bun:test";
import { BlockErrorCode, type CxProof, type GenesisSpec, createBlock, decodeBlock } from "../../../src/core/index.ts";
import { selectIncomingProofs } from "../../../src/chain/index.ts";
import { narrowCxProof } from "../../../src/execution/index.ts";
import { type ShardKeys, addr, cxTx, openBeacon, openShard1, produceNext, shardConfig, shardGenesis, shardKeys, signedCrossLink } from "./_shards.ts";

const config = shardConfig({ maxIncomingReceiptsPerBlock: 3 });
let k: ShardKeys;
let genesis: GenesisSpec;

beforeAll(async () => {
  k = await shardKeys();
  genesis = shardGenesis(k, config);
});

const to = (i: number) => addr(0xb0 + i);

/** Shard-1 block 1 sending 1..5 wei to five addresses on shard 0, crosslinked on the leader and the follower. */
async function fiveReceipts() {
  const leader = await openBeacon(genesis);
  const follower = await openBeacon(genesis);
  const shard1 = await openShard1(genesis, leader.beaconView());
  const sent = await produceNext(shard1, [1, 2, 3, 4, 5].map((i) => cxTx(config, 1, 2, BigInt(i - 1), BigInt(i), to(i), 0)));
  const linked = await produceNext(leader, [], { pendingCrossLinks: [signedCrossLink(k, sent.header)] });
  await follower.insertBlock(linked);
  const proof = shard1.getCxProof(sent.number, 0) as CxProof;
  // A block not crosslinked, and a forged proof: both skipped.
  const unlinked = shard1.getCxProof((await produceNext(shard1, [cxTx(config, 1, 3, 0n, 50n, to(9), 0)])).number, 0) as CxProof;
  const forged: CxProof = { ...proof, receipts: proof.receipts.map((r) => ({ ...r, receipt: { ...r.receipt, amount: r.receipt.amount * 2n } })) };
  return { leader, follower, shard1, proof, unlinked, forged };
}

const balances = (c: { headState(): { getBalance(a: Uint8Array): bigint } }) => [1, 2, 3, 4, 5, 9].map((i) => c.headState().getBalance(to(i)));

describe("proposeBlock's selection of incoming receipts", () => {
  test("cap: the first 3 receipts now (the proof cut to them), the other 2 in the next block, nothing after", async () => {
    const { leader, follower, proof, unlinked, forged } = await fiveReceipts();
    expect(proof.receipts).toHaveLength(5);
    const pending = [unlinked, forged, proof, proof];
    const b2 = await produceNext(leader, [], { pendingIncoming: pending });
    expect(b2.incoming).toHaveLength(1);
    const cut = b2.incoming[0] as CxProof;
    expect(cut.receipts.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(cut.nodes.length).toBeLessThan(proof.nodes.length);
    expect(balances(leader)).toEqual([1n, 2n, 3n, 0n, 0n, 0n]);
    // Another node decodes it under the same bound and accepts it.
    await follower.insertBlock(follower.decodeBlock(b2.encode()));
    expect(balances(follower)).toEqual([1n, 2n, 3n, 0n, 0n, 0n]);

    const b3 = await produceNext(leader, [], { pendingIncoming: pending });
    expect(b3.incoming.map((p) => p.receipts.map((r) => r.index))).toEqual([[3, 4]]);
    await follower.insertBlock(follower.decodeBlock(b3.encode()));
    expect(balances(follower)).toEqual([1n, 2n, 3n, 4n, 5n, 0n]);

    const b4 = await produceNext(leader, [], { pendingIncoming: pending });
    expect(b4.incoming).toEqual([]);
    await follower.insertBlock(b4);
    expect(follower.head.hash).toEqual(leader.head.hash);
  });

  test("a block over the cap is refused: MALFORMED when decoded, TOO_MANY when built in memory", async () => {
    const { leader, follower, proof } = await fiveReceipts();
    const b2 = (await leader.proposeBlock([], { timestamp: leader.head.timestamp + 1n })).block;
    const over = createBlock(b2.header, [], [proof]);
    expect(() => follower.decodeBlock(over.encode())).toThrow(expect.objectContaining({ code: BlockErrorCode.MALFORMED }));
    expect(decodeBlock(over.encode(), follower.common).incoming).toHaveLength(1); // the default bound is the dev preset's
    await expect(follower.insertBlock(over)).rejects.toMatchObject({ type: { code: BlockErrorCode.CX_RECEIPT_INVALID, cxCode: "CX_ERROR_TOO_MANY" } });
    expect(balances(follower)).toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
  });

  test("split proofs carry only their own nodes and still verify; order given is kept across proofs", async () => {
    const { leader, proof } = await fiveReceipts();
    const env = { shardId: 0, maxReceipts: 3, isCrosslinked: (s: { shardId: number; number: bigint; hash: Uint8Array }) => leader.beaconView().isCrosslinked(s) };
    const last = narrowCxProof(proof, proof.receipts.slice(4));
    const first = narrowCxProof(proof, proof.receipts.slice(0, 1));
    // The spent-set and the cap: receipt 1 is "spent", so 4, 0, 2, 3 are the candidates; 3 fit.
    const picked = selectIncomingProofs([last, first, proof], { ...env, isSpent: (_h, i) => i === 1 });
    expect(picked.map((p) => p.receipts.map((r) => r.index))).toEqual([[4], [0], [2]]);
    expect(picked[0]).toBe(last); // taken whole: not rebuilt
    for (const p of picked) expect(p.nodes.length).toBeLessThan(proof.nodes.length);
    expect(() => narrowCxProof(proof, [proof.receipts[2], proof.receipts[1]] as never)).toThrow(RangeError);
    expect(() => narrowCxProof(proof, [])).toThrow(RangeError);
  });
});
