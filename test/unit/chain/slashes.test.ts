// DESIGN §Slashing through the block pipeline: a leader's block carries double-sign records in the
// header's `slashes` (candidates that do not apply are left out), the finalize step slashes and bans
// with the coinbase as reporter, the state root covers it, the banned validator is not elected, supply
// = genesis + issued − burnt fees − burnt slashes to the wei; every other node recomputes the same and
// rejects a header whose slashes are malformed, unproven, repeated, or carried while staking is off.
import { beforeAll, describe, expect, test } from "bun:test";
import { BlockErrorCode, ChainConfig, DEV_CHAIN_CONFIG, TOKEN, commitPayload, createBlock, createDevGenesis, createHeader } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { WorldState } from "../../../src/state/index.ts";
import { DEC_ONE, type DoubleSignRecord, StakingState, ValidatorStatus, decodeSlashes, encodeSlashes } from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import { stakingSourceOf } from "../../../src/node/stakingMethods.ts";
import { addrs, devChain } from "./_helpers.ts";
import { expectSupplyAccount } from "./_supply.ts";

const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), epochBlocks: 4, activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, staking: 0n } });
const V1 = new Uint8Array(20).fill(0x71);
const V2 = new Uint8Array(20).fill(0x72);
const REPORTER = addrs[3] as Uint8Array;
let bls: BLS;
let sks: Uint8Array[];
let keys: Uint8Array[];

beforeAll(async () => {
  bls = await createBLS();
  sks = [1, 2].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
  keys = sks.map((sk) => bls.secretToPublic(sk));
});

function genesis(cfg = config) {
  const v = (address: Uint8Array, key: Uint8Array) => ({
    address, blsKeys: [key], stake: 1_000n * TOKEN, commissionRate: DEC_ONE / 10n, maxCommissionRate: DEC_ONE / 2n,
    maxChangeRate: DEC_ONE / 20n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 10_000n * TOKEN, name: "v",
  });
  return { ...createDevGenesis({ config: cfg, committees: [keys] }), validators: [v(V1, keys[0] as Uint8Array), v(V2, keys[1] as Uint8Array)] };
}

function record(signer: number, height: bigint, view: bigint): DoubleSignRecord {
  const sk = sks[signer] as Uint8Array;
  const vote = (b: number) => ({ blockHash: new Uint8Array(32).fill(b), signature: bls.sign(sk, commitPayload(height, new Uint8Array(32).fill(b), view)) });
  return { shardId: 0, epoch: height / 4n, height, view, offender: keys[signer] as Uint8Array, first: vote(1), second: vote(2) };
}

const next = (chain: Chain, slashes: DoubleSignRecord[] = []) =>
  chain.produceBlock([], { timestamp: chain.head.timestamp + 1n, coinbase: REPORTER, lastCommitBitmap: Uint8Array.of(3), slashes });
const staking = (chain: Chain) => new StakingState(new WorldState(chain.state, chain.head.stateRoot));

