// The node's part of slashing (DESIGN §Slashing): the double-sign fail point's conflicting COMMIT
// (sent after each COMMIT, to the same place, validly signed for another block), the driver's evidence
// of it converted into a chain record that proves double signing, and the records a leader offers
// (COMMIT double signs of staked, not yet banned keys, one per key, newest first, bounded).
import { beforeAll, describe, expect, test } from "bun:test";
import { type Commit, type ConsensusMessage, type DoubleSignEvidence, bitmapFromSlots, findDoubleSign } from "../../../src/consensus/index.ts";
import { ChainConfig, DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT, commitPayload } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { conflictingCommit, doubleSignConflict, withDoubleSign } from "../../../src/node/_doubleSign.ts";
import { failpointFromEnv } from "../../../src/node/failpoint.ts";
import { MAX_SLASHES_PER_BLOCK, evidenceToRecord, pendingSlashRecords } from "../../../src/node/slashEvidence.ts";
import { StateStore, WorldState } from "../../../src/state/index.ts";
import { StakingState, ValidatorStatus, checkDoubleSignRecord } from "../../../src/staking/index.ts";
import { newValidatorRecord } from "../../../src/staking/records.ts";
import { openStore } from "../../../src/store/index.ts";
import { TOKEN, createDevGenesis, createHeader, decodeBlock } from "../../../src/core/index.ts";
import { buildWork } from "../../../src/node/_driverWork.ts";
import type { BlockOpsContext } from "../../../src/node/_driverBlocks.ts";
import { decodeSlashes } from "../../../src/staking/index.ts";
import { createLogger } from "../../../src/util/logger.ts";
import { devChain } from "../chain/_helpers.ts";

let bls: BLS;
let sks: Uint8Array[];
let keys: Uint8Array[];
beforeAll(async () => {
  bls = await createBLS();
  sks = [1, 2, 3, 4, 5, 6].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
  keys = sks.map((sk) => bls.secretToPublic(sk));
});

/** Slot `slot`'s honest COMMIT for block 0x11… at (height, view). */
function commit(slot: number, height = 6n, view = 7n): Commit {
  const blockHash = new Uint8Array(32).fill(0x11);
  return { kind: "commit", height, view, blockHash, blockView: view, signers: bitmapFromSlots(6, [slot]), signature: bls.sign(sks[slot] as Uint8Array, commitPayload(height, blockHash, view)) };
}
const signAs = (slot: number) => (payload: Uint8Array) => bls.sign(sks[slot] as Uint8Array, payload);
const fakeNet = () => {
  const log: string[] = [];
  const msgs: ConsensusMessage[] = [];
  return { log, msgs, net: { send: (s: number, m: ConsensusMessage) => (log.push(`send ${s} ${m.kind}`), msgs.push(m)), broadcast: (m: ConsensusMessage) => (log.push(`broadcast ${m.kind}`), msgs.push(m)), penalize: (f: string, r: string) => log.push(`penalize ${f} ${r}`) } };
};

