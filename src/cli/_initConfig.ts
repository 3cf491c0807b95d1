/**
 * `harmony init`: the files of a node that joins a network, written once for an operator to read and
 * edit — DIR/config.json (the contract of `harmony node --config`, _nodeConfig.ts), DIR/genesis.json
 * and DIR/config.README.txt (JSON has no comments, so the field notes live beside it).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
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
  readme: string;
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

/** The field notes of config.json. */
export function configReadme(cfg: Record<string, unknown>): string {
  const lines = [
    "config.json of this node, written by `harmony init`. Run it with: harmony node --config config.json",
    "JSON has no comments, so each field is explained here. Relative paths are relative to config.json's folder.",
    "",
    "dataDir         folder of the node's store (chain database) and node key.",
    "host            address to listen on; 127.0.0.1 serves this machine only, 0.0.0.0 every interface.",
    "port            one port for JSON-RPC (http://HOST:PORT/), WebSocket (ws://HOST:PORT/ws), p2p (/p2p) and /metrics.",
    "genesis         path of the genesis JSON of the network (written beside this file); every node of a network has the same.",
    "blsKeystores    EIP-2335 BLS keystore files this node validates with; [] = an RPC node that follows the chain.",
    "passphraseFile  file holding the keystores' passphrase (only with keystores).",
    "nodeKeyFile     secp256k1 key naming this node on p2p; created on first start when missing.",
    "bootnodes       ws://HOST:PORT/p2p addresses of peers of this node's shard, dialed at start.",
  ];
  if (cfg.shardId !== undefined) lines.push("shardId         the shard a node without keys serves (a validator's keys fix its shard).");
  if (cfg.shardBootnodes !== undefined) lines.push('shardBootnodes  peers of every shard by shard id ("0" = the beacon chain).');
  lines.push(
    "",
    "Optional fields (see README \"Run a node\"): logFormat (\"pretty\" | \"json\"), doppelgangerViews, blsWorkers, maxPeers,",
    "rpc (the --rpc-* settings), p2pAdvertiseUrl, blockedPeers, rpcAdmin, shardEndpoints. Flags of `harmony node` win over the file.",
    "",
  );
  return lines.join("\n");
}

/**
 * Write DIR/config.json, DIR/genesis.json and DIR/config.README.txt for a node joining `net`.
 * @throws {UsageError} when DIR/config.json exists (never overwritten) or the options do not fit the network.
 */
export function writeInitFiles(net: NetworkFile, networkPath: string, o: JoinOptions): InitFiles {
  const dir = resolve(o.dataDir);
  const files: InitFiles = { config: join(dir, NODE_CONFIG_FILE), genesis: join(dir, GENESIS_FILE), readme: join(dir, CONFIG_README_FILE) };
  if (existsSync(files.config)) throw new UsageError(`${files.config} exists: harmony init never overwrites a config (remove it or choose another --data-dir)`);
  const cfg = initConfigJSON(net, networkPath, files.genesis, { ...o, dataDir: dir });
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(files.genesis, `${JSON.stringify(genesisToJSON(net.genesis), null, 2)}\n`);
    writeFileSync(files.readme, configReadme(cfg));
    // Last and exclusive: a config.json that appears meanwhile is not clobbered.
    writeFileSync(files.config, `${JSON.stringify(cfg, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    throw new UsageError(`--data-dir ${dir}: cannot write the node files: ${(e as Error).message}`);
  }
  return files;
}
