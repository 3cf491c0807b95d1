// DESIGN §Sharding through the beacon block pipeline, issue 10 acceptance 2 (crosslink half, block
// validation): a beacon leader includes the pending crosslinks that may come next (ordered by shard,
// each shard's consecutive blocks after its last crosslinked one, ≤ 16), verified against the shard's
// committee of the link's epoch from the beacon chain's own shard state; the chain stores them and the
// last crosslink per shard. Every other node rejects a header whose crosslink has a bad signature, an
// under-quorum bitmap, the wrong epoch's committee, is out of order or a duplicate (CROSSLINKS_INVALID).
import { beforeAll, describe, expect, test } from "bun:test";
import { type Block, BlockErrorCode, ChainConfig, DEV_CHAIN_CONFIG, TOKEN, commitPayload, createBlock, createDevGenesis, createHeader } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { Chain } from "../../../src/chain/index.ts";
import { type CrossLink, CrossLinkErrorCode, decodeCrossLinks, encodeCrossLinks, getCommitteeSpec } from "../../../src/shard/index.ts";
import { DEC_ONE } from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";
import { devChain } from "./_helpers.ts";

const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), shardCount: 2, epochBlocks: 4, activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, staking: 0n } });
let bls: BLS;
/** Secret key by public key hex. */
const secret = new Map<string, Uint8Array>();
let beacon: Uint8Array[];
let shard1: Uint8Array[];

beforeAll(async () => {
  bls = await createBLS();
  const keys = [1, 2, 3, 4, 5, 6].map((i) => {
    const sk = bls.keygen(new Uint8Array(32).fill(i));
    const pk = bls.secretToPublic(sk);
    secret.set(bytesToHex(pk), sk);
    return pk;
  });
  beacon = keys.slice(0, 2);
  shard1 = keys.slice(2);
});

/** Two staked beacon validators; shard 1's genesis committee is four plain keys (equal power). */
function genesis(cfg = config) {
  const v = (n: number, key: Uint8Array) => ({
    address: new Uint8Array(20).fill(0x70 + n), blsKeys: [key], stake: 1_000n * TOKEN, commissionRate: DEC_ONE / 10n, maxCommissionRate: DEC_ONE / 2n,
    maxChangeRate: DEC_ONE / 20n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 10_000n * TOKEN, name: "v",
  });
  const committees = cfg.shardCount === 1 ? [beacon] : [beacon, shard1];
  return { ...createDevGenesis({ config: cfg, committees }), validators: [v(1, beacon[0] as Uint8Array), v(2, beacon[1] as Uint8Array)] };
}

/** A crosslink of shard 1 block `n` signed by the `signers` keys, bitmap over `slots`. */
function link(n: bigint, epoch: bigint, signers: readonly Uint8Array[], slots: readonly number[], fields: Partial<CrossLink> = {}): CrossLink {
  const blockHash = fields.blockHash ?? new Uint8Array(32).fill(Number(n % 200n) + 1);
  const viewId = fields.viewId ?? n + 10n;
  const msg = commitPayload(n, blockHash, viewId);
  const signature = bls.aggregateSignatures(signers.map((k) => bls.sign(secret.get(bytesToHex(k)) as Uint8Array, msg)));
  const bitmap = new Uint8Array(Math.max(1, Math.ceil((Math.max(...slots) + 1) / 8)));
  for (const s of slots) bitmap[s >> 3] = (bitmap[s >> 3] as number) | (1 << (s & 7));
  return { shardId: 1, blockNumber: n, viewId, epoch, blockHash, signature, bitmap, ...fields };
}
/** Shard 1 block `n` of epoch 0, signed by 3 of its 4 genesis keys. */
const good = (n: bigint) => link(n, 0n, shard1.slice(0, 3), [0, 1, 2]);

const next = (chain: Chain, pendingCrossLinks: CrossLink[] = []) =>
  chain.produceBlock([], { timestamp: chain.head.timestamp + 1n, lastCommitBitmap: Uint8Array.of(3), pendingCrossLinks }) as Promise<{ block: Block }>;
const linksOf = (b: { block: Block }) => decodeCrossLinks(b.block.header.crossLinks);
/** `header` of `b` with other crosslinks. */
const forge = (b: Block, links: CrossLink[] | Uint8Array) => createBlock(createHeader({ ...b.header.toData(), crossLinks: links instanceof Uint8Array ? links : encodeCrossLinks(links) }), []);
const failure = (code: string, index?: number) => ({ type: { code: BlockErrorCode.CROSSLINKS_INVALID, failure: code, ...(index === undefined ? {} : { index }) } });

