/**
 * `DIR/devnet.json` (DESIGN §4): where every node of a running devnet is, kept current so tools can find,
 * stop and restart nodes. `pid` is `null` while a node is not running under this devnet.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DevnetNodeEndpoints } from "./_devnetConfig.ts";

/** File name of the manifest inside the data dir. */
export const MANIFEST_FILE = "devnet.json";

/** One node in `devnet.json`. */
export interface DevnetManifestNode {
  name: string;
  pid: number | null;
  rpc: string;
  ws: string;
  validator: boolean;
  /** `0x` hex BLS public keys the node signs with, in committee slot order. */
  blsKeys: string[];
}

/** The content of `devnet.json`. */
export interface DevnetManifest {
  networkId: number;
  shards: { shardId: number; chainId: number; nodes: DevnetManifestNode[] }[];
}

/** The manifest of a run, given each node's pid (by name). */
export function buildManifest(networkId: number, endpoints: readonly DevnetNodeEndpoints[], pids: ReadonlyMap<string, number | null>): DevnetManifest {
  const shardIds = [...new Set(endpoints.map((e) => e.shardId))].sort((a, b) => a - b);
  return {
    networkId,
    shards: shardIds.map((shardId) => ({
      shardId,
      chainId: networkId + shardId,
      nodes: endpoints
        .filter((e) => e.shardId === shardId)
        .map((e) => ({ name: e.name, pid: pids.get(e.name) ?? null, rpc: e.rpc, ws: e.ws, validator: e.validator, blsKeys: [...e.blsKeys] })),
    })),
  };
}

/** Write the manifest atomically (a reader never sees half a file). */
export function saveManifest(dir: string, manifest: DevnetManifest): void {
  const path = join(dir, MANIFEST_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, path);
}

/** The manifest of DIR, or `undefined` when there is none or it does not parse. */
export function loadManifest(dir: string): DevnetManifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as DevnetManifest;
    return Array.isArray(m.shards) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Every pid recorded in a manifest. */
export function manifestPids(m: DevnetManifest): number[] {
  return m.shards.flatMap((s) => s.nodes.map((n) => n.pid)).filter((p): p is number => typeof p === "number" && p > 0);
}
