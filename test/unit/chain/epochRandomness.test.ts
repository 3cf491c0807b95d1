// Issues 9 and 10: the beacon chain derives its epoch randomness from its own headers (the values the
// node's accumulator computed before, from the same headers), writes it in the batch of the block that
// makes it final, keeps it across a restart, refuses blocks that break the beacon's rules, and deals
// the next epoch's elected slots shuffled by it; a header with another dealing is rejected.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chain } from "../../../src/chain/index.ts";
import { epochRandomnessKey } from "../../../src/chain/epochRandomnesses.ts";
import { type Block, BlockErrorCode, ChainConfig, DEV_CHAIN_CONFIG, type GenesisSpec, TOKEN, createBlock, createDevGenesis, createHeader, decodeShardState, encodeShardState } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { vdfEvaluate } from "../../../src/crypto/vdf/index.ts";
import { dealSlots } from "../../../src/execution/index.ts";
import {
  type RandomnessParams, computeVRF, createEpochRandomnessStateFromHeaders, createRandomnessParams, encodeVDFField, epochRandomnessToJSON, getEpochRandomness, shuffleCommittee, shuffleSeed,
} from "../../../src/randomness/index.ts";
import { DEC_ONE } from "../../../src/staking/index.ts";
import { type KVStore, openStore } from "../../../src/store/index.ts";

// Unsigned lexicographic order of keys (the election's tie-break).
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

// E = 8: VRFs of offsets 0..3 make pRnd, VDF window [5, 6], offset 7 elects the next committees.
const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), epochBlocks: 8, staking: { ...DEV_CHAIN_CONFIG.staking, slotsPerShard: 6 } });
const T = 1 << 10;
const params: RandomnessParams = createRandomnessParams(config, { vdfT: T });
const ALL_SIGNED = Uint8Array.of(0b111111);

let bls: BLS;
let sks: Uint8Array[];
let genesis: GenesisSpec;
beforeAll(async () => {
  bls = await createBLS();
  sks = Array.from({ length: 6 }, (_, i) => bls.keygen(new Uint8Array(32).fill(40 + i)));
  const keys = sks.map((sk) => bls.secretToPublic(sk));
  genesis = {
    ...createDevGenesis({ config, committees: [keys] }),
    validators: keys.map((k, i) => ({
      address: new Uint8Array(20).fill(0x60 + i), blsKeys: [k], stake: 1_000n * TOKEN, commissionRate: DEC_ONE / 10n, maxCommissionRate: DEC_ONE / 2n,
      maxChangeRate: DEC_ONE / 20n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 100_000n * TOKEN, name: `v${i}`,
    })),
  };
});

const open = (kv: KVStore = openStore(":memory:")) => Chain.open(kv, { genesis, senderPool: null, randomness: params });

/** The next block with its leader's VRF (leaders rotate per block), all slots signing the parent; `vdf` when asked. */
async function next(chain: Chain, opts: { vdf?: "ours" | Uint8Array } = {}): Promise<Block> {
  const parent = chain.head;
  const sk = sks[Number((parent.number + 1n) % BigInt(sks.length))] as Uint8Array;
  let vdf: Uint8Array | undefined;
  if (opts.vdf === "ours") vdf = encodeVDFField(await vdfEvaluate(chain.randomness?.state.pRnd as Uint8Array, T));
  else if (opts.vdf !== undefined) vdf = opts.vdf;
  const built = await chain.produceBlock([], {
    timestamp: parent.timestamp + 1n, vrf: computeVRF(bls, sk, parent.hash), ...(vdf ? { vdf } : {}), ...(parent.number > 0n ? { lastCommitBitmap: ALL_SIGNED } : {}),
  });
  if (built === undefined) throw new Error("no block");
  return built.block;
}

/** Epoch 0 with the VDF included at offset 5, epoch 1 without (fallback), up to block `through`. */
async function buildChain(chain: Chain, through: bigint): Promise<Block[]> {
  const blocks: Block[] = [];
  while (chain.head.number < through) blocks.push(await next(chain, chain.head.number + 1n === 5n ? { vdf: "ours" } : {}));
  return blocks;
}

/** What the node's accumulator computed before: the strict fold over the stored headers of the epoch. */
function reference(chain: Chain, epoch: bigint) {
  const first = epoch * BigInt(params.epochBlocks);
  const headers = Array.from({ length: params.epochBlocks }, (_, i) => chain.getHeaderByNumber(first + BigInt(i))).filter((h) => h !== undefined);
  const parent = first === 0n ? undefined : chain.getHeaderByNumber(first - 1n);
  return epochRandomnessToJSON(getEpochRandomness(createEpochRandomnessStateFromHeaders(params, epoch, { headers, ...(parent ? { parentHash: parent.hash } : {}) }), params));
}

