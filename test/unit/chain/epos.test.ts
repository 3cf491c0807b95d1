// DESIGN §Staking through the chain's block pipeline (staking switched on in the config): a validator
// created by a transaction is elected at the epoch's last block (header shardState, produced by the
// builder and checked by every inserter), earns the next epoch's block rewards by the commit bitmap,
// and supply = genesis + issued − burnt to the wei. A block with another shard state is rejected.
import { beforeAll, describe, expect, test } from "bun:test";
import { encodeFunctionData } from "viem";
import { BlockErrorCode, ChainConfig, DEV_CHAIN_CONFIG, TOKEN, createBlock, createDevGenesis, createHeader, decodeShardState, genesisToJSON, parseGenesisJSON } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { WorldState } from "../../../src/state/index.ts";
import { DEC_ONE, STAKING_ABI, STAKING_ADDRESS_BYTES, StakingState } from "../../../src/staking/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";
import { addrs, candidates, devChain, tx, stakedSupply } from "./_helpers.ts";
import { openStore } from "../../../src/store/index.ts";
import type { Chain } from "../../../src/chain/index.ts";

const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), epochBlocks: 4, activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, staking: 0n } });
let bls: BLS;
let genesisKey: Uint8Array;
let key: Uint8Array;
let createData: Uint8Array;
beforeAll(async () => {
  bls = await createBLS();
  genesisKey = bls.secretToPublic(bls.keygen(new Uint8Array(32).fill(1)));
  const sk = bls.keygen(new Uint8Array(32).fill(2));
  key = bls.secretToPublic(sk);
  createData = hexToBytes(
    encodeFunctionData({
      abi: STAKING_ABI,
      functionName: "createValidator",
      args: [
        { name: "v", identity: "", website: "", securityContact: "", details: "" },
        { rate: DEC_ONE / 10n, maxRate: DEC_ONE / 2n, maxChangeRate: DEC_ONE / 20n },
        100n * TOKEN,
        10_000n * TOKEN,
        [bytesToHex(key) as `0x${string}`],
        [bytesToHex(bls.popProve(sk)) as `0x${string}`],
      ],
    }),
  );
});

const genesis = () => createDevGenesis({ config, committees: [[genesisKey]] });
const next = (chain: Chain, txs: Parameters<typeof candidates>[0], bitmap?: Uint8Array) =>
  chain.produceBlock(candidates(txs), { timestamp: chain.head.timestamp + 1n, ...(bitmap ? { lastCommitBitmap: bitmap } : {}) });

const supply = stakedSupply;

describe("EPoS in the block pipeline", () => {
  test("elected at the epoch end, rewarded by bitmap, supply exact, the same on a second node; a forged shard state is rejected", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    const follower = await devChain(openStore(":memory:"), genesis());
    expect(leader.committeeSpecAt(0n)?.keys).toEqual([genesisKey]);
    const blocks = [];
    blocks.push(await next(leader, [tx(0, 0n, { to: STAKING_ADDRESS_BYTES, value: 200n * TOKEN, data: createData, gasLimit: 6_000_000n })]));
    blocks.push(await next(leader, [], Uint8Array.of(1)));
    blocks.push(await next(leader, [], Uint8Array.of(1)));
    const end = blocks[2]?.block.header;
    if (!end) throw new Error("no block");
    expect(end.number).toBe(3n);
    expect(blocks[1]?.block.header.shardState.length).toBe(0);
    const elected = decodeShardState(end.shardState);
    expect(elected.epoch).toBe(1n);
    expect(elected.shards[0]?.slots).toEqual([{ blsKey: key, validator: addrs[0] as Uint8Array, effectiveStake: 200n * TOKEN }]);
    expect(leader.committeeSpecAt(1n)).toMatchObject({ keys: [key], power: [200n * TOKEN] });
    expect(leader.committeeSpecAt(7n)?.keys).toEqual([key]); // carried while no later election happened
    // The genesis committee's key holds no stake: signing in epoch 0 earned nothing.
    expect(leader.getBurntFees(end.hash)?.cumulativeIssued).toBe(0n);

    blocks.push(await next(leader, [], Uint8Array.of(1))); // block 4 (epoch 1) reports block 3 (epoch 0): no reward
    blocks.push(await next(leader, [], Uint8Array.of(1))); // block 5 reports block 4, signed by the elected key
    blocks.push(await next(leader, [], Uint8Array.of(0))); // block 6: block 5 not signed by it: no reward
    const rec = leader.getBurntFees(leader.head.hash);
    expect(rec?.cumulativeIssued).toBe(7n * TOKEN);
    const s = new StakingState(new WorldState(leader.state, leader.head.stateRoot));
    expect(s.getDelegation(addrs[0] as Uint8Array, addrs[0] as Uint8Array)?.reward).toBe(700_000_000_000_000_000n); // 10% commission
    expect(s.getValidator(addrs[0] as Uint8Array)).toMatchObject({ rewardPool: 6_300_000_000_000_000_000n, epochToSign: 2n, epochSigned: 1n });
    expect(supply(leader)).toBe(leader.genesisSupply + (rec?.cumulativeIssued ?? 0n) - (rec?.cumulativeBurnt ?? 0n));

    for (const b of blocks) await follower.insertBlock(b!.block);
    expect(follower.head.hash).toEqual(leader.head.hash);
    expect(follower.committeeSpecAt(1n)?.keys).toEqual([key]);

    const other = await devChain(openStore(":memory:"), genesis());
    for (const b of blocks.slice(0, 2)) await other.insertBlock(b!.block);
    const forged = createBlock(createHeader({ ...end.toData(), shardState: new Uint8Array(0) }), [...(blocks[2]?.block.transactions ?? [])]);
    await expect(other.insertBlock(forged)).rejects.toMatchObject({ code: BlockErrorCode.SHARD_STATE_MISMATCH });
  });
});

