/**
 * Shards (DESIGN §Sharding): committees per shard and epoch from the beacon chain's shard state.
 * @module
 */
export { getCommitteeSpec } from "./committeeSpec.ts";
export type { CommitteeSpec } from "./committeeSpec.ts";
