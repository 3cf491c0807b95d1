// hmy_getNetworkSupply's proven figures (DESIGN §Sharding): a node that runs only the beacon chain
// takes shard 1's totals at the block the beacon chain last crosslinked, from a peer's header + proof
// (`shard/supplyProof`, served by a node running shard 1), checked against the crosslinked hash and the
// header's stateRoot. A peer with a forged proof is penalized and the next peer asked; a shard without
// a crosslink falls back to a peer's report; the genesis figure is our own genesis spec's.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Chain, genesisSupply } from "../../../src/chain/index.ts";
import type { GenesisSpec } from "../../../src/core/index.ts";
import { decodeShardSupplyProof, encodeShardSupplyProof } from "../../../src/execution/index.ts";
import type { RequestHandler } from "../../../src/p2p/index.ts";
import { SHARD_SUPPLY_PROOF_METHOD, getNetworkSupply, serveShardSupply, shardBalanceTotal } from "../../../src/node/networkSupply.ts";
import { type ShardKeys, addr, cxTx, openBeacon, openShard1, produceNext, shardConfig, shardGenesis, shardKeys, signedCrossLink } from "../chain/_shards.ts";

const config = shardConfig();
let k: ShardKeys;
let genesis: GenesisSpec;
beforeAll(async () => {
  k = await shardKeys();
  genesis = shardGenesis(k, config);
});

/** A beacon-network stand-in: peer ids to their request handlers (an honest node runs shard 1; others tamper or go away). */
function network(handlers: Map<string, Map<string, RequestHandler>>) {
  const penalized: string[] = [];
  const asked: string[] = [];
  return {
    penalized, asked,
    p2p: {
      peers: () => [...handlers.keys()].map((id) => ({ id })) as never,
      reportInvalid: (peer: string) => void penalized.push(peer),
      request: async (peer: string, method: string, data: Uint8Array) => {
        asked.push(`${peer} ${method}`);
        const h = handlers.get(peer)?.get(method);
        if (h === undefined) throw new Error("unknown method");
        return h(data, "us");
      },
    },
  };
}
const servedBy = (chain: Chain) => {
  const m = new Map<string, RequestHandler>();
  serveShardSupply({ handle: (method, fn) => (m.set(method, fn), () => m.delete(method)) }, (s) => (s === chain.shardId ? chain : undefined));
  return m;
};

describe("proven network supply", () => {
  test("shard 1 proven at its crosslinked block (behind its head); a forger is penalized; figures = shard 1's own records there", async () => {
    const beacon = await openBeacon(genesis);
    const shard1 = await openShard1(genesis, beacon.beaconView());
    const sent = await produceNext(shard1, [cxTx(config, 1, 2, 0n, 5n * 10n ** 18n, addr(0xb1), 0)]);
    await produceNext(beacon, [], { pendingCrossLinks: [signedCrossLink(k, sent.header)] });
    await produceNext(shard1, [cxTx(config, 1, 3, 0n, 1n, addr(0xb2), 0)]); // after the crosslink: not in the proven figures
    const honest = servedBy(shard1);
    const forger = new Map<string, RequestHandler>([[SHARD_SUPPLY_PROOF_METHOD, async (data, from) => {
      const p = decodeShardSupplyProof(await (honest.get(SHARD_SUPPLY_PROOF_METHOD) as RequestHandler)(data, from));
      return encodeShardSupplyProof({ ...p, totals: { ...p.totals, cxOut: 0n } }); // hides what it sent
    }]]);
    const net = network(new Map([["gone", new Map()], ["forger", forger], ["honest", honest]]));
    const n = await getNetworkSupply({
      shardCount: 2, local: (s) => (s === 0 ? beacon : undefined), crossLinkOf: (s) => beacon.db.getLastCrossLink(s), genesisOf: (s) => genesisSupply(genesis, s), p2p: net.p2p,
    });
    expect(net.penalized).toEqual(["forger"]);
    expect(net.asked).toEqual(["gone shard/supplyProof", "forger shard/supplyProof", "honest shard/supplyProof"]);
    expect(n.shards.map((s) => s.source)).toEqual(["local", "proven"]);
    const proven = n.shards[1] as (typeof n.shards)[number];
    expect(proven.blockNumber).toBe(sent.number);
    expect(proven.blockHash).toEqual(sent.hash);
    expect(shard1.head.number).toBe(sent.number + 1n);
    const r = shard1.getBurntFees(sent.hash);
    expect(proven).toMatchObject({ genesis: shard1.genesisSupply, issued: r?.cumulativeIssued, burnt: r?.cumulativeBurnt, cxOut: r?.cumulativeCxOut, cxIn: 0n });
    expect(proven.cxOut).toBe(5n * 10n ** 18n);
    // Total exact; in flight = what shard 1 sent up to its proven block (not yet credited on the beacon).
    expect(n.inFlight).toBe(5n * 10n ** 18n);
    expect(n.total).toBe(n.shards.reduce((t, s) => t + shardBalanceTotal(s), 0n) + n.inFlight);
  });

  test("only forgers: an error naming the shard and the crosslinked block; no crosslink yet: a peer's report (\"peer\") with our genesis figure", async () => {
    const beacon = await openBeacon(genesis);
    const shard1 = await openShard1(genesis, beacon.beaconView());
    const sent = await produceNext(shard1, []);
    const honest = servedBy(shard1);
    const net = network(new Map([["honest", honest]]));
    const opts = { shardCount: 2, local: (s: number) => (s === 0 ? beacon : undefined), crossLinkOf: (s: number) => beacon.db.getLastCrossLink(s), genesisOf: () => 42n, p2p: net.p2p };
    const reported = await getNetworkSupply(opts);
    expect(reported.shards[1]).toMatchObject({ source: "peer", genesis: 42n, blockNumber: sent.number });
    await produceNext(beacon, [], { pendingCrossLinks: [signedCrossLink(k, sent.header)] });
    // A header that is not the crosslinked block (shard 1's genesis) with the real proofs.
    const lying = new Map<string, RequestHandler>([[SHARD_SUPPLY_PROOF_METHOD, async (data, from) => {
      const p = decodeShardSupplyProof(await (honest.get(SHARD_SUPPLY_PROOF_METHOD) as RequestHandler)(data, from));
      return encodeShardSupplyProof({ ...p, header: shard1.genesis });
    }]]);
    const bad = network(new Map([["lying", lying]]));
    await expect(getNetworkSupply({ ...opts, p2p: bad.p2p })).rejects.toThrow(/shard 1 at its crosslinked block 1/);
    expect(bad.penalized).toEqual(["lying"]);
    const proven = await getNetworkSupply(opts);
    expect(proven.shards[1]).toMatchObject({ source: "proven", genesis: 42n, blockNumber: sent.number });
  });
});
