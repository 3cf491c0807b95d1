/**
 * `harmony init`: the files of a node that joins a network, written once for an operator to read and
 * edit — DIR/config.json (the contract of `harmony node --config`, _nodeConfig.ts), DIR/genesis.json
 * and DIR/config.README.txt (JSON has no comments, so the field notes live beside it); or, with
 * `--format toml`, DIR/config.toml with the notes as comments.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify as stringifyTOML } from "smol-toml";
import { genesisToJSON } from "../core/index.ts";
import { UsageError } from "./usageError.ts";
import { type JoinOptions, type NetworkFile, nodeConfigFromNetwork } from "./_networkFile.ts";
import { NODE_CONFIG_FILE } from "./_devnetConfig.ts";
import { GENESIS_FILE } from "./_devnetLayout.ts";

/** Name of the field notes written beside the config. */
export const CONFIG_README_FILE = "config.README.txt";

/** What `writeInitFiles` wrote (absolute paths). */
export interface InitFiles {
  config: string;
  genesis: string;
  /** The field notes beside a JSON config (a TOML one carries them as comments). */
  readme?: string;
}

/** The config.json content for a node joining `net` with `o`, its genesis at `genesisPath`. */
export function initConfigJSON(net: NetworkFile, networkPath: string, genesisPath: string, o: JoinOptions): Record<string, unknown> {
  const c = nodeConfigFromNetwork(net, networkPath, o);
  const out: Record<string, unknown> = {
    dataDir: c.dataDir, host: c.host, port: c.port, genesis: genesisPath,
    blsKeystores: c.blsKeystores, nodeKeyFile: c.nodeKeyFile, bootnodes: c.bootnodes,
  };
  // loadNodeConfig rejects an empty passphraseFile: a node without keys has none.
  if (c.passphraseFile !== "") out.passphraseFile = c.passphraseFile;
  if (c.shardId !== undefined) out.shardId = c.shardId;
  if (c.shardBootnodes !== undefined) out.shardBootnodes = c.shardBootnodes;
  return out;
}

// What each field means, for config.README.txt beside a JSON config and the comments of a TOML one.
const FIELD_NOTES: readonly (readonly [string, string])[] = [
  ["dataDir", "folder of the node's store (chain database) and node key."],
  ["host", "address to listen on; 127.0.0.1 serves this machine only, 0.0.0.0 every interface."],
  ["port", "one port for JSON-RPC (http://HOST:PORT/), WebSocket (ws://HOST:PORT/ws), p2p (/p2p), /metrics and the status page (/)."],
  ["genesis", "path of the genesis JSON of the network (written beside this file); every node of a network has the same."],
  ["blsKeystores", "EIP-2335 BLS keystore files this node validates with; [] = an RPC node that follows the chain."],
  ["passphraseFile", "file holding the keystores' passphrase (only with keystores)."],
  ["nodeKeyFile", "secp256k1 key naming this node on p2p; created on first start when missing."],
  ["bootnodes", "ws://HOST:PORT/p2p addresses of peers of this node's shard, dialed at start."],
  ["shardId", "the shard a node without keys serves (a validator's keys fix its shard)."],
  ["shardBootnodes", 'peers of every shard by shard id ("0" = the beacon chain).'],
];
const OPTIONAL_NOTE = [
  'Optional fields (see README "Run a node"): logFormat ("pretty" | "json"), doppelgangerViews, blsWorkers, maxPeers,',
  "rpc (the --rpc-* settings), p2pAdvertiseUrl, blockedPeers, rpcAdmin, shardEndpoints. Flags of `harmony node` and",
  "their HARMONY_<FLAG> variables win over the file.",
];

/** The field notes of config.json. */
export function configReadme(cfg: Record<string, unknown>): string {
  const lines = [
    "config.json of this node, written by `harmony init`. Run it with: harmony node --config config.json",
    "JSON has no comments, so each field is explained here. Relative paths are relative to config.json's folder.",
    "",
    ...FIELD_NOTES.filter(([k]) => cfg[k] !== undefined).map(([k, note]) => `${k.padEnd(15)} ${note}`),
    "",
    ...OPTIONAL_NOTE,
    "",
  ];
  return lines.join("\n");
}

/** The same config as TOML, each field under its note (tables last, as TOML wants). */
export function configTOML(cfg: Record<string, unknown>): string {
  const isTable = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  const entry = ([k, note]: readonly [string, string]) => `# ${note}\n${stringifyTOML({ [k]: cfg[k] })}`;
  const present = FIELD_NOTES.filter(([k]) => cfg[k] !== undefined);
  return [
    "# config.toml of this node, written by `harmony init`. Run it with: harmony node --config config.toml",
    "# Relative paths are relative to this file's folder.",
    "",
    ...present.filter(([k]) => !isTable(cfg[k])).map(entry),
    ...OPTIONAL_NOTE.map((l) => `# ${l}`),
    "",
    ...present.filter(([k]) => isTable(cfg[k])).map(entry),
  ].join("\n");
}

/** Name of the TOML config `harmony init --format toml` writes. */
export const TOML_CONFIG_FILE = "config.toml";

/**
 * Write DIR/genesis.json and the config: DIR/config.json with DIR/config.README.txt beside it, or with
 * `format` "toml" DIR/config.toml (its notes as comments; no README).
 * @throws {UsageError} when DIR already has a config (never overwritten) or the options do not fit the network.
 */
export function writeInitFiles(net: NetworkFile, networkPath: string, o: JoinOptions, format: "json" | "toml" = "json"): InitFiles {
  const dir = resolve(o.dataDir);
  const toml = format === "toml";
  const files: InitFiles = { config: join(dir, toml ? TOML_CONFIG_FILE : NODE_CONFIG_FILE), genesis: join(dir, GENESIS_FILE), ...(toml ? {} : { readme: join(dir, CONFIG_README_FILE) }) };
  for (const existing of [join(dir, NODE_CONFIG_FILE), join(dir, TOML_CONFIG_FILE)]) {
    if (existsSync(existing)) throw new UsageError(`${existing} exists: harmony init never overwrites a config (remove it or choose another --data-dir)`);
  }
  const cfg = initConfigJSON(net, networkPath, files.genesis, { ...o, dataDir: dir });
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(files.genesis, `${JSON.stringify(genesisToJSON(net.genesis), null, 2)}\n`);
    if (files.readme !== undefined) writeFileSync(files.readme, configReadme(cfg));
    // Last and exclusive: a config that appears meanwhile is not clobbered.
    writeFileSync(files.config, toml ? configTOML(cfg) : `${JSON.stringify(cfg, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    throw new UsageError(`--data-dir ${dir}: cannot write the node files: ${(e as Error).message}`);
  }
  return files;
}