describe("genesis validators", () => {
  test("staked from block 0: records in state, owned slots with stake in the genesis shard state, rewards from the first blocks, JSON round trip", async () => {
    const keys = [bls.secretToPublic(bls.keygen(new Uint8Array(32).fill(7))), bls.secretToPublic(bls.keygen(new Uint8Array(32).fill(8))), bls.secretToPublic(bls.keygen(new Uint8Array(32).fill(9)))];
    const v = (i: number, blsKeys: Uint8Array[], stake: bigint) => ({
      address: new Uint8Array(20).fill(0x70 + i), blsKeys, stake, commissionRate: DEC_ONE / 10n, maxCommissionRate: DEC_ONE / 2n,
      maxChangeRate: DEC_ONE / 20n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 100_000n * TOKEN, name: `g${i}`,
    });
    const spec = { ...createDevGenesis({ config, committees: [keys] }), validators: [v(1, [keys[0] as Uint8Array, keys[1] as Uint8Array], 2_000n * TOKEN), v(2, [keys[2] as Uint8Array], 5_000n * TOKEN)] };
    expect(parseGenesisJSON(JSON.parse(JSON.stringify(genesisToJSON(spec))))).toEqual(spec);
    const chain = await devChain(openStore(":memory:"), spec);
    // bids 1000, 1000, 5000 → median 1000 → 5000 clamped to 1350 (EPoS v2 band of 35%, active from genesis here)
    expect(chain.committeeSpecAt(0n)).toMatchObject({ keys, power: [1_000n * TOKEN, 1_000n * TOKEN, 1_350n * TOKEN], validators: [0, 0, 1] });
    const s = new StakingState(new WorldState(chain.state, chain.head.stateRoot));
    expect(s.getValidator(new Uint8Array(20).fill(0x72))?.totalDelegation).toBe(5_000n * TOKEN);
    expect(s.keyOwner(keys[1] as Uint8Array)).toEqual(new Uint8Array(20).fill(0x71));
    expect(chain.genesisSupply).toBe(10n * 1_000_000n * TOKEN + 7_000n * TOKEN);
    await next(chain, []);
    await next(chain, [], Uint8Array.of(0b101)); // block 1 signed by slots 0 and 2
    expect(chain.getBurntFees(chain.head.hash)?.cumulativeIssued).toBe(7n * TOKEN);
    const bad = { ...genesisToJSON(spec), validators: [{ address: "0x12", blsKeys: [] }] };
    expect(() => parseGenesisJSON(bad)).toThrow("blsKeys must be a non-empty array");
  });
});
