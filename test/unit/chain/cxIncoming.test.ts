// Incoming cross-shard receipts through the chain (DESIGN §Sharding, issue 10 acceptance 2, the
// validation half): a shard-1 chain sends, a beacon chain crosslinks the block with a real BLS commit
// proof, the beacon leader includes the proof in a block body, every beacon node checks it and credits
// the receipt exactly once. A receipt included twice (in one block, or again later), a forged proof
// (amount, node, index), a proof of a block that is not crosslinked and a proof addressed to another
// shard are each rejected with their code, and the state stays as it was.
import { beforeAll, describe, expect, test } from "bun:test";
import {
  type Block, BlockErrorCode, type CxProof, CxErrorCode, type CxReceipt, DEV_ACCOUNT_BALANCE, type GenesisSpec, computeCxReceiptsRoot, createBlock, createCxReceipt,
} from "../../../src/core/index.ts";
import { type Chain, getBlockEncodingByNumber, isBeaconLagError } from "../../../src/chain/index.ts";
import { addrs } from "./_helpers.ts";
import { expectSupplyAccount } from "./_supply.ts";
import { type ShardKeys, addr, cxTx, openBeacon, openShard1, produceNext, shardConfig, shardGenesis, shardKeys, signedCrossLink } from "./_shards.ts";

const config = shardConfig();
let k: ShardKeys;
let genesis: GenesisSpec;

beforeAll(async () => {
  k = await shardKeys();
  genesis = shardGenesis(k, config);
});

const AMOUNT = 7n * 10n ** 18n + 3n;
const TO = addr(0xa1);

/**
 * A beacon leader and follower, a shard-1 chain following the leader, shard-1 block 1 sending AMOUNT
 * to TO on shard 0, crosslinked by beacon block 1 (in both beacon chains).
 */
async function network() {
  const leader = await openBeacon(genesis);
  const follower = await openBeacon(genesis);
  const shard1 = await openShard1(genesis, leader.beaconView());
  const sent = await produceNext(shard1, [cxTx(config, 1, 2, 0n, AMOUNT, TO, 0)]);
  const b1 = await produceNext(leader, [], { pendingCrossLinks: [signedCrossLink(k, sent.header)] });
  expect(b1.header.crossLinks.length).toBeGreaterThan(0);
  await follower.insertBlock(b1);
  const proof = shard1.getCxProof(sent.number, 0) as CxProof;
  return { leader, follower, shard1, sent, proof };
}

/** `template`'s header with another body of incoming proofs (the header's roots unchanged: a forgery). */
const withIncoming = (template: Block, incoming: CxProof[]) => createBlock(template.header, [...template.transactions], incoming);

/** The next beacon block on `chain`'s head without committing it (a leader's proposal). */
async function proposal(chain: Chain, pendingIncoming: CxProof[] = []): Promise<Block> {
  return (await chain.proposeBlock([], { timestamp: chain.head.timestamp + 1n, pendingIncoming })).block;
}

async function rejected(chain: Chain, block: Block, cxCode: string, proof: number) {
  const head = chain.head.hash;
  const balance = chain.headState().getBalance(TO);
  await expect(chain.insertBlock(block)).rejects.toMatchObject({ type: { code: BlockErrorCode.CX_RECEIPT_INVALID, cxCode, proof } });
  expect(chain.head.hash).toEqual(head);
  expect(chain.headState().getBalance(TO)).toBe(balance);
}

