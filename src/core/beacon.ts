/**
 * The beacon chain is shard 0 (DESIGN §Chain and shards): it holds staking, elections, randomness and
 * crosslinks besides its accounts. Code asks {@link isBeacon}, never compares shard ids with a literal.
 * @module
 */

/** The beacon chain's shard id. */
export const BEACON_SHARD_ID = 0;

/** True for the beacon chain's shard. */
export function isBeacon(shardId: number): boolean {
  return shardId === BEACON_SHARD_ID;
}
