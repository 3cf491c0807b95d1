// Issue 9 staking RPC: hmy_getValidators(epoch) and hmy_getSuperCommittees in Harmony's shapes
// (harmony-one/harmony rpc/staking.go GetValidators, consensus/quorum Registry and the staked decider),
// over real staking records in a real state trie and shard states as the chain serves them.
import { beforeAll, describe, expect, test } from "bun:test";
import { DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT, type Header, type ShardState, TOKEN, createHeader } from "../../../src/core/index.ts";
import { type BLS, createBLS, toChecksumAddress } from "../../../src/crypto/index.ts";
import { type StakingInfoSource, createStakingMethods } from "../../../src/node/stakingMethods.ts";
import type { MethodContext } from "../../../src/rpc/index.ts";
import { EMPTY_ACCOUNT, StateStore, WorldState } from "../../../src/state/index.ts";
import { DEC_ONE, STAKING_ADDRESS_BYTES, StakingState, type StakingContext, processCreateValidator, processDelegate } from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";

const params = DEV_CHAIN_CONFIG.staking;
const addr = (i: number) => new Uint8Array(20).fill(i);
const V1 = addr(1);
const V2 = addr(2);
const D = addr(3);
const ZERO = new Uint8Array(20);
const hex = (a: Uint8Array) => toChecksumAddress(bytesToHex(a));
let bls: BLS;
beforeAll(async () => {
  bls = await createBLS();
});

/** JSON as a client reads it, every number kept as its exact source text. */
const wire = (v: unknown) => JSON.parse(JSON.stringify(v), (_k, x, c?: { source?: string }) => (typeof x === "number" ? c?.source : x));

/**
 * A chain in miniature: the genesis state (V1 with two keys, 1,000 tokens), the state of block 31 that
 * elected epoch 1 (D delegated 1,000 to V1, V2 created with 3,000), and the head (block 40 or 63: D
 * delegated 1,000 more to V2, V1's balance moved). Epoch 0's committee mixes a staked key and an
 * unstaked genesis key; epoch 1's is all staked.
 */
function setup() {
  const kv = openStore(":memory:");
  const store = new StateStore(kv);
  const persist = (w: WorldState) => {
    const c = w.commit();
    kv.batch(c.ops);
    store.cacheCommitted(c);
    return c.root;
  };
  const w = new WorldState(store, EMPTY_TRIE_ROOT);
  for (const a of [V1, V2, D]) w.putAccount(a, { ...EMPTY_ACCOUNT, balance: 10_000n * TOKEN });
  const s = new StakingState(w);
  const ctx = (caller: Uint8Array, value = 0n): StakingContext => ({ caller, value, epoch: 0n, blockNumber: 1n, params, bls });
  const keys: Uint8Array[] = [];
  const create = (who: Uint8Array, seed: number, stake: bigint, n: number) => {
    const sks = Array.from({ length: n }, (_, i) => bls.keygen(new Uint8Array(32).fill(seed + i)));
    w.putAccount(who, { ...(w.getAccount(who) ?? EMPTY_ACCOUNT), balance: (w.getAccount(who)?.balance ?? 0n) - stake });
    w.putAccount(STAKING_ADDRESS_BYTES, { ...(w.getAccount(STAKING_ADDRESS_BYTES) ?? EMPTY_ACCOUNT), balance: (w.getAccount(STAKING_ADDRESS_BYTES)?.balance ?? 0n) + stake });
    const pks = sks.map((k) => bls.secretToPublic(k));
    processCreateValidator(s, ctx(who, stake), {
      description: { name: "", identity: "", website: "", securityContact: "", details: "" },
      rate: DEC_ONE / 10n, maxRate: DEC_ONE, maxChangeRate: DEC_ONE / 10n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 100_000n * TOKEN,
      blsKeys: pks, blsKeySigs: sks.map((k) => bls.popProve(k)),
    });
    keys.push(...pks);
  };
  create(V1, 10, 1_000n * TOKEN, 2);
  const genesisRoot = persist(w);
  processDelegate(s, ctx(D), D, V1, 1_000n * TOKEN);
  create(V2, 20, 3_000n * TOKEN, 1);
  const root31 = persist(w);
  processDelegate(s, ctx(D), D, V2, 1_000n * TOKEN);
  w.putAccount(V1, { ...(w.getAccount(V1) ?? EMPTY_ACCOUNT), balance: 7n });
  const headRoot = persist(w);
  const [k1a, k1b, k2] = keys as [Uint8Array, Uint8Array, Uint8Array];
  const genesisKey = new Uint8Array(48).fill(9);
  const states: ShardState[] = [
    { epoch: 0n, shards: [{ shardId: 0, slots: [{ blsKey: k1a, validator: V1, effectiveStake: 500n * TOKEN }, { blsKey: genesisKey, validator: ZERO, effectiveStake: 0n }] }] },
    {
      epoch: 1n,
      shards: [{ shardId: 0, slots: [{ blsKey: k2, validator: V2, effectiveStake: 2_000n * TOKEN }, { blsKey: k1a, validator: V1, effectiveStake: 1_000n * TOKEN }, { blsKey: k1b, validator: V1, effectiveStake: 1_000n * TOKEN }] }],
    },
  ];
  const headers = new Map<bigint, Header>([[31n, createHeader({ number: 31n, epoch: 0n, stateRoot: root31 })]]);
  let head = createHeader({ number: 40n, epoch: 1n, stateRoot: headRoot });
  const src: StakingInfoSource = {
    shardId: 0,
    committeeShard: 0,
    epochBlocks: 32,
    slots: 4,
    bandBps: () => 1500,
    state: store,
    head: () => head,
    headerByNumber: (n) => (n === head.number ? head : headers.get(n)),
    committeeEpoch: () => (head.number + 1n) / 32n,
    // As the chain answers: the state elected for the epoch, else the latest earlier one.
    shardStateAt: (e) => states[Math.min(Number(e), states.length - 1)] as ShardState,
    electionStateRoot: (e) => (e === 1n ? root31 : genesisRoot),
    totalSupply: () => 0n,
  };
  const methods = createStakingMethods(src);
  const call = (m: string, p: unknown[] = []) => wire((methods[m] as (p: unknown[], c: MethodContext) => unknown)(p, undefined as never));
  return { call, keys: { k1a, k1b, k2, genesisKey }, setHead: (n: bigint) => (head = createHeader({ number: n, epoch: n / 32n, stateRoot: headRoot })) };
}