describe("incoming CX receipts in beacon blocks", () => {
  test("happy path: sent on shard 1, crosslinked, included with its proof, credited exactly once on every beacon node", async () => {
    const { leader, follower, shard1, sent, proof } = await network();
    const txHash = sent.transactions[0]?.hash() as Uint8Array;
    const receipt = createCxReceipt({ from: addrs[2] as Uint8Array, to: TO, fromShard: 1, toShard: 0, amount: AMOUNT, txHash });
    // The source side keeps what it sent: by block, by transaction, as a proof per destination.
    expect(shard1.getOutgoingCxReceipts(sent.hash)).toEqual([receipt]);
    expect(shard1.getCxReceipt(txHash)).toEqual({ receipt, blockHash: sent.hash, blockNumber: 1n, index: 0 });
    expect(shard1.getOutgoingCxReceipts(shard1.genesis.hash)).toEqual([]);
    expect(shard1.getOutgoingCxReceipts(new Uint8Array(32))).toBeUndefined();
    expect(shard1.getCxProof(sent.number, 1)).toBeUndefined();
    expect(proof.receipts).toEqual([{ index: 0, receipt }]);
    expect(leader.isCxReceiptSpent(receipt, 0)).toBe(false);

    const b2 = await produceNext(leader, [], { pendingIncoming: [proof] });
    expect(b2.incoming).toHaveLength(1);
    expect(b2.header.incomingCxReceiptsRoot).toEqual(computeCxReceiptsRoot([receipt]));
    expect(leader.headState().getBalance(TO)).toBe(AMOUNT);
    expect(leader.isCxReceiptSpent(receipt, 0)).toBe(true);
    expect(leader.getBurntFees(b2.hash)).toMatchObject({ cxIn: AMOUNT, cumulativeCxIn: AMOUNT });

    // The block travels as bytes (third RLP element) and the follower checks the proof itself.
    await follower.insertBlock(follower.decodeBlock(b2.encode()));
    expect(follower.head.hash).toEqual(b2.hash);
    expect(follower.headState().getBalance(TO)).toBe(AMOUNT);
    // Stored with the block: served to peers as it came.
    expect(follower.getBlockByHash(b2.hash)?.incoming[0]?.receipts).toEqual(proof.receipts);
    expect(getBlockEncodingByNumber(follower, 2n)).toEqual(b2.encode());

    // Offered again: the leader leaves it out (spent), and a block carrying it is refused.
    const b3 = await proposal(leader, [proof]);
    expect(b3.incoming).toEqual([]);
    await rejected(follower, withIncoming(b3, [proof]), CxErrorCode.ALREADY_SPENT, 0);
    await follower.insertBlock(b3);
    expect(follower.headState().getBalance(TO)).toBe(AMOUNT);
    // Sent and credited in the supply accounts: shard 1's cx out (and its fees), the beacon's cx in.
    const sentTotals = expectSupplyAccount(shard1);
    expect(sentTotals.cxOut).toBe(AMOUNT);
    expect(sentTotals.burnt).toBeGreaterThan(0n);
    expect(expectSupplyAccount(leader)).toMatchObject({ cxIn: AMOUNT, cxOut: 0n });
    expect(expectSupplyAccount(follower)).toMatchObject({ cxIn: AMOUNT, cxOut: 0n });
  });

  test("the same receipt twice in one block: the leader takes it once; a block with both is refused", async () => {
    const { leader, follower, proof } = await network();
    const b2 = await proposal(leader, [proof, proof]);
    expect(b2.incoming).toHaveLength(1);
    await rejected(follower, withIncoming(b2, [proof, proof]), CxErrorCode.ALREADY_SPENT, 1);
    await follower.insertBlock(b2);
    expect(follower.headState().getBalance(TO)).toBe(AMOUNT);
  });

  test("forged proofs: tampered amount, a swapped node, a changed index — PROOF_INVALID", async () => {
    const { leader, follower, shard1, proof } = await network();
    const r = proof.receipts[0] as { index: number; receipt: CxReceipt };
    const b2 = await proposal(leader);
    const tampered: CxProof = { ...proof, receipts: [{ index: 0, receipt: { ...r.receipt, amount: r.receipt.amount + 1n } }] };
    // Another block's proof node in place of this one's.
    const other = await produceNext(shard1, [cxTx(config, 1, 3, 0n, 5n, TO, 0)]);
    const otherProof = shard1.getCxProof(other.number, 0) as CxProof;
    const swapped: CxProof = { ...proof, nodes: otherProof.nodes };
    const moved: CxProof = { ...proof, receipts: [{ index: 1, receipt: r.receipt }] };
    for (const forged of [tampered, swapped, moved]) {
      await rejected(follower, withIncoming(b2, [forged]), CxErrorCode.PROOF_INVALID, 0);
      // The leader's selection drops it as well.
      expect((await proposal(leader, [forged])).incoming).toEqual([]);
    }
    // After a good proof, a forged one is named by its position.
    await rejected(follower, withIncoming(b2, [proof, tampered]), CxErrorCode.PROOF_INVALID, 1);
    expect(follower.headState().getBalance(TO)).toBe(0n);
  });

  test("a proof of a block that is not crosslinked: NOT_CROSSLINKED, until the beacon chain links it", async () => {
    const { leader, follower, shard1 } = await network();
    const later = await produceNext(shard1, [cxTx(config, 1, 4, 0n, 9n, TO, 0)]);
    const proof = shard1.getCxProof(later.number, 0) as CxProof;
    const b2 = await proposal(leader, [proof]);
    expect(b2.incoming).toEqual([]);
    await rejected(follower, withIncoming(b2, [proof]), CxErrorCode.NOT_CROSSLINKED, 0);
    expect(isBeaconLagError(await follower.insertBlock(withIncoming(b2, [proof])).catch((e) => e))).toBe(true);
    expect(isBeaconLagError(await follower.insertBlock(withIncoming(b2, [{ ...proof, receipts: [] }])).catch((e) => e))).toBe(false);
    // Crosslinked by the next beacon block, it is taken by the one after.
    const linked = await produceNext(leader, [], { pendingCrossLinks: [signedCrossLink(k, later.header)] });
    await follower.insertBlock(linked);
    const b3 = await produceNext(leader, [], { pendingIncoming: [proof] });
    expect(b3.incoming).toHaveLength(1);
    await follower.insertBlock(b3);
    expect(follower.headState().getBalance(TO)).toBe(9n);
  });

  test("a proof addressed to another shard: WRONG_SHARD", async () => {
    const { leader, shard1, proof } = await network();
    // Shard 1 is offered the receipts shard 1 sent to shard 0.
    const s2 = await shard1.proposeBlock([], { timestamp: shard1.head.timestamp + 1n, pendingIncoming: [proof] });
    expect(s2.block.incoming).toEqual([]);
    const head = shard1.head.hash;
    await expect(shard1.verifyBlock(withIncoming(s2.block, [proof]))).rejects.toMatchObject({ type: { code: BlockErrorCode.CX_RECEIPT_INVALID, cxCode: CxErrorCode.WRONG_SHARD, proof: 0 } });
    expect(shard1.head.hash).toEqual(head);
    expect(leader.headState().getBalance(TO)).toBe(0n);
  });

  test("shard 0 → shard 1: a final beacon block's receipts are credited on shard 1 (no crosslink needed for beacon blocks)", async () => {
    const beacon = await openBeacon(genesis);
    const shard1 = await openShard1(genesis, beacon.beaconView());
    const peer = await openShard1(genesis, beacon.beaconView());
    const sent = await produceNext(beacon, [cxTx(config, 0, 5, 0n, AMOUNT, TO, 1)]);
    const proof = beacon.getCxProof(sent.number, 1) as CxProof;
    expect(proof.header.hash).toEqual(sent.hash);
    expect(beacon.getBurntFees(sent.hash)).toMatchObject({ cxOut: AMOUNT });
    const s1 = await produceNext(shard1, [], { pendingIncoming: [proof] });
    expect(s1.incoming).toHaveLength(1);
    expect(shard1.headState().getBalance(TO)).toBe(AMOUNT);
    await peer.insertBlock(s1);
    expect(peer.headState().getBalance(TO)).toBe(AMOUNT);
    expect(peer.headState().getBalance(addrs[5] as Uint8Array)).toBe(DEV_ACCOUNT_BALANCE);
    // A beacon block the beacon chain does not hold (another chain's block 1): not crosslinked.
    const stranger = await openBeacon(genesis);
    const foreign = await produceNext(stranger, [cxTx(config, 0, 6, 0n, 1n, TO, 1)]);
    const foreignProof = stranger.getCxProof(foreign.number, 1) as CxProof;
    const s2 = await proposal(shard1, [foreignProof]);
    expect(s2.incoming).toEqual([]);
    await expect(peer.insertBlock(withIncoming(s2, [foreignProof]))).rejects.toMatchObject({ type: { cxCode: CxErrorCode.NOT_CROSSLINKED } });
  });
});
