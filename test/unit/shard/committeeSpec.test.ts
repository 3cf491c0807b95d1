// DESIGN §2/§Consensus: one function gives the committee of shard S for an epoch from the shard state —
// power by effective stake (equal for a genesis committee of plain keys), keys of one validator sharing
// its index; it feeds the consensus layer's createCommittee unchanged.
import { describe, expect, test } from "bun:test";
import { createCommittee } from "../../../src/consensus/index.ts";
import { shardStateFromGenesisCommittees } from "../../../src/core/index.ts";
import { getCommitteeSpec } from "../../../src/shard/index.ts";

const key = (n: number) => new Uint8Array(48).fill(n);
const addr = (n: number) => new Uint8Array(20).fill(n);

describe("committee of a shard", () => {
  test("staked slots: power = effective stake, one index per validator", () => {
    const spec = getCommitteeSpec(
      {
        epoch: 3n,
        shards: [
          {
            shardId: 0,
            slots: [
              { blsKey: key(1), validator: addr(9), effectiveStake: 300n },
              { blsKey: key(2), validator: addr(8), effectiveStake: 345n },
              { blsKey: key(3), validator: addr(9), effectiveStake: 300n },
            ],
          },
        ],
      },
      0,
    );
    expect(spec?.power).toEqual([300n, 345n, 300n]);
    expect(spec?.validators).toEqual([0, 1, 0]);
    const c = createCommittee(spec as NonNullable<typeof spec>);
    expect(c.totalPower).toBe(945n);
  });

  test("genesis keys: equal power, each key its own validator; unknown shard: undefined", () => {
    const g = shardStateFromGenesisCommittees([[key(1), key(2), key(3)], []]);
    expect(getCommitteeSpec(g, 0)).toMatchObject({ power: [1n, 1n, 1n], validators: [0, 1, 2] });
    expect(getCommitteeSpec(g, 1)).toBeUndefined();
    expect(getCommitteeSpec(g, 5)).toBeUndefined();
  });
});