describe("hmy_getValidators", () => {
  test("the committee of this shard at an epoch, balances at the epoch's last block (the head while it runs)", () => {
    const { call } = setup();
    expect(call("hmy_getValidators", [0])).toEqual({
      shardID: "0",
      validators: [{ address: hex(V1), balance: String(10_000n * TOKEN - 1_000n * TOKEN) }, { address: hex(ZERO), balance: "0" }],
    });
    const now = call("hmy_getValidators", ["0x1"]);
    expect(now.validators.map((v: { address: string }) => v.address)).toEqual([hex(V2), hex(V1), hex(V1)]);
    expect(now.validators[1].balance).toBe("7");
    expect(now.validators[0].balance).toBe(String(7_000n * TOKEN));
  });

  test("an epoch without a committee yet, or not an epoch, is refused with -32602", () => {
    const { call, setHead } = setup();
    expect(() => call("hmy_getValidators", [2])).toThrow("epoch 2 has no committee yet (the latest is epoch 1)");
    for (const bad of [undefined, -1, "x", 1.5, "0x"]) {
      try {
        call("hmy_getValidators", [bad]);
        throw new Error("accepted");
      } catch (e) {
        expect((e as { rpcCode?: number }).rpcCode).toBe(-32602);
      }
    }
    expect(() => call("hmy_getValidatorKeys", [5])).toThrow("no committee yet");
    setHead(63n); // the epoch's last block: the next committee is known
    expect(call("hmy_getValidators", [2]).validators).toHaveLength(3);
  });
});