describe("header slashes", () => {
  test("the leader includes what applies; slashed, banned, not elected; reporter paid; supply exact; a follower agrees", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    const follower = await devChain(openStore(":memory:"), genesis());
    const blocks = [await next(leader)];
    const good = record(0, 1n, 1n);
    const unproven = { ...record(1, 1n, 1n), view: 5n }; // signatures made for view 1
    const before = staking(leader);
    const reporterBefore = new WorldState(leader.state, leader.head.stateRoot).getAccount(REPORTER)?.balance ?? 0n;
    blocks.push(await next(leader, [unproven, good, good, record(0, 1n, 2n)])); // the repeats find V1 banned already
    const b2 = blocks[1]!.block.header;
    expect(decodeSlashes(b2.slashes)).toEqual([good]);
    const s = staking(leader);
    expect(s.getValidator(V1)).toMatchObject({ status: ValidatorStatus.BANNED, totalDelegation: 500n * TOKEN });
    // Honest validators are unaffected: same stake and status (and their block reward as usual).
    expect(s.getValidator(V2)).toMatchObject({ status: ValidatorStatus.ACTIVE, totalDelegation: before.getValidator(V2)?.totalDelegation });
    expect(s.getDelegation(V2, V2)?.amount).toBe(1_000n * TOKEN);
    const world = new WorldState(leader.state, leader.head.stateRoot);
    const rewarded = (world.getAccount(REPORTER)?.balance ?? 0n) - reporterBefore;
    expect(rewarded).toBe(250n * TOKEN);
    const rec = leader.getBurntFees(b2.hash)!;
    expect(rec.burntSlashes).toBe(250n * TOKEN);
    expect(rec.cumulativeBurntSlashes).toBe(250n * TOKEN);

    blocks.push(await next(leader)); // block 3: epoch 0's end elects epoch 1 without V1
    expect(leader.committeeSpecAt(1n)?.keys).toEqual([keys[1] as Uint8Array]);
    expect(leader.getBurntFees(leader.head.hash)?.cumulativeBurntSlashes).toBe(250n * TOKEN);
    // Every wei is accounted for: balances + stake + rewards = genesis + issued − burnt fees − burnt slashes.
    const st = staking(leader);
    const w = new WorldState(leader.state, leader.head.stateRoot);
    let total = addrs.reduce((n, a) => n + (w.getAccount(a)?.balance ?? 0n), 0n);
    for (const v of st.validatorAddresses()) {
      total += st.getValidator(v)?.rewardPool ?? 0n;
      for (const d of st.delegationsOf(v)) total += d.amount + d.reward + d.undelegations.reduce((n, u) => n + u.amount, 0n);
    }
    const end = leader.getBurntFees(leader.head.hash)!;
    expect(total).toBe(leader.genesisSupply + end.cumulativeIssued - end.cumulativeBurnt - end.cumulativeBurntSlashes);
    expect(stakingSourceOf(leader).totalSupply()).toBe(total); // hmy_getTotalSupply's figure
    expect(end.cumulativeBurntSlashes).toBeGreaterThan(0n);

    for (const b of blocks) await follower.insertBlock(b!.block);
    expect(follower.head.hash).toEqual(leader.head.hash);
    expect(staking(follower).getValidator(V1)?.status).toBe(ValidatorStatus.BANNED);
    // Burnt slashes count in the supply account's burnt total, on the leader and the follower.
    expect(expectSupplyAccount(leader).burnt).toBe(end.cumulativeBurnt + 250n * TOKEN);
    expect(expectSupplyAccount(follower).burnt).toBe(end.cumulativeBurnt + 250n * TOKEN);
  });

  test("a follower rejects malformed, unproven and repeated slash records (SLASHES_INVALID) before looking at the state root", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    const b1 = (await next(leader))!.block;
    const b2 = (await next(leader))!.block.header;
    const follower = await devChain(openStore(":memory:"), genesis());
    await follower.insertBlock(b1);
    const forge = (slashes: Uint8Array) => follower.insertBlock(createBlock(createHeader({ ...b2.toData(), slashes }), []));
    const good = record(0, 1n, 1n);
    await expect(forge(Uint8Array.of(0xc1, 0x80))).rejects.toMatchObject({ code: BlockErrorCode.SLASHES_INVALID });
    await expect(forge(encodeSlashes([{ ...good, second: good.first }]))).rejects.toMatchObject({ type: { code: BlockErrorCode.SLASHES_INVALID, index: 0 } });
    await expect(forge(encodeSlashes([good, record(0, 1n, 2n)]))).rejects.toMatchObject({ type: { code: BlockErrorCode.SLASHES_INVALID, index: 1, reason: expect.stringContaining("already slashed") } });
    await expect(forge(encodeSlashes([good, good]))).rejects.toMatchObject({ type: { code: BlockErrorCode.SLASHES_INVALID, index: 1 } });
    // A valid record the block did not apply is caught too: the state root would not cover it.
    await expect(forge(encodeSlashes([good]))).rejects.toMatchObject({ code: BlockErrorCode.STATE_ROOT_MISMATCH });
    expect(follower.head.number).toBe(1n);
    expect(staking(follower).getValidator(V1)?.status).toBe(ValidatorStatus.ACTIVE);
  });

  test("with staking off, a header carrying slashes is rejected and a builder includes none", async () => {
    const off = new ChainConfig({ ...config.toData(), activationEpochs: { ...config.activationEpochs, staking: null } });
    const leader = await devChain(openStore(":memory:"), genesis(off));
    const b1 = (await next(leader, [record(0, 1n, 1n)]))!.block;
    expect(b1.header.slashes.length).toBe(0);
    const b2 = (await next(leader))!.block.header;
    const follower = await devChain(openStore(":memory:"), genesis(off));
    await follower.insertBlock(b1);
    const forged = createBlock(createHeader({ ...b2.toData(), slashes: encodeSlashes([record(0, 1n, 1n)]) }), []);
    await expect(follower.insertBlock(forged)).rejects.toMatchObject({ code: BlockErrorCode.SLASHES_INVALID });
  });
});
