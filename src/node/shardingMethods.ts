/**
 * `hmy_getShardingStructure` (issue 10): the shards of the network and where to reach each, with
 * Harmony's names and shape (harmony-one/harmony `GetShardingStructure`: a list of
 * `{ current, http, shardID, ws }`, one entry per shard, `current` = the shard this node serves). The
 * URLs come from the node config's `shardEndpoints`; a shard it does not list is left out, except the
 * node's own, which falls back to the node's own RPC URLs (so a node with no endpoints configured lists
 * its own shard only).
 */
import type { MethodHandler } from "../rpc/index.ts";

/** One shard's public RPC endpoints. */
export interface ShardEndpoint {
  readonly shardId: number;
  readonly http: string;
  readonly ws: string;
}

/** One entry of the answer (Harmony's field names). */
export interface ShardingStructureEntry {
  current: boolean;
  http: string;
  shardID: number;
  ws: string;
}

/** Options of {@link createShardingMethods}. */
export interface ShardingMethodsOptions {
  /** The shard this node serves; a function when it may change (keys moving shard at an epoch boundary). */
  readonly shardId: number | (() => number);
  /** Every shard's public endpoints (the config's `shardEndpoints`); absent or empty: none configured. */
  readonly endpoints?: readonly ShardEndpoint[];
  /** The node's own HTTP JSON-RPC URL; a function when it is known only once the server listens. */
  readonly http: string | (() => string);
  /** The node's own WebSocket URL, likewise. */
  readonly ws: string | (() => string);
}

const valueOf = <T>(v: T | (() => T)): T => (typeof v === "function" ? (v as () => T)() : v);

/** The sharding structure now: the configured shards plus this node's own, by shard id. */
export function getShardingStructure(opts: ShardingMethodsOptions): ShardingStructureEntry[] {
  const own = valueOf(opts.shardId);
  const byShard = new Map<number, ShardEndpoint>();
  for (const e of opts.endpoints ?? []) if (!byShard.has(e.shardId)) byShard.set(e.shardId, e);
  if (!byShard.has(own)) byShard.set(own, { shardId: own, http: valueOf(opts.http), ws: valueOf(opts.ws) });
  return [...byShard.values()]
    .sort((a, b) => a.shardId - b.shardId)
    .map((e) => ({ current: e.shardId === own, http: e.http, shardID: e.shardId, ws: e.ws }));
}

/** The methods, for `createRPCServer({ extraMethods })`. */
export function createShardingMethods(opts: ShardingMethodsOptions): Record<string, MethodHandler> {
  return { hmy_getShardingStructure: () => getShardingStructure(opts) };
}