describe("hmy_getSuperCommittees", () => {
  test("current and previous registries: members, voting power, stakes as of each election", () => {
    const { call, keys } = setup();
    const r = call("hmy_getSuperCommittees");
    expect(Object.keys(r)).toEqual(["previous", "current"]);
    const cur = r.current;
    expect(cur.epoch).toBe("1");
    expect(cur["external-slot-count"]).toBe("4");
    // Raw stakes per key as of block 31 (V1: 2,000 over two keys; V2: 3,000), not the head's 4,000.
    expect(cur["epos-median-stake"]).toBe(`${1_000n * TOKEN}.000000000000000000`);
    const s0 = cur["quorum-deciders"]["shard-0"];
    expect(s0).toMatchObject({
      policy: "SuperMajorityStake", count: "3", "external-validator-slot-count": "3",
      "hmy-voting-power": "0.000000000000000000", "staked-voting-power": "1.000000000000000000",
      "total-raw-stake": `${5_000n * TOKEN}.000000000000000000`, "total-effective-stake": `${4_000n * TOKEN}.000000000000000000`,
    });
    expect(s0["committee-members"]).toEqual([
      { "is-harmony-slot": false, "earning-account": hex(V2), "bls-public-key": bytesToHex(keys.k2), "voting-power-unnormalized": "0.500000000000000000", "voting-power-%": "0.500000000000000000", "effective-stake": `${2_000n * TOKEN}.000000000000000000`, "raw-stake": `${3_000n * TOKEN}.000000000000000000` },
      { "is-harmony-slot": false, "earning-account": hex(V1), "bls-public-key": bytesToHex(keys.k1a), "voting-power-unnormalized": "0.250000000000000000", "voting-power-%": "0.250000000000000000", "effective-stake": `${1_000n * TOKEN}.000000000000000000`, "raw-stake": `${1_000n * TOKEN}.000000000000000000` },
      { "is-harmony-slot": false, "earning-account": hex(V1), "bls-public-key": bytesToHex(keys.k1b), "voting-power-unnormalized": "0.250000000000000000", "voting-power-%": "0.250000000000000000", "effective-stake": `${1_000n * TOKEN}.000000000000000000`, "raw-stake": `${1_000n * TOKEN}.000000000000000000` },
    ]);
  });

  test("a committee with an unstaked genesis key: equal power per key, the key reported as a harmony slot", () => {
    const { call, keys } = setup();
    const prev = call("hmy_getSuperCommittees").previous;
    expect(prev.epoch).toBe("0");
    expect(prev["epos-median-stake"]).toBe(`${500n * TOKEN}.000000000000000000`); // genesis: 1,000 over two keys
    const s0 = prev["quorum-deciders"]["shard-0"];
    expect(s0).toMatchObject({ policy: "SuperMajorityVote", count: "2", "external-validator-slot-count": "1", "hmy-voting-power": "0.500000000000000000", "staked-voting-power": "0.500000000000000000" });
    expect(s0["committee-members"][1]).toEqual({ "is-harmony-slot": true, "earning-account": hex(ZERO), "bls-public-key": bytesToHex(keys.genesisKey), "voting-power-unnormalized": "1.000000000000000000", "voting-power-%": "0.500000000000000000" });
    expect(s0["committee-members"][0]["voting-power-unnormalized"]).toBe("1.000000000000000000");
    expect(s0["committee-members"][0]["voting-power-%"]).toBe("0.500000000000000000");
  });

  test("at an epoch's last block the next committee is current", () => {
    const { call, setHead } = setup();
    setHead(31n);
    expect(call("hmy_getSuperCommittees").current.epoch).toBe("1");
    setHead(30n);
    const r = call("hmy_getSuperCommittees");
    expect([r.previous.epoch, r.current.epoch]).toEqual(["0", "0"]);
  });
});

describe("committees of the node's own shard", () => {
  test("hmy_getValidatorKeys/hmy_getValidators answer for committeeShard (a shard node reads the beacon chain's state)", () => {
    const key = (b: number) => new Uint8Array(48).fill(b);
    const state: ShardState = {
      epoch: 0n,
      shards: [
        { shardId: 0, slots: [{ blsKey: key(1), validator: V1, effectiveStake: 1n }] },
        { shardId: 1, slots: [{ blsKey: key(2), validator: V2, effectiveStake: 1n }, { blsKey: key(3), validator: V2, effectiveStake: 1n }] },
      ],
    };
    const store = new StateStore(openStore(":memory:"));
    const src = (committeeShard: number): StakingInfoSource => ({
      shardId: 0, committeeShard, epochBlocks: 32, slots: 4, bandBps: () => 1500, state: store, head: () => createHeader({ number: 3n }), headerByNumber: () => undefined,
      committeeEpoch: () => 0n, shardStateAt: () => state, electionStateRoot: () => EMPTY_TRIE_ROOT, totalSupply: () => 0n,
    });
    const keys = (s: number) => (createStakingMethods(src(s)).hmy_getValidatorKeys as (p: unknown[], c: MethodContext) => unknown)([0], undefined as never);
    expect(keys(0)).toEqual([bytesToHex(key(1))]);
    expect(keys(1)).toEqual([bytesToHex(key(2)), bytesToHex(key(3))]);
  });
});
