// Issue 10 (resharding, DESIGN §Sharding): the epoch end deals the elected slots, permuted by the
// epoch's randomness, round-robin over the shards — deterministic, a permutation, seed-dependent.
import { describe, expect, test } from "bun:test";
import { dealSlots } from "../../../src/execution/index.ts";
import { keccak256 } from "../../../src/crypto/index.ts";
import { shuffleCommittee, shuffleSeed } from "../../../src/randomness/index.ts";
import type { CommitteeSlot } from "../../../src/staking/index.ts";

const slot = (i: number): CommitteeSlot =>
  ({ blsKey: new Uint8Array(48).fill(i + 1), validator: new Uint8Array(20).fill(i + 1), effectiveStake: BigInt(1000 + i) }) as CommitteeSlot;
const elected = Array.from({ length: 13 }, (_, i) => slot(i));
const randomness = (n: number) => keccak256(Uint8Array.of(n));
const shuffleOf = (r: Uint8Array, epoch: bigint) => <T>(s: readonly T[]) => shuffleCommittee(s, shuffleSeed(r, epoch));
const id = (s: { blsKey: Uint8Array }) => s.blsKey[0] as number;

describe("dealSlots", () => {
  test("without a shuffle: election order, slot i to shard i mod S", () => {
    const st = dealSlots(elected, { shardCount: 3, epoch: 5n });
    expect(st.epoch).toBe(5n);
    expect(st.shards.map((sh) => sh.shardId)).toEqual([0, 1, 2]);
    expect(st.shards.map((sh) => sh.slots.map(id))).toEqual([[1, 4, 7, 10, 13], [2, 5, 8, 11], [3, 6, 9, 12]]);
  });

  test("shuffled: the shuffle's order dealt round-robin, a permutation of the elected slots, the same on every call", () => {
    const shuffle = shuffleOf(randomness(1), 6n);
    const order = shuffle(elected);
    const st = dealSlots(elected, { shardCount: 3, epoch: 6n, shuffle });
    expect(dealSlots(elected, { shardCount: 3, epoch: 6n, shuffle })).toEqual(st);
    st.shards.forEach((sh, s) => expect(sh.slots.map(id)).toEqual(order.filter((_, i) => i % 3 === s).map(id)));
    const all = st.shards.flatMap((sh) => sh.slots.map(id)).sort((a, b) => a - b);
    expect(all).toEqual(elected.map(id));
    expect(st.shards.map((sh) => sh.slots.length)).toEqual([5, 4, 4]);
    // Slots keep their validator and stake.
    for (const sh of st.shards) for (const x of sh.slots) expect(x).toEqual({ blsKey: x.blsKey, validator: elected[id(x) - 1]!.validator, effectiveStake: elected[id(x) - 1]!.effectiveStake });
    expect(order.map(id)).not.toEqual(elected.map(id));
  });

  test("one shard still gets the shuffled order; other randomness or another epoch deals otherwise", () => {
    const one = dealSlots(elected, { shardCount: 1, epoch: 2n, shuffle: shuffleOf(randomness(1), 2n) });
    expect(one.shards[0]!.slots.map(id)).toEqual(shuffleOf(randomness(1), 2n)(elected).map(id));
    expect(one.shards[0]!.slots.map(id)).not.toEqual(elected.map(id));
    const other = dealSlots(elected, { shardCount: 1, epoch: 2n, shuffle: shuffleOf(randomness(2), 2n) });
    const later = dealSlots(elected, { shardCount: 1, epoch: 3n, shuffle: shuffleOf(randomness(1), 3n) });
    expect(other.shards[0]!.slots.map(id)).not.toEqual(one.shards[0]!.slots.map(id));
    expect(later.shards[0]!.slots.map(id)).not.toEqual(one.shards[0]!.slots.map(id));
  });

  test("a shuffle that loses slots is a broken invariant", () => {
    expect(() => dealSlots(elected, { shardCount: 2, epoch: 1n, shuffle: <T>(s: readonly T[]) => s.slice(1) })).toThrow("resharding invariant");
  });
});
