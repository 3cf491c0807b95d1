import { describe, expect, test } from "bun:test";
import { rlpEncode, bigintToBytes } from "../../../src/core/index.ts";
import { type ShardSupply, decodeShardSupply, encodeShardSupply, getNetworkSupply, shardBalanceTotal, shardSupplyOf } from "../../../src/node/networkSupply.ts";

const hash = (b: number) => new Uint8Array(32).fill(b);
const fakeChain = (shardId: number, genesis: bigint, r: { issued: bigint; burnt: bigint; slashed: bigint; out: bigint; inn: bigint }) =>
  ({
    shardId, head: { number: 10n + BigInt(shardId), hash: hash(shardId + 1) }, genesisSupply: genesis,
    getBurntFees: () => ({ cumulativeIssued: r.issued, cumulativeBurnt: r.burnt, cumulativeBurntSlashes: r.slashed, cumulativeCxOut: r.out, cumulativeCxIn: r.inn }),
  }) as never;

describe("network supply", () => {
  test("a shard's totals round-trip through the p2p encoding; malformed bytes are a SyntaxError", () => {
    const s: ShardSupply = { shardId: 3, blockNumber: 99n, blockHash: hash(7), genesis: 10n ** 24n, issued: 5n, burnt: 2n, cxOut: 7n, cxIn: 1n };
    expect(decodeShardSupply(encodeShardSupply(s))).toEqual(s);
    expect(() => decodeShardSupply(rlpEncode([bigintToBytes(1n)]))).toThrow(SyntaxError);
    expect(() => decodeShardSupply(new Uint8Array([0xff]))).toThrow();
  });

  test("no crosslink of a shard yet: total = Σ genesis + issued − burnt over shards; in flight = Σ sent − Σ credited; peers report for shards not run here", async () => {
    const s0 = fakeChain(0, 1_000n, { issued: 70n, burnt: 3n, slashed: 2n, out: 40n, inn: 15n });
    const s1 = fakeChain(1, 500n, { issued: 0n, burnt: 4n, slashed: 0n, out: 20n, inn: 30n });
    const asked: string[] = [];
    const p2p = {
      peers: () => [{ id: "a" }, { id: "b" }] as never,
      reportInvalid: () => undefined,
      request: async (peer: string) => {
        asked.push(peer);
        if (peer === "a") throw new Error("not run here");
        return encodeShardSupply(shardSupplyOf(s1));
      },
    };
    const n = await getNetworkSupply({ shardCount: 2, local: (s) => (s === 0 ? s0 : undefined), p2p });
    expect(asked).toEqual(["a", "b"]);
    expect(n.total).toBe(1_000n + 70n - 5n + 500n - 4n);
    expect(n.inFlight).toBe(40n + 20n - 15n - 30n);
    expect(n.shards.map((s) => s.source)).toEqual(["local", "peer"]);
    // What the shards' accounts hold plus what is in flight is the total.
    expect(n.shards.reduce((t, s) => t + shardBalanceTotal(s), 0n) + n.inFlight).toBe(n.total);
  });

  test("a shard no peer answers for is an error naming it", async () => {
    const p2p = { peers: () => [{ id: "a" }] as never, reportInvalid: () => undefined, request: async () => { throw new Error("gone"); } };
    await expect(getNetworkSupply({ shardCount: 2, local: () => undefined, p2p })).rejects.toThrow(/shard 0/);
  });
});
