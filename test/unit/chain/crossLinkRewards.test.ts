// DESIGN §Staking "shard blocks when crosslinked" through the beacon block pipeline (issue 10
// "rewards for shard blocks are paid when crosslinked"): a beacon block that includes crosslinks pays,
// for each, the fixed block reward to the signers in the link's bitmap (the shard's committee of the
// link's epoch, from the beacon chain's shard state) by effective stake, commission to the operator,
// the rest to the validator's pool, and counts their availability; issued supply grows by it. A
// follower recomputes the same payout (a header whose state skips it is rejected).
import { beforeAll, describe, expect, test } from "bun:test";
import { type Block, BlockErrorCode, ChainConfig, DEV_CHAIN_CONFIG, TOKEN, commitPayload, createBlock, createHeader, createDevGenesis } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import { EpochShardStates, getCrossLinkRewards } from "../../../src/chain/epochShardStates.ts";
import { type CrossLink, decodeCrossLinks, encodeCrossLinks } from "../../../src/shard/index.ts";
import { WorldState } from "../../../src/state/index.ts";
import { DEC_ONE, STAKING_ADDRESS_BYTES, StakingState } from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";
import { addrs, devChain, stakedSupply } from "./_helpers.ts";
import { expectSupplyAccount } from "./_supply.ts";

const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), shardCount: 3, epochBlocks: 4, activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, staking: 0n } });
let bls: BLS;
const secret = new Map<string, Uint8Array>();
/** keys[i] = the BLS key of seed i + 1. */
let keys: Uint8Array[];
const key = (i: number) => keys[i] as Uint8Array;
const addr = (n: number) => new Uint8Array(20).fill(0x70 + n);

beforeAll(async () => {
  bls = await createBLS();
  keys = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => {
    const sk = bls.keygen(new Uint8Array(32).fill(i));
    const pk = bls.secretToPublic(sk);
    secret.set(bytesToHex(pk), sk);
    return pk;
  });
});

/**
 * Beacon: V1 (key 0), V2 (key 1). Shard 1: V3 (key 2), V4 (key 3), V5 (key 4). Shard 2: V6 (key 5),
 * V7 (key 6), V3 again (key 7). Bids = stake / keys: 1000, 1000 | 1000, 1100, 900 | 1000, 1050, 1000
 * tokens; the median is 1000, so every bid is within the band and effective stake = bid.
 */
function genesis() {
  const v = (n: number, blsKeys: Uint8Array[], stake: bigint, ratePct: bigint) => ({
    address: addr(n), blsKeys, stake: stake * TOKEN, commissionRate: (DEC_ONE * ratePct) / 100n, maxCommissionRate: DEC_ONE / 2n,
    maxChangeRate: DEC_ONE / 20n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 10_000n * TOKEN, name: `v${n}`,
  });
  const validators = [
    v(1, [key(0)], 1000n, 10n), v(2, [key(1)], 1000n, 10n), v(3, [key(2), key(7)], 2000n, 10n),
    v(4, [key(3)], 1100n, 20n), v(5, [key(4)], 900n, 10n), v(6, [key(5)], 1000n, 10n), v(7, [key(6)], 1050n, 10n),
  ];
  return { ...createDevGenesis({ config, committees: [[key(0), key(1)], [key(2), key(3), key(4)], [key(5), key(6), key(7)]] }), validators };
}

/** A crosslink of `shardId` block `n` signed by the keys in the committee `slots` (indices into `committee`). */
function link(shardId: number, n: bigint, epoch: bigint, committee: readonly number[], slots: readonly number[]): CrossLink {
  const blockHash = new Uint8Array(32).fill(shardId * 16 + Number(n));
  const viewId = n;
  const msg = commitPayload(n, blockHash, viewId);
  const signature = bls.aggregateSignatures(slots.map((s) => bls.sign(secret.get(bytesToHex(key(committee[s] as number))) as Uint8Array, msg)));
  const bitmap = new Uint8Array(1);
  for (const s of slots) bitmap[0] = (bitmap[0] as number) | (1 << s);
  return { shardId, blockNumber: n, viewId, epoch, blockHash, signature, bitmap };
}
const SHARD1 = [2, 3, 4];
const SHARD2 = [5, 6, 7];