describe("double-sign fail point", () => {
  test("HARMONY_FAILPOINT=double-sign is a known fail point", () => {
    expect(failpointFromEnv({ HARMONY_FAILPOINT: "double-sign", HARMONY_FAILPOINT_HEIGHT: "5" })).toEqual({ name: "double-sign", height: 5n });
  });

  test("the conflicting COMMIT: same height, view and signers, another block, a valid signature; other kinds have none", () => {
    const m = commit(2);
    const c = conflictingCommit(m, signAs(2))!;
    expect(c).toMatchObject({ kind: "commit", height: 6n, view: 7n, blockView: 7n, signers: m.signers });
    expect(c.blockHash).not.toEqual(m.blockHash);
    expect(bls.verify(keys[2] as Uint8Array, commitPayload(6n, c.blockHash, 7n), c.signature)).toBe(true);
    expect(conflictingCommit({ ...m, kind: "prepare" } as ConsensusMessage, signAs(2))).toBeUndefined();
    expect(findDoubleSign(m, c)).toMatchObject({ phase: "commit", height: 6n, view: 7n, slots: [2] });
    const from8 = doubleSignConflict(8n, signAs(2));
    expect(from8(m)).toBeUndefined();
    expect(from8(commit(2, 8n))).toBeDefined();
  });

  test("withDoubleSign sends the conflict right before each COMMIT, the same way; everything else once", () => {
    const f = fakeNet();
    const net = withDoubleSign(f.net, doubleSignConflict(undefined, signAs(1)));
    net.send(0, commit(1));
    net.broadcast(commit(1));
    net.send(3, { ...commit(1), kind: "prepare" } as ConsensusMessage);
    net.penalize("peer", "spam");
    expect(f.log).toEqual(["send 0 commit", "send 0 commit", "broadcast commit", "broadcast commit", "send 3 prepare", "penalize peer spam"]);
    expect((f.msgs[0] as Commit).blockHash).not.toEqual((f.msgs[1] as Commit).blockHash);
    expect((f.msgs[1] as Commit).blockHash).toEqual(commit(1).blockHash); // the genuine vote second
  });
});

describe("evidence to chain records", () => {
  test("the fail point's double sign becomes a record that proves double signing by the slot's key", () => {
    const m = commit(3);
    const e = findDoubleSign(m, conflictingCommit(m, signAs(3))!)!;
    const r = evidenceToRecord(e, keys, { shardId: 0, epoch: 0n })!;
    expect(r).toMatchObject({ shardId: 0, epoch: 0n, height: 6n, view: 7n, offender: keys[3] });
    expect(checkDoubleSignRecord(r, bls)).toBeNull();
    // The wrong committee (another key at that slot) gives a record that proves nothing.
    expect(checkDoubleSignRecord(evidenceToRecord(e, [...keys].reverse(), { shardId: 0, epoch: 0n })!, bls)).not.toBeNull();
  });

  test("no record from PREPARE evidence, aggregate votes, or a slot outside the committee", () => {
    const m = commit(1);
    const e = findDoubleSign(m, conflictingCommit(m, signAs(1))!)!;
    expect(evidenceToRecord({ ...e, phase: "prepare" }, keys, { shardId: 0, epoch: 0n })).toBeUndefined();
    const both = bitmapFromSlots(6, [1, 2]);
    expect(evidenceToRecord({ ...e, first: { ...e.first, signers: both } }, keys, { shardId: 0, epoch: 0n })).toBeUndefined();
    expect(evidenceToRecord(e, keys.slice(0, 1), { shardId: 0, epoch: 0n })).toBeUndefined();
  });

  test("a leader offers records of staked, not banned keys only, one per key, newest first, at most MAX_SLASHES_PER_BLOCK", () => {
    const world = new WorldState(new StateStore(openStore(":memory:")), EMPTY_TRIE_ROOT);
    const s = new StakingState(world);
    const stake = (i: number, status: ValidatorStatus) => {
      const v = newValidatorRecord({ address: new Uint8Array(20).fill(i + 1), blsKeys: [keys[i] as Uint8Array], description: { name: "", identity: "", website: "", securityContact: "", details: "" }, rate: 0n, maxRate: 0n, maxChangeRate: 0n, minSelfDelegation: 1n, maxTotalDelegation: 10n, epoch: 0n, blockNumber: 0n, stake: 1n });
      s.putValidator({ ...v, status });
      s.setKeyOwner(keys[i] as Uint8Array, v.address);
    };
    stake(0, ValidatorStatus.ACTIVE);
    stake(1, ValidatorStatus.BANNED);
    stake(2, ValidatorStatus.INACTIVE); // keys 3–5 are nobody's
    const root = world.commit();
    const store = world.store;
    store.kv.batch(root.ops);
    store.cacheCommitted(root);
    const ev = (slot: number, height: bigint): DoubleSignEvidence => {
      const m = commit(slot, height, height);
      return findDoubleSign(m, conflictingCommit(m, signAs(slot))!)!;
    };
    const chain = {
      config: new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), epochBlocks: 4 }), shardId: 0, state: store,
      head: createHeader({ number: 20n, stateRoot: root.root }),
      committeeSpecAt: (_e: bigint) => ({ keys }),
    };
    const evidence = [ev(0, 5n), ev(1, 6n), ev(2, 7n), ev(3, 8n), ev(0, 9n), ev(2, 30n)];
    const offered = pendingSlashRecords(chain, evidence);
    expect(offered.map((r) => [r.offender, r.height, r.epoch] as unknown[])).toEqual([[keys[0], 9n, 2n], [keys[2], 7n, 1n]]);
    expect(pendingSlashRecords({ ...chain, shardId: 1 }, evidence)).toEqual([]);
    // Bounded: six offending staked keys, the newest four are offered.
    stake(1, ValidatorStatus.ACTIVE);
    stake(3, ValidatorStatus.ACTIVE);
    stake(4, ValidatorStatus.ACTIVE);
    stake(5, ValidatorStatus.ACTIVE);
    const all = world.commit();
    store.kv.batch(all.ops);
    store.cacheCommitted(all);
    const six = [0, 1, 2, 3, 4, 5].map((k) => ev(k, BigInt(k + 1)));
    const bounded = pendingSlashRecords({ ...chain, head: createHeader({ number: 20n, stateRoot: all.root }) }, six);
    expect(MAX_SLASHES_PER_BLOCK).toBe(4);
    expect(bounded.map((r) => r.height)).toEqual([6n, 5n, 4n, 3n]);
  });
});

