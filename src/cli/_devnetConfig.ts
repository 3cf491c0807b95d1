/**
 * The per-node config files of a devnet (`DIR/nodeI/config.json`), the input of
 * `harmony node --config FILE`. They are rewritten at every start from the layout and the ports of
 * that run, with absolute paths, so `harmony node --config DIR/nodeI/config.json` restarts a node by hand.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GENESIS_FILE, PASSPHRASE_FILE } from "./_devnetLayout.ts";
import type { DevnetLayout } from "./_devnetLayout.ts";

/** The config of one node process (the contract of `harmony node --config FILE`). */
export interface NodeConfigFile {
  dataDir: string;
  host: "127.0.0.1";
  port: number;
  /** Path of the genesis JSON. */
  genesis: string;
  /** EIP-2335 keystore files of the node's BLS keys; empty for a non-validating node. */
  blsKeystores: string[];
  passphraseFile: string;
  /** File holding the hex secp256k1 node key. */
  nodeKeyFile: string;
  /** `ws://127.0.0.1:PORT/p2p` of every other node of the shard. */
  bootnodes: string[];
  /** The shard of a node without keys (a validator's follows from its keys in the genesis). */
  shardId?: number;
  /** Several shards only: `/p2p` of every other node of each shard, by shard id ("0" = the beacon network). */
  shardBootnodes?: Record<string, string[]>;
  /** Each shard's RPC node (its first node when it has none), for `hmy_getShardingStructure`. */
  shardEndpoints: { shardId: number; http: string; ws: string }[];
  logFormat?: "pretty" | "json";
}

/** Where one node of a run listens and where its config is. */
export interface DevnetNodeEndpoints {
  name: string;
  shardId: number;
  validator: boolean;
  blsKeys: string[];
  port: number;
  rpc: string;
  ws: string;
  p2p: string;
  /** Absolute path of its config file. */
  configFile: string;
  /** Absolute path of its data dir (also the directory of its config, keys and log). */
  dataDir: string;
}

/** File name of each node's config inside its directory. */
export const NODE_CONFIG_FILE = "config.json";
/** File name of each node's output (stdout and stderr, appended) inside its directory. */
export const NODE_LOG_FILE = "node.log";

/** The endpoints of every node when node i listens on `basePort + i`. */
export function devnetEndpoints(dir: string, layout: DevnetLayout, basePort: number): DevnetNodeEndpoints[] {
  return layout.nodes.map((n, i) => {
    const port = basePort + i;
    return {
      name: n.name,
      shardId: n.shardId,
      validator: n.validator,
      blsKeys: n.blsKeys,
      port,
      rpc: `http://127.0.0.1:${port}/`,
      ws: `ws://127.0.0.1:${port}/ws`,
      p2p: `ws://127.0.0.1:${port}/p2p`,
      configFile: join(dir, n.name, NODE_CONFIG_FILE),
      dataDir: join(dir, n.name),
    };
  });
}

/** The node that serves RPC for each shard: its first non-validating node, else its first node. */
export function shardRPCNodes(endpoints: readonly DevnetNodeEndpoints[]): DevnetNodeEndpoints[] {
  const shardIds = [...new Set(endpoints.map((e) => e.shardId))].sort((a, b) => a - b);
  return shardIds.map((s) => {
    const nodes = endpoints.filter((e) => e.shardId === s);
    return (nodes.find((e) => !e.validator) ?? nodes[0]) as DevnetNodeEndpoints;
  });
}

/** The config file content of node `index` of the run. */
export function nodeConfig(dir: string, layout: DevnetLayout, endpoints: DevnetNodeEndpoints[], index: number, logFormat?: "pretty" | "json"): NodeConfigFile {
  const n = layout.nodes[index];
  const e = endpoints[index];
  if (n === undefined || e === undefined) throw new RangeError(`no node ${index} in the layout`);
  const cfg: NodeConfigFile = {
    dataDir: e.dataDir,
    host: "127.0.0.1",
    port: e.port,
    genesis: join(dir, GENESIS_FILE),
    blsKeystores: n.keystores.map((f) => join(dir, f)),
    passphraseFile: join(dir, PASSPHRASE_FILE),
    nodeKeyFile: join(dir, n.nodeKeyFile),
    bootnodes: endpoints.filter((o, j) => j !== index && o.shardId === e.shardId).map((o) => o.p2p),
    shardEndpoints: shardRPCNodes(endpoints).map((o) => ({ shardId: o.shardId, http: o.rpc, ws: o.ws })),
  };
  if (!n.validator) cfg.shardId = n.shardId;
  // One shard has one network, which `bootnodes` already lists.
  if (layout.shards > 1) {
    cfg.shardBootnodes = Object.fromEntries(
      Array.from({ length: layout.shards }, (_, s) => [String(s), endpoints.filter((o, j) => j !== index && o.shardId === s).map((o) => o.p2p)]),
    );
  }
  if (logFormat !== undefined) cfg.logFormat = logFormat;
  return cfg;
}

/** Write `DIR/nodeI/config.json` of every node; returns the endpoints of the run. */
export function writeNodeConfigs(dir: string, layout: DevnetLayout, opts: { basePort: number; logFormat?: "pretty" | "json" }): DevnetNodeEndpoints[] {
  const endpoints = devnetEndpoints(dir, layout, opts.basePort);
  endpoints.forEach((e, i) => {
    writeFileSync(e.configFile, `${JSON.stringify(nodeConfig(dir, layout, endpoints, i, opts.logFormat), null, 2)}\n`, { mode: 0o600 });
  });
  return endpoints;
}