const next = (chain: Chain, pendingCrossLinks: CrossLink[] = [], lastCommitBitmap = Uint8Array.of(3)) =>
  chain.produceBlock([], { timestamp: chain.head.timestamp + 1n, lastCommitBitmap, pendingCrossLinks }) as Promise<{ block: Block }>;
const staking = (chain: Chain) => new StakingState(new WorldState(chain.state, chain.head.stateRoot));
const validator = (chain: Chain, n: number) => staking(chain).getValidator(addr(n));
const commission = (chain: Chain, n: number) => staking(chain).getDelegation(addr(n), addr(n))?.reward;

const supply = stakedSupply;

describe("rewards for crosslinked shard blocks", () => {
  test("worked example: two links of two shards with partial bitmaps, then a beacon reward and a full link in one block", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    // Shard 1 block 1 signed by slots 0, 1 (V3 1000, V4 1100 of 3000: a quorum); shard 2 block 1 by
    // slots 1, 2 (V7 1050, V3 1000 of 3050). Block 1's parent is genesis: no beacon reward yet.
    const b1 = await next(leader, [link(1, 1n, 0n, SHARD1, [0, 1]), link(2, 1n, 0n, SHARD2, [1, 2])]);
    expect(decodeCrossLinks(b1.block.header.crossLinks).map((l) => l.shardId)).toEqual([1, 2]);
    expect(leader.getBurntFees(b1.block.hash)?.issued).toBe(14n * TOKEN); // two shard blocks × 7 tokens
    // Shard 1: 7 × 1000/2100 = 3.3333…33|33 and 7 × 1100/2100 = 3.6666…66|67 (the leftover wei to the
    // larger remainder). Shard 2: 7 × 1050/2050 = 3.5853…85|37 and 7 × 1000/2050 = 3.4146…14|63 → …15.
    const v3 = 3_333_333_333_333_333_333n + 3_414_634_146_341_463_415n;
    expect(validator(leader, 3)?.lifetimeReward).toBe(v3);
    expect(validator(leader, 4)?.lifetimeReward).toBe(3_666_666_666_666_666_667n);
    expect(validator(leader, 7)?.lifetimeReward).toBe(3_585_365_853_658_536_585n);
    for (const n of [1, 2, 5, 6]) expect(validator(leader, n)?.lifetimeReward).toBe(0n);
    // Commission (rounded down per payment) to the operator's delegation, the rest to the pool.
    expect(commission(leader, 3)).toBe(333_333_333_333_333_333n + 341_463_414_634_146_341n); // 10% of each payment
    expect(validator(leader, 3)?.rewardPool).toBe(v3 - 333_333_333_333_333_333n - 341_463_414_634_146_341n);
    expect(commission(leader, 4)).toBe(733_333_333_333_333_333n); // 20%
    expect(validator(leader, 4)?.rewardPool).toBe(2_933_333_333_333_333_334n);
    expect(commission(leader, 7)).toBe(358_536_585_365_853_658n);
    expect(validator(leader, 7)?.rewardPool).toBe(3_226_829_268_292_682_927n);
    // Availability: every slot of a linked block was due, the bitmap's slots signed (V3 once per shard).
    expect(validator(leader, 3)).toMatchObject({ epochToSign: 2n, epochSigned: 2n, lifetimeToSign: 2n, lifetimeSigned: 2n });
    expect(validator(leader, 4)).toMatchObject({ epochToSign: 1n, epochSigned: 1n });
    expect(validator(leader, 5)).toMatchObject({ epochToSign: 1n, epochSigned: 0n });
    expect(validator(leader, 6)).toMatchObject({ epochToSign: 1n, epochSigned: 0n });
    expect(validator(leader, 7)).toMatchObject({ epochToSign: 1n, epochSigned: 1n });
    expect(validator(leader, 1)).toMatchObject({ epochToSign: 0n, lifetimeToSign: 0n });

    // Block 2: beacon block 1 signed by V1 and V2 (3.5 tokens each) and shard 1 block 2 by all three
    // (1000, 1100, 900 of 3000: 2.3333…33, 2.5666…67, 2.1).
    const b2 = await next(leader, [link(1, 2n, 0n, SHARD1, [0, 1, 2])]);
    const rec = leader.getBurntFees(b2.block.hash);
    expect(rec?.issued).toBe(14n * TOKEN);
    expect(rec?.cumulativeIssued).toBe(28n * TOKEN);
    expect(validator(leader, 1)?.lifetimeReward).toBe(3_500_000_000_000_000_000n);
    expect(validator(leader, 2)?.lifetimeReward).toBe(3_500_000_000_000_000_000n);
    expect(validator(leader, 3)?.lifetimeReward).toBe(v3 + 2_333_333_333_333_333_333n);
    expect(validator(leader, 4)?.lifetimeReward).toBe(3_666_666_666_666_666_667n + 2_566_666_666_666_666_667n);
    expect(validator(leader, 5)?.lifetimeReward).toBe(2_100_000_000_000_000_000n);
    expect(validator(leader, 5)).toMatchObject({ epochToSign: 2n, epochSigned: 1n });
    expect(validator(leader, 1)).toMatchObject({ epochToSign: 1n, epochSigned: 1n });
    // Supply = genesis + issued − burnt, to the wei.
    expect(supply(leader)).toBe(leader.genesisSupply + (rec?.cumulativeIssued ?? 0n) - (rec?.cumulativeBurnt ?? 0n));

    // A follower recomputes the payout from the header's links: same state root, same records.
    const follower = await devChain(openStore(":memory:"), genesis());
    await follower.insertBlock(b1.block);
    await follower.insertBlock(b2.block);
    expect(follower.head.hash).toEqual(leader.head.hash);
    expect(validator(follower, 3)).toEqual(validator(leader, 3));
    expect(follower.getBurntFees(b2.block.hash)?.cumulativeIssued).toBe(28n * TOKEN);
    // The issued rewards are in the supply account of each block's state too.
    expect(expectSupplyAccount(leader).issued).toBe(28n * TOKEN);
    expect(expectSupplyAccount(follower).issued).toBe(28n * TOKEN);
  });

  test("a header that carries a link its state did not pay for is rejected", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    const plain = (await next(leader)).block; // no links, nothing paid
    const forged = createBlock(createHeader({ ...plain.header.toData(), crossLinks: encodeCrossLinks([link(1, 1n, 0n, SHARD1, [0, 1])]) }), []);
    const follower = await devChain(openStore(":memory:"), genesis());
    await expect(follower.insertBlock(forged)).rejects.toMatchObject({ code: BlockErrorCode.STATE_ROOT_MISMATCH });
    await follower.insertBlock(plain);
    expect(follower.head.hash).toEqual(plain.hash);
  });

  test("a link of an earlier epoch is paid at its epoch's committee; its availability counts for the lifetime only", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    for (let i = 0; i < 3; i++) await next(leader); // block 3 ends epoch 0 (and resets the epoch counters)
    const b4 = await next(leader, [link(1, 1n, 0n, SHARD1, [0, 1])]);
    expect(b4.block.header.epoch).toBe(1n);
    expect(leader.getBurntFees(b4.block.hash)?.issued).toBe(14n * TOKEN); // beacon block 3 and shard 1 block 1
    expect(validator(leader, 4)?.lifetimeReward).toBe(3_666_666_666_666_666_667n);
    expect(validator(leader, 4)).toMatchObject({ epochToSign: 0n, epochSigned: 0n, lifetimeToSign: 1n, lifetimeSigned: 1n });
    expect(validator(leader, 5)).toMatchObject({ epochToSign: 0n, lifetimeToSign: 1n, lifetimeSigned: 0n });
  });

  test("invariant: a link whose shard has no committee at its epoch cannot be paid (the crosslink check refused it)", async () => {
    const chain = await devChain(openStore(":memory:"), genesis());
    const states = new EpochShardStates(chain.db, chain.genesis);
    const ok = getCrossLinkRewards(states, link(2, 1n, 0n, SHARD2, [1, 2]), 0n);
    expect(ok).toMatchObject({ signed: [false, true, true], sameEpoch: true });
    expect(ok.committee.map((s) => s.effectiveStake)).toEqual([1000n * TOKEN, 1050n * TOKEN, 1000n * TOKEN]);
    expect(() => getCrossLinkRewards(states, { ...link(2, 1n, 0n, SHARD2, [1, 2]), shardId: 3 }, 0n)).toThrow("crosslink reward invariant");
  });
});