describe("the leader's proposal", () => {
  test("buildWork hands the pending records to the chain's build options; the block carries and applies them", async () => {
    const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), epochBlocks: 4, activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, staking: 0n } });
    const V = new Uint8Array(20).fill(0x71);
    const spec = {
      ...createDevGenesis({ config, committees: [[keys[0] as Uint8Array]] }),
      validators: [{ address: V, blsKeys: [keys[0] as Uint8Array], stake: 1_000n * TOKEN, commissionRate: 10n ** 17n, maxCommissionRate: 10n ** 17n, maxChangeRate: 10n ** 16n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 10_000n * TOKEN, name: "v" }],
    };
    const chain = await devChain(openStore(":memory:"), spec);
    const m = commit(0, 1n, 1n);
    const r = evidenceToRecord(findDoubleSign(m, conflictingCommit(m, signAs(0))!)!, [keys[0] as Uint8Array], { shardId: 0, epoch: 0n })!;
    const ops = { chain, committees: { at: () => undefined, epochOfHeight: () => 0n }, verify: async () => [], coinbase: new Uint8Array(20).fill(9), maxFutureMs: 15_000, now: () => Date.now() } as unknown as BlockOpsContext;
    const stats = { proposalsBuilt: 0 };
    const ev = await buildWork(
      { ops, pacing: { waitMs: () => 0, built: () => {} } as never, clock: { now: () => Date.now(), setTimeout: () => 0, clearTimeout: () => {} }, stats: stats as never, logger: createLogger("test"), current: () => true, extras: () => ({ slashes: [r] }) },
      { type: "buildBlock", height: 1n, view: 1n, parentHash: chain.head.hash, lastCommit: null } as never,
    );
    expect(ev).toMatchObject({ type: "propose", height: 1n });
    const block = decodeBlock((ev as { block: Uint8Array }).block, chain.common);
    expect(decodeSlashes(block.header.slashes)).toEqual([r]);
    expect(block.header.coinbase).toEqual(new Uint8Array(20).fill(9));
    await chain.commitBlock(block, { sig: new Uint8Array(96), bitmap: Uint8Array.of(1) });
    expect(new StakingState(new WorldState(chain.state, chain.head.stateRoot)).getValidator(V)?.status).toBe(ValidatorStatus.BANNED);
  });
});
