// Issue 10 "genesis alloc is per shard": `alloc` is the beacon's, `shardAllocs[s]` shard s's; the dev
// genesis funds the dev accounts on every shard explicitly (DESIGN §4); each shard's chain starts from
// its own alloc; genesis supply per shard and network-wide (Σ shards); the JSON file's `shardAllocs`
// with typed errors. Single-shard genesis hashes and store fingerprints are pinned (unchanged).
import { describe, expect, test } from "bun:test";
import { Chain, ChainDB, ChainErrorCode, genesisSupply, initGenesis, networkGenesisSupply } from "../../../src/chain/index.ts";
import {
  ChainConfig, DEV_ACCOUNTS, DEV_ACCOUNT_BALANCE, DEV_CHAIN_CONFIG, type GenesisAlloc, type GenesisSpec, TOKEN, createDevGenesis, createShardCommon, genesisAllocOf, genesisFingerprint, genesisToJSON,
  parseGenesisJSON,
} from "../../../src/core/index.ts";
import { StateStore, WorldState } from "../../../src/state/index.ts";
import { type KVStore, openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";

const two = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), shardCount: 2 });
const a = (n: number) => new Uint8Array(20).fill(n);
/** A shard's store opened at genesis (what Chain.open does first). */
function open(spec: GenesisSpec, shardId: number, kv: KVStore = openStore(":memory:")) {
  const state = new StateStore(kv);
  const genesis = initGenesis(kv, new ChainDB(kv, createShardCommon(spec.config, shardId)), state, spec, shardId);
  return { genesis, account: (addr: Uint8Array) => new WorldState(state, genesis.stateRoot).getAccount(addr) };
}
const balance = (g: ReturnType<typeof open>, addr: Uint8Array) => g.account(addr)?.balance ?? 0n;

/** Two shards: the beacon funds 0x01… with 5 tokens and 0x02… with 7; shard 1 funds 0x02… with 11 and 0x03… with 13. */
function perShard(): GenesisSpec {
  const beacon: GenesisAlloc = [[a(1), { balance: 5n * TOKEN }], [a(2), { balance: 7n * TOKEN }]];
  const shard1: GenesisAlloc = [[a(2), { balance: 11n * TOKEN }], [a(3), { balance: 13n * TOKEN, nonce: 2n }]];
  return { ...createDevGenesis({ config: two }), alloc: beacon, shardAllocs: [beacon, shard1] };
}

describe("per-shard genesis alloc", () => {
  test("one shard: no shardAllocs; the genesis hash and the store fingerprint are the ones before per-shard allocs", async () => {
    const spec = createDevGenesis({ committees: [[new Uint8Array(48).fill(1)]] });
    expect(spec.shardAllocs).toBeUndefined();
    expect(bytesToHex(genesisFingerprint(spec))).toBe("0xe98714cf3f6a112b1b4af0162a25c74e216b2a8cde824e8ca4f27312281e7bae");
    expect(bytesToHex(open(spec, 0).genesis.hash)).toBe("0x0bc9e01bd928be39a126de269d4a25ba83861fa6c6e252d770bb4d00bce7673e");
    expect((await Chain.open(openStore(":memory:"), { genesis: spec, senderPool: null })).genesisSupply).toBe(10n * DEV_ACCOUNT_BALANCE);
    expect(genesisAllocOf(spec, 0)).toBe(spec.alloc);
    expect(() => genesisAllocOf(spec, 1)).toThrow(RangeError);
  });

  test("the dev genesis funds the ten dev accounts with 1,000,000 tokens on every shard, one alloc per shard", async () => {
    const spec = createDevGenesis({ config: two });
    expect(spec.shardAllocs).toHaveLength(2);
    expect(spec.shardAllocs?.[0]).toBe(spec.alloc);
    for (let s = 0; s < 2; s++) {
      const g = open(spec, s);
      for (const acct of DEV_ACCOUNTS) expect(balance(g, Uint8Array.from(Buffer.from(acct.address.slice(2), "hex")))).toBe(DEV_ACCOUNT_BALANCE);
      expect(genesisSupply(spec, s)).toBe(10n * DEV_ACCOUNT_BALANCE);
    }
    expect(networkGenesisSupply(spec)).toBe(20n * DEV_ACCOUNT_BALANCE);
    // The same accounts on both shards: the state, hence the genesis hashes, are those of one shared alloc.
    expect(bytesToHex(open(spec, 0).genesis.hash)).toBe("0xbd34123676f2097442f1acbd3ae326938b5fb29947917e9aacdf90bc716bd024");
    expect(bytesToHex(open(spec, 1).genesis.hash)).toBe("0xb33ab8b7f99f776ba4660946e21df5017c1b73c45053aaa722138756424fbeb1");
  });

  test("each shard's chain starts from its own alloc; supply per shard (stakes on the beacon only) and Σ over the network", async () => {
    const spec = { ...perShard(), validators: [{ address: a(9), blsKeys: [new Uint8Array(48).fill(9)], stake: 100n * TOKEN, commissionRate: 0n, maxCommissionRate: 0n, maxChangeRate: 0n, minSelfDelegation: 0n, maxTotalDelegation: 1000n * TOKEN, name: "g" }] };
    const beacon = open(spec, 0);
    const shard1 = open(spec, 1);
    expect([balance(beacon, a(1)), balance(beacon, a(2)), balance(beacon, a(3))]).toEqual([5n * TOKEN, 7n * TOKEN, 0n]);
    expect([balance(shard1, a(1)), balance(shard1, a(2)), balance(shard1, a(3))]).toEqual([0n, 11n * TOKEN, 13n * TOKEN]);
    expect(shard1.account(a(3))?.nonce).toBe(2n);
    expect(genesisSupply(spec, 0)).toBe(112n * TOKEN); // 5 + 7 + the genesis validator's 100
    expect(genesisSupply(spec, 1)).toBe(24n * TOKEN); // 11 + 13
    expect(networkGenesisSupply(spec)).toBe(136n * TOKEN);
    expect((await Chain.open(openStore(":memory:"), { genesis: spec, senderPool: null })).genesisSupply).toBe(112n * TOKEN);
    // Shard 1's genesis differs from the one a shared alloc gives it; the beacon's does not.
    const shared = { ...spec, shardAllocs: undefined };
    delete shared.shardAllocs;
    expect(bytesToHex(shard1.genesis.hash)).not.toBe(bytesToHex(open(shared, 1).genesis.hash));
    expect(bytesToHex(beacon.genesis.hash)).toBe(bytesToHex(open(shared, 0).genesis.hash));
    expect(genesisSupply(shared, 1)).toBe(12n * TOKEN);
  });

  test("a store holding another shard alloc is a genesis mismatch (the fingerprint covers every shard's alloc)", () => {
    const kv = openStore(":memory:");
    open(perShard(), 1, kv);
    expect(open(perShard(), 1, kv).genesis.hash).toEqual(open(perShard(), 1).genesis.hash); // reopened: recognised
    const other = perShard();
    other.shardAllocs = [other.alloc, [[a(3), { balance: 1n }]]];
    expect(bytesToHex(genesisFingerprint(other))).not.toBe(bytesToHex(genesisFingerprint(perShard())));
    let error: unknown;
    try {
      open(other, 1, kv);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ type: { code: ChainErrorCode.GENESIS_MISMATCH } });
  });

  test("genesisAllocOf: the shard's entry; a list that is not one alloc per shard is refused", () => {
    const spec = perShard();
    expect(genesisAllocOf(spec, 1)).toBe(spec.shardAllocs?.[1] as GenesisAlloc);
    expect(genesisAllocOf(spec, 0)).toBe(spec.alloc);
    expect(() => genesisAllocOf({ ...spec, shardAllocs: [spec.alloc] }, 1)).toThrow("shardAllocs lists 1 allocs for 2 shards");
    expect(() => genesisAllocOf(spec, 2)).toThrow(RangeError);
  });
});

