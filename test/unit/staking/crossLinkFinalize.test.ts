// DESIGN §Staking "beacon blocks directly, shard blocks when crosslinked" at the finalize step: the
// parent's reward and each crosslinked shard block's reward are paid by the same payout (effective
// stake among the signers, commission, pool) and counted for availability; a link whose signers hold
// no staking record issues nothing; a link of an earlier epoch counts for the lifetime only.
import { describe, expect, test } from "bun:test";
import { DEV_CHAIN_CONFIG, EMPTY_TRIE_ROOT, type GenesisSpec, TOKEN } from "../../../src/core/index.ts";
import { finalizeBlock } from "../../../src/execution/index.ts";
import { StateStore, WorldState } from "../../../src/state/index.ts";
import { type CommitteeSlot, DEC_ONE, StakingState, processGenesisValidators } from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";

const params = DEV_CHAIN_CONFIG.staking;
const addr = (i: number) => new Uint8Array(20).fill(i);
const V1 = addr(1);
const V2 = addr(2);
const slot = (validator: Uint8Array, stake: bigint, seed: number): CommitteeSlot => ({ blsKey: new Uint8Array(48).fill(seed), validator, effectiveStake: stake * TOKEN });

/** V1 (10% commission) and V2 (no commission), each self-staked. */
function setup() {
  const world = new WorldState(new StateStore(openStore(":memory:")), EMPTY_TRIE_ROOT);
  const v = (address: Uint8Array, seed: number, rate: bigint) => ({
    address, blsKeys: [new Uint8Array(48).fill(seed)], stake: 1000n * TOKEN, commissionRate: rate, maxCommissionRate: DEC_ONE / 2n, maxChangeRate: 0n,
    minSelfDelegation: 0n, maxTotalDelegation: 10_000n * TOKEN, name: "",
  });
  processGenesisValidators(new StakingState(world), { validators: [v(V1, 1, DEC_ONE / 10n), v(V2, 2, 0n)] } as GenesisSpec);
  return { world, staking: () => new StakingState(world) };
}

describe("finalize: rewards of crosslinked shard blocks", () => {
  test("worked example: the parent's reward plus two links, one of them signed by unstaked keys only", () => {
    const { world, staking } = setup();
    const out = finalizeBlock(world, {
      params,
      parentRewards: { committee: [slot(V1, 100n, 1)], signed: [true], sameEpoch: true },
      crossLinkRewards: [
        // V1's 300 and V2's first 300 signed, V2's 400 did not: 3.5 tokens each.
        { committee: [slot(V1, 300n, 3), slot(V2, 400n, 4), slot(V2, 300n, 5)], signed: [true, false, true], sameEpoch: true },
        { committee: [slot(new Uint8Array(20), 0n, 6), slot(new Uint8Array(20), 0n, 7)], signed: [true, true], sameEpoch: true },
      ],
    });
    expect(out.issued).toBe(14n * TOKEN); // 7 (beacon parent) + 7 (first link) + 0 (nobody with a record signed)
    const s = staking();
    expect(s.getValidator(V1)).toMatchObject({ lifetimeReward: 10_500_000_000_000_000_000n, rewardPool: 9_450_000_000_000_000_000n, epochToSign: 2n, epochSigned: 2n });
    expect(s.getDelegation(V1, V1)?.reward).toBe(1_050_000_000_000_000_000n); // 10% of 7 and of 3.5
    expect(s.getValidator(V2)).toMatchObject({ lifetimeReward: 3_500_000_000_000_000_000n, rewardPool: 3_500_000_000_000_000_000n, epochToSign: 2n, epochSigned: 1n });
  });

  test("a link of an earlier epoch pays the same, its availability counts for the lifetime only", () => {
    const { world, staking } = setup();
    const out = finalizeBlock(world, { params, crossLinkRewards: [{ committee: [slot(V1, 300n, 3), slot(V2, 100n, 4)], signed: [false, true], sameEpoch: false }] });
    expect(out.issued).toBe(7n * TOKEN);
    expect(staking().getValidator(V1)).toMatchObject({ lifetimeReward: 0n, epochToSign: 0n, lifetimeToSign: 1n, lifetimeSigned: 0n });
    expect(staking().getValidator(V2)).toMatchObject({ lifetimeReward: 7n * TOKEN, epochToSign: 0n, epochSigned: 0n, lifetimeToSign: 1n, lifetimeSigned: 1n });
  });
});
