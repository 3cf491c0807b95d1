// The shard state of beacon headers (DESIGN §Staking/§Sharding): round trip, strict decoding, and the
// genesis form of plain keys.
import { describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import { type ShardState, decodeShardState, encodeGenesisShardState, encodeShardState, shardSlots, shardStateFromGenesisCommittees } from "../../../src/core/index.ts";

const key = (n: number) => new Uint8Array(48).fill(n);
const addr = (n: number) => new Uint8Array(20).fill(n);
const state: ShardState = {
  epoch: 7n,
  shards: [
    { shardId: 0, slots: [{ blsKey: key(1), validator: addr(1), effectiveStake: 10n ** 21n }, { blsKey: key(2), validator: addr(1), effectiveStake: 10n ** 21n }] },
    { shardId: 1, slots: [{ blsKey: key(3), validator: addr(2), effectiveStake: 5n }] },
  ],
};

describe("shard state", () => {
  test("round trip", () => {
    expect(decodeShardState(encodeShardState(state))).toEqual(state);
    expect(shardSlots(state, 1)?.[0]?.effectiveStake).toBe(5n);
    expect(shardSlots(state, 2)).toBeUndefined();
  });

  test("genesis committees: epoch 0, no validator, no stake", () => {
    const g = decodeShardState(encodeGenesisShardState([[key(1), key(2)], [key(3)]]));
    expect(g).toEqual(shardStateFromGenesisCommittees([[key(1), key(2)], [key(3)]]));
    expect(g.shards[0]?.slots[1]).toEqual({ blsKey: key(2), validator: new Uint8Array(20), effectiveStake: 0n });
  });

  test("strict: bad lengths, unordered shards, a key twice, trailing bytes, non-canonical integers", () => {
    const enc = (x: unknown) => RLP.encode(x as never);
    expect(() => decodeShardState(enc([Uint8Array.of(1), [[Uint8Array.of(), [[key(1).subarray(1), addr(1), Uint8Array.of(1)]]]]]))).toThrow("expected 48 bytes");
    expect(() => decodeShardState(enc([Uint8Array.of(1), [[Uint8Array.of(1), []], [Uint8Array.of(), []]]]))).toThrow("not ascending");
    expect(() => decodeShardState(enc([Uint8Array.of(1), [[Uint8Array.of(), [[key(1), addr(1), Uint8Array.of(1)], [key(1), addr(2), Uint8Array.of(1)]]]]]))).toThrow("listed twice");
    expect(() => decodeShardState(enc([Uint8Array.of(0), []]))).toThrow("leading zero");
    const good = encodeShardState(state);
    const trailing = new Uint8Array(good.length + 1);
    trailing.set(good);
    expect(() => decodeShardState(trailing)).toThrow(SyntaxError);
  });
});