describe("genesis file: shardAllocs", () => {
  test("round trip; alloc may be left out (then shardAllocs[0])", () => {
    const spec = perShard();
    const json = genesisToJSON(spec);
    expect(Object.keys(json.shardAllocs as object)).toHaveLength(2);
    expect(parseGenesisJSON(JSON.parse(JSON.stringify(json)))).toEqual(spec);
    const { alloc: _beacon, ...withoutAlloc } = json;
    const back = parseGenesisJSON(JSON.parse(JSON.stringify(withoutAlloc)));
    expect(back.alloc).toEqual(spec.alloc);
    expect(genesisFingerprint(back)).toEqual(genesisFingerprint(spec));
  });

  test("malformed shardAllocs are typed errors naming the field", () => {
    const json = JSON.parse(JSON.stringify(genesisToJSON(perShard()))) as Record<string, unknown>;
    const allocs = json.shardAllocs as Record<string, unknown>[];
    const bad = (patch: Record<string, unknown>) => () => parseGenesisJSON({ ...json, ...patch });
    expect(bad({ shardAllocs: {} })).toThrow(TypeError);
    expect(bad({ shardAllocs: [allocs[0]] })).toThrow("shardAllocs lists 1 allocs, the config has 2 shards");
    expect(bad({ shardAllocs: [allocs[0], allocs[1], {}] })).toThrow(RangeError);
    expect(bad({ shardAllocs: [allocs[0], []] })).toThrow("shardAllocs[1] must be an object");
    expect(bad({ shardAllocs: [allocs[0], { ["0x" + "03".repeat(20)]: null }] })).toThrow(TypeError);
    expect(bad({ shardAllocs: [allocs[0], { "0x03": { balance: "1" } }] })).toThrow("shardAllocs[1] address must be 20 bytes");
    expect(bad({ shardAllocs: [allocs[0], { ["0x" + "03".repeat(20)]: { balance: "-1" } }] })).toThrow("shardAllocs[1] 0x0303030303030303030303030303030303030303 balance");
    expect(bad({ shardAllocs: [allocs[0], { ["0x" + "03".repeat(20)]: { storage: [] } }] })).toThrow(TypeError);
    expect(bad({ alloc: allocs[1] })).toThrow("alloc (the beacon shard's) differs from shardAllocs[0]");
    expect(() => parseGenesisJSON({ alloc: [] })).toThrow(TypeError);
    expect(() => parseGenesisJSON({ alloc: { ["0x" + "11".repeat(20)]: 5 } })).toThrow("alloc 0x1111111111111111111111111111111111111111 must be an object");
  });
});
