// A shard chain follows the beacon chain (DESIGN §Chain and shards: "shard epochs follow the beacon"):
// its committees are the beacon's shard state; once the beacon has settled a later epoch, the next
// shard block closes its epoch by carrying the beacon's next committees (its `shardState`, the epoch
// marker), and the block after it is in the next epoch — decided by the shard chain alone. A marker
// the node's beacon has not settled yet is EPOCH_AHEAD_OF_BEACON ("not yet": accepted once the beacon
// catches up); a marker that differs from the beacon's is SHARD_STATE_MISMATCH.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Block, BlockErrorCode, ChainConfig, DEV_CHAIN_CONFIG, TOKEN, createBlock, createDevGenesis, createHeader, encodeShardState } from "../../../src/core/index.ts";
import { Chain, isBeaconLagError } from "../../../src/chain/index.ts";
import { getCommitteeSpec } from "../../../src/shard/index.ts";
import { DEC_ONE } from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";
import { type ShardKeys, openBeacon, openShard1, shardKeys } from "./_shards.ts";

// Staking on: the beacon's epoch end at block 3 elects epoch 1's committees (shard 1's changes).
const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), shardCount: 2, epochBlocks: 4, activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, staking: 0n } });
let k: ShardKeys;

beforeAll(async () => {
  k = await shardKeys();
});

function genesis() {
  const v = (n: number, key: Uint8Array) => ({
    address: new Uint8Array(20).fill(0x70 + n), blsKeys: [key], stake: 1_000n * TOKEN, commissionRate: DEC_ONE / 10n, maxCommissionRate: DEC_ONE / 2n,
    maxChangeRate: DEC_ONE / 20n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 10_000n * TOKEN, name: "v",
  });
  const beaconKeys = [k.beacon[0] as Uint8Array, k.shard1[3] as Uint8Array];
  return { ...createDevGenesis({ config, committees: [beaconKeys, k.shard1.slice(0, 3)] }), validators: beaconKeys.map((key, i) => v(i, key)) };
}

const nextBeacon = async (c: Chain) => (await c.produceBlock([], { timestamp: c.head.timestamp + 1n, lastCommitBitmap: Uint8Array.of(3) }))?.block as Block;
const nextShard = async (c: Chain) => (await c.produceBlock([], { timestamp: c.head.timestamp + 1n }))?.block as Block;

