/**
 * The committee of shard S for an epoch, read from the beacon chain's shard state (DESIGN §2: one
 * function answers it; every user of a committee asks it). Voting power is the slot's effective stake;
 * a committee with any unstaked slot (a genesis committee of plain keys) has equal power per key.
 * Slots held by one validator share its index, so the leader schedule can skip a failed validator's
 * keys together.
 * @module
 */
import { type ShardState, shardSlots } from "../core/index.ts";

/** A committee as plain data (what `createCommittee` of the consensus layer takes). */
export interface CommitteeSpec {
  readonly keys: readonly Uint8Array[];
  readonly power: readonly bigint[];
  /** Validator index of each slot. */
  readonly validators: readonly number[];
  /** Validator address of each slot (all zero for unstaked genesis keys). */
  readonly addresses: readonly Uint8Array[];
}

const isZero = (a: Uint8Array) => a.every((b) => b === 0);

/**
 * The committee of `shardId` in `state`, or undefined when the state has no slot for that shard.
 */
export function getCommitteeSpec(state: ShardState, shardId: number): CommitteeSpec | undefined {
  const slots = shardSlots(state, shardId);
  if (slots === undefined || slots.length === 0) return undefined;
  const staked = slots.every((s) => s.effectiveStake > 0n);
  const index = new Map<string, number>();
  const validators = slots.map((s, i) => nextIndex(index, isZero(s.validator) ? `slot:${i}` : s.validator.join(",")));
  return {
    keys: slots.map((s) => s.blsKey),
    power: slots.map((s) => (staked ? s.effectiveStake : 1n)),
    validators,
    addresses: slots.map((s) => s.validator),
  };
}

function nextIndex(index: Map<string, number>, key: string): number {
  const had = index.get(key);
  if (had !== undefined) return had;
  const n = index.size;
  index.set(key, n);
  return n;
}