describe("epoch randomness derived by the chain", () => {
  test("equals the accumulator's over the same headers (a VDF epoch, a fallback epoch), final from the window's last block", async () => {
    const chain = await open();
    await buildChain(chain, 5n);
    expect(chain.epochRandomness(0n)).toBeUndefined();
    await next(chain); // block 6: offset E − 2, the window's end
    const r0 = chain.epochRandomness(0n);
    expect(r0?.source).toBe("vdf");
    expect(r0?.vdfBlock).toBe(5n);
    expect(epochRandomnessToJSON(r0!)).toEqual(reference(chain, 0n));
    await buildChain(chain, 17n);
    const r1 = chain.epochRandomness(1n);
    expect(r1?.source).toBe("fallback");
    expect(epochRandomnessToJSON(r1!)).toEqual(reference(chain, 1n));
    expect(r1?.randomness).not.toEqual(r0?.randomness);
    expect(chain.epochRandomness(2n)).toBeUndefined();
    expect(chain.randomness?.state.nextNumber).toBe(18n);
  });

  test("kept across a restart: the head's accumulator is rebuilt, stored values read back, a missing one written again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chain-rnd-"));
    try {
      let kv = openStore(join(dir, "store.sqlite"));
      let chain = await open(kv);
      await buildChain(chain, 13n);
      const state = chain.randomness?.state;
      const stored = [chain.epochRandomness(0n), chain.epochRandomness(1n)];
      expect(stored[1]).toBeUndefined();
      await chain.close();
      kv.close();
      kv = openStore(join(dir, "store.sqlite"));
      chain = await open(kv);
      expect(chain.randomness?.state).toEqual(state!);
      expect(chain.epochRandomness(0n)).toEqual(stored[0]!);
      // A store without the record (written before the chain derived it) gets it back at open.
      kv.del(epochRandomnessKey(0n));
      await chain.close();
      chain = await open(kv);
      expect(chain.epochRandomness(0n)).toEqual(stored[0]!);
      // And the accumulator goes on from where it was.
      await buildChain(chain, 14n);
      expect(epochRandomnessToJSON(chain.epochRandomness(1n)!)).toEqual(reference(chain, 1n));
      await chain.close();
      kv.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a block that breaks the beacon's rules is invalid and writes nothing", async () => {
    const leader = await open();
    const blocks = await buildChain(leader, 5n);
    const follower = await open();
    for (const b of blocks.slice(0, 4)) await follower.insertBlock(b);
    const good = blocks[4] as Block;
    const vdf = good.header.vdf;
    const swap = (h: Partial<Parameters<typeof createHeader>[0]>) => createBlock(createHeader({ ...good.header.toData(), ...h }), []);
    const badProof = vdf.slice();
    badProof[vdf.length - 1] = (badProof[vdf.length - 1] as number) ^ 1;
    const invalid = (why: string) => ({ code: BlockErrorCode.INVALID_HEADER, message: expect.stringContaining(why) });
    await expect(follower.insertBlock(swap({ vdf: badProof }))).rejects.toMatchObject(invalid("VDF proof does not verify"));
    await expect(follower.verifyBlock(swap({ vdf: vdf.subarray(1) }))).rejects.toMatchObject(invalid("VDF field of 543 bytes"));
    expect(follower.head.number).toBe(4n);
    // Outside the window (offset 4): refused even with a valid output.
    const early = await open();
    for (const b of blocks.slice(0, 3)) await early.insertBlock(b);
    const atFour = createBlock(createHeader({ ...blocks[3]!.header.toData(), vdf }), []);
    await expect(early.insertBlock(atFour)).rejects.toMatchObject(invalid("window is [5, 6]"));
    await follower.insertBlock(good);
    expect(follower.randomness?.state).toEqual(leader.randomness?.state!);
  });
});

describe("resharding at the epoch end", () => {
  test("the elected slots are shuffled with the epoch's randomness and dealt; a follower agrees; another dealing is rejected", async () => {
    const leader = await open();
    const blocks = await buildChain(leader, 7n);
    const end = blocks[6]!.header;
    const dealt = decodeShardState(end.shardState);
    expect(dealt.epoch).toBe(1n);
    const slots = dealt.shards[0]!.slots;
    // Election order: equal bids, so by key; then the permutation seeded by epoch 0's randomness and epoch 1.
    const electionOrder = [...slots].sort((a, b) => compareBytes(a.blsKey, b.blsKey));
    expect(electionOrder.map((s) => s.blsKey)).toEqual(genesis.committees[0]!.slice().sort(compareBytes));
    const randomness = leader.epochRandomness(0n)!.randomness;
    expect(slots).toEqual(shuffleCommittee(electionOrder, shuffleSeed(randomness, 1n)));
    expect(slots).not.toEqual(electionOrder);
    expect(leader.committeeSpecAt(1n)?.keys).toEqual(slots.map((s) => s.blsKey));

    const follower = await open();
    for (const b of blocks) await follower.insertBlock(b);
    expect(follower.head.hash).toEqual(leader.head.hash);

    const other = await open();
    for (const b of blocks.slice(0, 6)) await other.insertBlock(b);
    const unshuffled = encodeShardState(dealSlots(electionOrder, { shardCount: 1, epoch: 1n }));
    const reversed = encodeShardState({ epoch: 1n, shards: [{ shardId: 0, slots: [...slots].reverse() }] });
    for (const shardState of [unshuffled, reversed]) {
      const forged = createBlock(createHeader({ ...end.toData(), shardState }), []);
      await expect(other.insertBlock(forged)).rejects.toMatchObject({ code: BlockErrorCode.SHARD_STATE_MISMATCH });
    }
    await other.insertBlock(blocks[6]!);
    expect(other.committeeSpecAt(1n)?.keys).toEqual(slots.map((s) => s.blsKey));
  });
});
