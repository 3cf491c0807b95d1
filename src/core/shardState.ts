/**
 * The shard state a beacon header carries (DESIGN §Staking, §Sharding): for an epoch, every shard's
 * committee as slots — BLS key, the validator (operator address) holding it and its effective stake,
 * from which voting power follows. The genesis header carries epoch 0's; the beacon chain's last block
 * of each epoch carries the next epoch's. Decoding is strict: one meaning per byte string.
 * @module
 */
import { asBytes, asList, bigintToBytes, decodeInt, rlpDecode, rlpEncode } from "./_codec.ts";

/** One committee slot. */
export interface ShardStateSlot {
  /** 48-byte compressed BLS public key. */
  readonly blsKey: Uint8Array;
  /** 20-byte validator address; all zero for a genesis key that no staked validator holds. */
  readonly validator: Uint8Array;
  /** Effective stake in wei; 0 for unstaked genesis keys (equal power). */
  readonly effectiveStake: bigint;
}

/** The committees of one epoch. */
export interface ShardState {
  readonly epoch: bigint;
  /** By ascending shard id. */
  readonly shards: readonly { readonly shardId: number; readonly slots: readonly ShardStateSlot[] }[];
}

/** Most slots in one shard's committee (the header bitmap's bound). */
export const MAX_SHARD_SLOTS = 8192;

const ZERO_ADDRESS = new Uint8Array(20);

/** RLP: [epoch, [[shardId, [[blsKey, validator, effectiveStake]…]]…]]. */
export function encodeShardState(s: ShardState): Uint8Array {
  return rlpEncode([
    bigintToBytes(s.epoch),
    s.shards.map((sh) => [bigintToBytes(BigInt(sh.shardId)), sh.slots.map((x) => [x.blsKey, x.validator, bigintToBytes(x.effectiveStake)])]),
  ]);
}

/**
 * Decode a shard state.
 * @throws {SyntaxError} on a malformed or non-canonical encoding, unordered shards, a key listed twice.
 */
export function decodeShardState(bytes: Uint8Array): ShardState {
  const top = asList(rlpDecode(bytes, "shardState"), "shardState", 2);
  const epoch = decodeInt(top[0], "shardState.epoch", 8);
  let last = -1;
  const seen = new Set<string>();
  const shards = asList(top[1], "shardState.shards").map((raw, i) => {
    const f = asList(raw, `shardState.shards[${i}]`, 2);
    const shardId = Number(decodeInt(f[0], "shardId", 4));
    if (shardId <= last) throw new SyntaxError(`shardState: shard ids not ascending at ${shardId}`);
    last = shardId;
    const list = asList(f[1], `shard ${shardId} slots`);
    if (list.length > MAX_SHARD_SLOTS) throw new SyntaxError(`shardState: shard ${shardId} has ${list.length} slots (at most ${MAX_SHARD_SLOTS})`);
    const slots = list.map((s, j) => {
      const g = asList(s, `shard ${shardId} slot ${j}`, 3);
      const blsKey = asBytes(g[0], "blsKey", 48);
      const id = blsKey.join(",");
      if (seen.has(id)) throw new SyntaxError(`shardState: a BLS key is listed twice (shard ${shardId} slot ${j})`);
      seen.add(id);
      return { blsKey, validator: asBytes(g[1], "validator", 20), effectiveStake: decodeInt(g[2], "effectiveStake") };
    });
    return { shardId, slots };
  });
  return { epoch, shards };
}

/** Epoch 0's shard state from genesis committees of plain keys (no stake: equal power). */
export function shardStateFromGenesisCommittees(committees: readonly (readonly Uint8Array[])[]): ShardState {
  return {
    epoch: 0n,
    shards: committees.map((keys, shardId) => ({ shardId, slots: keys.map((blsKey) => ({ blsKey, validator: ZERO_ADDRESS, effectiveStake: 0n })) })),
  };
}

/** The slots of `shardId`, or undefined when the shard state does not list it. */
export function shardSlots(s: ShardState, shardId: number): readonly ShardStateSlot[] | undefined {
  return s.shards.find((x) => x.shardId === shardId)?.slots;
}