describe("crosslinks in beacon blocks", () => {
  test("a good crosslink is included, accepted by a follower and stored as the shard's last crosslink", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    const follower = await devChain(openStore(":memory:"), genesis());
    const b1 = await next(leader, [good(1n)]);
    expect(linksOf(b1)).toEqual([good(1n)]);
    expect(leader.db.getLastCrossLink(1)).toEqual(good(1n));
    await follower.insertBlock(b1.block);
    expect(follower.db.getLastCrossLink(1)).toEqual(good(1n));
    expect(follower.db.getCrossLink(1, 1n)).toEqual(good(1n));
    // The pending list in any order, with repeats, a gap and bad links: the run 2, 3 is included.
    const pending = [good(5n), good(3n), link(2n, 0n, shard1.slice(0, 2), [0, 1]), good(1n), { ...good(2n), viewId: 99n }, good(2n), good(3n)];
    const b2 = await next(leader, pending);
    expect(linksOf(b2)).toEqual([good(2n), good(3n)]);
    await follower.insertBlock(b2.block);
    expect(follower.db.getLastCrossLink(1)).toEqual(good(3n));
    expect(follower.db.getCrossLink(1, 2n)).toEqual(good(2n));
    expect(follower.db.getCrossLink(1, 4n)).toBeUndefined();
    expect(follower.head.hash).toEqual(leader.head.hash);
  });

  test("at most 16 per block", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    const b1 = await next(leader, Array.from({ length: 20 }, (_, i) => good(BigInt(i + 1))));
    expect(linksOf(b1).map((l) => l.blockNumber)).toEqual(Array.from({ length: 16 }, (_, i) => BigInt(i + 1)));
    expect(leader.db.getLastCrossLink(1)?.blockNumber).toBe(16n);
  });

  test("block validation rejects a bad signature, an under-quorum bitmap, out of order and duplicates", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    const follower = await devChain(openStore(":memory:"), genesis());
    const b1 = await next(leader, [good(1n)]);
    await follower.insertBlock(b1.block);
    const b2 = (await next(leader)).block;
    const reject = (links: CrossLink[] | Uint8Array, code: string, index?: number) => expect(follower.insertBlock(forge(b2, links))).rejects.toMatchObject(failure(code, index));
    await reject([{ ...good(2n), blockHash: new Uint8Array(32).fill(0xee) }], CrossLinkErrorCode.BAD_SIGNATURE, 0);
    await reject([good(2n), { ...good(3n), signature: good(4n).signature }], CrossLinkErrorCode.BAD_SIGNATURE, 1);
    await reject([link(2n, 0n, shard1.slice(0, 2), [0, 1])], CrossLinkErrorCode.NO_QUORUM, 0); // 2 of 4 keys
    await reject([link(2n, 0n, shard1.slice(0, 3), [0, 1, 2, 9])], CrossLinkErrorCode.BITMAP_SHAPE, 0);
    await reject([good(3n)], CrossLinkErrorCode.OUT_OF_ORDER, 0); // block 2 is not crosslinked yet
    await reject([good(3n), good(2n)], CrossLinkErrorCode.OUT_OF_ORDER, 0);
    await reject([good(1n)], CrossLinkErrorCode.DUPLICATE, 0); // crosslinked by block 1
    await reject([good(2n), good(2n)], CrossLinkErrorCode.DUPLICATE, 1);
    await reject([good(2n), { ...good(3n), shardId: 0 }], CrossLinkErrorCode.OUT_OF_ORDER, 1); // ordered by shard
    await reject([{ ...good(2n), shardId: 2 }], CrossLinkErrorCode.NOT_A_SHARD, 0);
    await reject([{ ...good(2n), shardId: 0 }], CrossLinkErrorCode.NOT_A_SHARD, 0);
    await reject([link(2n, 1n, shard1.slice(0, 3), [0, 1, 2])], CrossLinkErrorCode.WRONG_EPOCH, 0); // past the beacon block's epoch 0
    await reject(Uint8Array.of(0xc1, 0x80), CrossLinkErrorCode.MALFORMED, -1);
    // verifyBlock (a proposal) applies the same check; the good block is then accepted.
    await expect(follower.verifyBlock(forge(b2, [good(1n)]))).rejects.toMatchObject(failure(CrossLinkErrorCode.DUPLICATE));
    expect(follower.head.number).toBe(1n);
    expect(follower.db.getLastCrossLink(1)).toEqual(good(1n));
    await follower.insertBlock(forge(b2, [good(2n)]));
    expect(follower.db.getLastCrossLink(1)).toEqual(good(2n));
  });

  test("the wrong epoch's committee: the shard committee of each epoch comes from the beacon chain's shard state", async () => {
    const leader = await devChain(openStore(":memory:"), genesis());
    const follower = await devChain(openStore(":memory:"), genesis());
    const blocks = [await next(leader, [good(1n)]), await next(leader), await next(leader)]; // block 3 elects epoch 1
    for (const b of blocks) await follower.insertBlock(b.block);
    const e1 = getCommitteeSpec(follower.shardStateAt(1n), 1);
    expect(e1?.keys).toHaveLength(1); // shard 1's committee changed at epoch 1: one elected slot
    const elected = e1?.keys[0] as Uint8Array;
    expect(shard1.some((k) => bytesToHex(k) === bytesToHex(elected))).toBe(false);
    const b4 = (await next(leader)).block; // epoch 1
    expect(b4.header.epoch).toBe(1n);
    const reject = (links: CrossLink[], code: string, index?: number) => expect(follower.insertBlock(forge(b4, links))).rejects.toMatchObject(failure(code, index));
    // Epoch 1's block signed by a key of epoch 0's committee (the bitmap's slot 0 is epoch 1's elected key).
    await reject([link(2n, 1n, [shard1[0] as Uint8Array], [0])], CrossLinkErrorCode.BAD_SIGNATURE, 0);
    await reject([link(2n, 1n, shard1.slice(0, 3), [0, 1, 2])], CrossLinkErrorCode.BITMAP_SHAPE, 0);
    // Signed by epoch 1's committee but claiming epoch 0: one of epoch 0's four slots is no quorum.
    await reject([link(2n, 0n, [elected], [0])], CrossLinkErrorCode.NO_QUORUM, 0);
    // A jump of two epochs from the last crosslink (epoch 0) is refused before any committee is read.
    await reject([link(2n, 2n, [elected], [0])], CrossLinkErrorCode.WRONG_EPOCH, 0);
    // The right committee: epoch 0's block 2 by epoch 0's keys, then epoch 1's block 3 by epoch 1's key.
    // (Built by the leader, not forged: the staked signer of epoch 1's link is paid, which changes the state root.)
    const ok = [good(2n), link(3n, 1n, [elected], [0])];
    const b5 = await next(leader, ok);
    expect(linksOf(b5)).toEqual(ok);
    await follower.insertBlock(b4);
    await follower.insertBlock(b5.block);
    expect(follower.db.getLastCrossLink(1)).toEqual(ok[1] as CrossLink);
  });

  test("no crosslinks on a one-shard network or in a shard chain's blocks", async () => {
    const one = new ChainConfig({ ...config.toData(), shardCount: 1 });
    const leader = await devChain(openStore(":memory:"), genesis(one));
    const b1 = await next(leader, [good(1n)]);
    expect(b1.block.header.crossLinks).toHaveLength(0);
    const follower = await devChain(openStore(":memory:"), genesis(one));
    await expect(follower.insertBlock(forge(b1.block, [good(1n)]))).rejects.toMatchObject(failure(CrossLinkErrorCode.NOT_A_SHARD, -1));
    const s1 = await openShard1(genesis());
    const sb1 = await next(s1, [good(1n)]);
    expect(sb1.block.header.crossLinks).toHaveLength(0);
    const s1follower = await openShard1(genesis());
    await expect(s1follower.insertBlock(forge(sb1.block, [good(1n)]))).rejects.toMatchObject(failure(CrossLinkErrorCode.NOT_A_SHARD, -1));
    expect(s1follower.head.number).toBe(0n);
  });
});

async function openShard1(spec: ReturnType<typeof genesis>): Promise<Chain> {
  const beacon = await devChain(openStore(":memory:"), spec);
  return Chain.open(openStore(":memory:"), { genesis: spec, shardId: 1, senderPool: null, beacon: beacon.beaconView() });
}