describe("a shard chain follows the beacon chain", () => {
  test("epochs step with the beacon's settled epoch; committees are the beacon's; EPOCH_AHEAD_OF_BEACON until the node's beacon catches up", async () => {
    const spec = genesis();
    const beacon = await openBeacon(spec);
    const lagging = await openBeacon(spec); // another node's beacon follower, fed by hand
    const shard = await openShard1(spec, beacon.beaconView());
    const peer = await openShard1(spec, lagging.beaconView());
    expect(shard.beaconView()).toBe(beacon.beaconView());
    expect(beacon.beaconView().settledEpoch()).toBe(0n);

    const b = [await nextBeacon(beacon), await nextBeacon(beacon)];
    for (const x of b) await lagging.insertBlock(x);
    const s1 = await nextShard(shard);
    expect(s1.header.epoch).toBe(0n);
    expect(shard.isEpochSettled(1n)).toBe(false);

    b.push(await nextBeacon(beacon)); // block 3: the epoch end electing epoch 1
    expect(beacon.beaconView().settledEpoch()).toBe(1n);
    expect(shard.isEpochSettled(1n)).toBe(true);
    const e0 = getCommitteeSpec(beacon.shardStateAt(0n), 1);
    const e1 = getCommitteeSpec(beacon.shardStateAt(1n), 1);
    expect(e1?.keys.map(bytesToHex)).not.toEqual(e0?.keys.map(bytesToHex));
    expect(shard.committeeSpecAt(1n)).toEqual(e1);
    expect(shard.committeeSpecAt(0n)).toEqual(e0);

    // Block 2 closes epoch 0 (it carries epoch 1's committees); block 3 is in epoch 1.
    const s2 = await nextShard(shard);
    expect(s2.header.epoch).toBe(0n);
    expect(s2.header.shardState).toEqual(encodeShardState(beacon.shardStateAt(1n)));
    expect(shard.nextEpoch(shard.head)).toBe(1n);
    const s3 = await nextShard(shard);
    expect(s3.header.epoch).toBe(1n);
    expect(s3.header.shardState.length).toBe(0); // nothing later is settled

    // The peer's beacon has settled epoch 0 only: block 1 goes in, block 2 (closing epoch 0) waits.
    await peer.insertBlock(s1);
    await expect(peer.insertBlock(s2)).rejects.toMatchObject({ type: { code: BlockErrorCode.EPOCH_AHEAD_OF_BEACON, epoch: 1n, settled: 0n } });
    const lag = await peer.verifyBlock(s2).catch((e) => e);
    expect(lag).toMatchObject({ type: { code: BlockErrorCode.EPOCH_AHEAD_OF_BEACON } });
    expect(isBeaconLagError(lag)).toBe(true);
    expect(peer.head.hash).toEqual(s1.hash);
    await lagging.insertBlock(b[2] as Block);
    // A marker other than the beacon's committees is refused.
    const forged = createBlock(createHeader({ ...s2.header, shardState: encodeShardState(beacon.shardStateAt(0n)) }));
    await expect(peer.verifyBlock(forged)).rejects.toMatchObject({ type: { code: BlockErrorCode.SHARD_STATE_MISMATCH } });
    await peer.insertBlock(s2);
    await peer.insertBlock(s3);
    expect(peer.head.hash).toEqual(s3.hash);

    // The beacon runs two epochs ahead: the shard catches up one epoch per block.
    for (let i = 0; i < 8; i++) b.push(await nextBeacon(beacon));
    expect(beacon.beaconView().settledEpoch()).toBe(3n);
    const epochs = [];
    for (let i = 0; i < 4; i++) epochs.push((await nextShard(shard)).header.epoch);
    expect(epochs).toEqual([1n, 2n, 3n, 3n]);
  });

  test("a leader whose beacon lags closes no epoch; a node with a later beacon accepts its block and closes the epoch with its own", async () => {
    const spec = genesis();
    const beacon = await openBeacon(spec);
    const lagging = await openBeacon(spec);
    for (let i = 0; i < 4; i++) await nextBeacon(beacon);
    const slow = await openShard1(spec, lagging.beaconView());
    const fast = await openShard1(spec, beacon.beaconView());
    const s1 = await nextShard(slow);
    expect(s1.header.epoch).toBe(0n);
    expect(s1.header.shardState.length).toBe(0);
    await fast.insertBlock(s1);
    const s2 = await nextShard(fast);
    expect([s2.header.epoch, s2.header.shardState.length > 0]).toEqual([0n, true]);
    expect((await nextShard(fast)).header.epoch).toBe(1n);
  });

  test("with a close delay, a leader closes the epoch only once the beacon head is that many blocks past the election (time for newly dealt nodes to sync)", async () => {
    const spec = genesis();
    const beacon = await openBeacon(spec);
    const shard = await openShard1(spec, beacon.beaconView(), 2);
    for (let i = 0; i < 3; i++) await nextBeacon(beacon); // block 3 elects epoch 1
    expect(beacon.beaconView().settledEpoch()).toBe(1n);
    const early = [await nextShard(shard), await nextShard(shard)];
    await nextBeacon(beacon); // head 4: one block past the election
    early.push(await nextShard(shard));
    expect(early.map((b) => b.header.shardState.length)).toEqual([0, 0, 0]);
    await nextBeacon(beacon); // head 5 = election + 2
    const close = await nextShard(shard);
    expect([close.header.epoch, close.header.shardState.length > 0]).toEqual([0n, true]);
    expect((await nextShard(shard)).header.epoch).toBe(1n);
  });

  test("a shard chain of a multi-shard network without a beacon view is refused at open", async () => {
    await expect(Chain.open(openStore(":memory:"), { genesis: genesis(), shardId: 1, senderPool: null })).rejects.toThrow(TypeError);
  });
});
