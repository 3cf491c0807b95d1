/**
 * Harmony's `hmy_getSuperCommittees` registry of one epoch (harmony-one/harmony consensus/quorum:
 * Registry, and the staked decider's JSON), built from the shard state in force and the committee
 * the shard layer derives from it — nothing here keeps a committee of its own. Our slots have no
 * Harmony-operated share of power: an unstaked genesis key (no validator address) is reported as a
 * "harmony slot", and voting power is the one consensus uses (effective stake, or equal per key
 * while any slot is unstaked).
 */
import type { ShardState } from "../core/index.ts";
import { getCommitteeSpec } from "../shard/index.ts";
import { DEC_ONE, computeMedianStake } from "../staking/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import { address, dec } from "./_stakingJSON.ts";

/** What one epoch's registry is built from. */
export interface RegistryInput {
  /** The shard state in force at the epoch. */
  readonly state: ShardState;
  /** The epoch the registry describes (the shard state may be carried over from an earlier one). */
  readonly epoch: bigint;
  /** Slots open to staked validators (K per shard × shards). */
  readonly externalSlots: number;
  /** Raw stake per key of a staked validator as of the election, or undefined when it has no record. */
  readonly rawStakePerKey: (validator: Uint8Array) => bigint | undefined;
}

const isZero = (a: Uint8Array) => a.every((b) => b === 0);
const share = (part: bigint, whole: bigint) => dec(whole === 0n ? 0n : (part * DEC_ONE) / whole);
const amount = (wei: bigint) => dec(wei * DEC_ONE);

function deciderJSON(state: ShardState, shardId: number, rawOf: (v: Uint8Array) => bigint | undefined): { json: Record<string, unknown>; raws: bigint[] } {
  const slots = state.shards.find((s) => s.shardId === shardId)?.slots ?? [];
  const spec = getCommitteeSpec(state, shardId);
  const power = spec?.power ?? [];
  const totalPower = power.reduce((n, p) => n + p, 0n);
  const harmony = slots.map((s) => isZero(s.validator));
  const harmonyCount = BigInt(harmony.filter(Boolean).length);
  const stakedEffective = slots.reduce((n, s, i) => (harmony[i] ? n : n + s.effectiveStake), 0n);
  let harmonyPower = 0n;
  let totalRaw = 0n;
  const raws: bigint[] = [];
  const members = slots.map((s, i) => {
    const p = power[i] ?? 0n;
    const m: Record<string, unknown> = {
      "is-harmony-slot": harmony[i],
      "earning-account": address(s.validator),
      "bls-public-key": bytesToHex(s.blsKey),
      // Harmony's group percent: the share within the slot's own group (harmony keys or staked keys).
      "voting-power-unnormalized": harmony[i] ? share(1n, harmonyCount) : share(s.effectiveStake, stakedEffective),
      "voting-power-%": share(p, totalPower),
    };
    if (harmony[i]) {
      harmonyPower += p;
      return m;
    }
    m["effective-stake"] = amount(s.effectiveStake);
    const raw = rawOf(s.validator);
    if (raw !== undefined) {
      m["raw-stake"] = amount(raw);
      totalRaw += raw;
      raws.push(raw);
    }
    return m;
  });
  const staked = slots.length > 0 && slots.every((s) => s.effectiveStake > 0n);
  return {
    raws,
    json: {
      policy: staked ? "SuperMajorityStake" : "SuperMajorityVote",
      count: slots.length,
      "external-validator-slot-count": harmony.filter((h) => !h).length,
      "committee-members": members,
      "hmy-voting-power": share(harmonyPower, totalPower),
      "staked-voting-power": share(totalPower - harmonyPower, totalPower),
      "total-raw-stake": amount(totalRaw),
      "total-effective-stake": amount(stakedEffective),
    },
  };
}

/** Harmony's `Registry` JSON: `quorum-deciders` by `shard-N`, the external slot count, the median raw stake and the epoch. */
export function superCommitteeRegistryJSON(input: RegistryInput): Record<string, unknown> {
  const deciders: Record<string, unknown> = {};
  const raws: bigint[] = [];
  for (const { shardId } of input.state.shards) {
    const d = deciderJSON(input.state, shardId, input.rawStakePerKey);
    deciders[`shard-${shardId}`] = d.json;
    raws.push(...d.raws);
  }
  return {
    "quorum-deciders": deciders,
    "external-slot-count": input.externalSlots,
    "epos-median-stake": amount(raws.length === 0 ? 0n : computeMedianStake(raws)),
    epoch: Number(input.epoch),
  };
}
