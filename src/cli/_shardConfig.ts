/**
 * The sharding fields of a node config file (issue 10), checked against the genesis' shard count:
 *   "shardBootnodes": { "<shardId>": string[] }  peers of each shard's p2p network ("0" = the beacon
 *       network, which a node of shard S ≠ 0 dials for its beacon follower)
 *   "shardEndpoints": [{ "shardId": number, "http": string, "ws": string }]  public RPC endpoints of
 *       every shard, served by `hmy_getShardingStructure`
 * A bootnode URL is `ws(s)://HOST:PORT/p2p` (the node's own shard) or `…/p2p/<shardId>` (one network of
 * a node that serves several). Every error is a UsageError naming the file and the field.
 */
import { UsageError } from "./usageError.ts";

/** One shard's public RPC endpoints. */
export interface ShardEndpoint {
  shardId: number;
  http: string;
  ws: string;
}

/** The checked sharding fields (each present only when the file has it). */
export interface ShardSettings {
  shardBootnodes?: Record<number, string[]>;
  shardEndpoints?: ShardEndpoint[];
}

const BOOTNODE_URL = /^wss?:\/\/[^/\s]+\/p2p(\/(0|[1-9]\d{0,3}))?$/;

/** True for a p2p URL a node may dial: `ws(s)://HOST:PORT/p2p` or `ws(s)://HOST:PORT/p2p/<shardId>`. */
export function isBootnodeURL(v: string): boolean {
  return BOOTNODE_URL.test(v);
}

function bad(file: string, field: string, why: string): UsageError {
  return new UsageError(`config ${file}: "${field}" ${why}`);
}

function urlOf(v: unknown, protocols: readonly string[]): string | undefined {
  if (typeof v !== "string" || /\s/.test(v)) return undefined;
  try {
    const u = new URL(v);
    return protocols.includes(u.protocol) && u.host !== "" ? v : undefined;
  } catch {
    return undefined;
  }
}

function shardIdOf(v: unknown, shardCount: number): number | undefined {
  const n = typeof v === "string" && /^(0|[1-9]\d{0,3})$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n < shardCount ? n : undefined;
}

function parseShardBootnodes(file: string, v: unknown, shardCount: number): Record<number, string[]> {
  const field = "shardBootnodes";
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad(file, field, 'must be an object of shard id → URL list, e.g. { "0": ["ws://HOST:PORT/p2p"] }');
  const out: Record<number, string[]> = {};
  for (const [key, list] of Object.entries(v as Record<string, unknown>)) {
    const shardId = shardIdOf(key, shardCount);
    if (shardId === undefined) throw bad(file, field, `key "${key}" must be a shard id in 0..${shardCount - 1} (the genesis has ${shardCount} shard${shardCount === 1 ? "" : "s"})`);
    if (!Array.isArray(list)) throw bad(file, field, `"${key}" must be an array of URLs`);
    for (const u of list) {
      if (typeof u !== "string" || !isBootnodeURL(u)) throw bad(file, field, `"${key}": entry ${JSON.stringify(u)} must look like ws://HOST:PORT/p2p or ws://HOST:PORT/p2p/<shardId>`);
    }
    out[shardId] = [...(list as string[])];
  }
  return out;
}

function parseShardEndpoints(file: string, v: unknown, shardCount: number): ShardEndpoint[] {
  const field = "shardEndpoints";
  if (!Array.isArray(v)) throw bad(file, field, 'must be an array of { "shardId", "http", "ws" }');
  const seen = new Set<number>();
  return v.map((e, i) => {
    if (typeof e !== "object" || e === null || Array.isArray(e)) throw bad(file, field, `entry ${i} must be an object { "shardId", "http", "ws" }`);
    const o = e as Record<string, unknown>;
    const shardId = typeof o.shardId === "number" ? shardIdOf(o.shardId, shardCount) : undefined;
    if (shardId === undefined) throw bad(file, field, `entry ${i}: "shardId" must be an integer in 0..${shardCount - 1}, got ${JSON.stringify(o.shardId)}`);
    if (seen.has(shardId)) throw bad(file, field, `entry ${i}: shard ${shardId} is listed twice`);
    seen.add(shardId);
    const http = urlOf(o.http, ["http:", "https:"]);
    if (http === undefined) throw bad(file, field, `entry ${i}: "http" must be an http(s):// URL, got ${JSON.stringify(o.http)}`);
    const ws = urlOf(o.ws, ["ws:", "wss:"]);
    if (ws === undefined) throw bad(file, field, `entry ${i}: "ws" must be a ws(s):// URL, got ${JSON.stringify(o.ws)}`);
    return { shardId, http, ws };
  });
}

/**
 * The sharding fields of config object `o`; `shardCount` is the genesis' (shard ids must be below it).
 * @throws {UsageError} naming the field at fault.
 */
export function shardSettingsFromConfig(file: string, o: Record<string, unknown>, shardCount: number): ShardSettings {
  const out: ShardSettings = {};
  if (o.shardBootnodes !== undefined) out.shardBootnodes = parseShardBootnodes(file, o.shardBootnodes, shardCount);
  if (o.shardEndpoints !== undefined) out.shardEndpoints = parseShardEndpoints(file, o.shardEndpoints, shardCount);
  return out;
}
