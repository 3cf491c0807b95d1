/**
 * The node config file of `harmony node --config FILE` (the contract `harmony devnet` writes; JSON, or
 * TOML with the same fields when FILE ends in `.toml`, see _configText.ts):
 *   { "dataDir": string, "host": string, "port": number, "genesis": string (genesis JSON path),
 *     "blsKeystores": string[] (EIP-2335 files; [] = non-validating node), "passphraseFile": string,
 *     "nodeKeyFile": string (hex secp256k1 key; created if missing), "bootnodes": string[]
 *     (ws://HOST:PORT/p2p), "logFormat"?: "pretty" | "json" }
 * and optional fields: "shardId" (shard of a node without keys), "doppelgangerViews" (rounds to
 * listen before signing, 0 = off), "blsWorkers", "maxPeers", "rpc" (the --rpc-* settings; keys in
 * _rpcOptions.ts), "p2pAdvertiseUrl", "blockedPeers", "rpcAdmin" (_p2pOptions.ts), "shardBootnodes",
 * "shardEndpoints" (_shardConfig.ts). A bootnode URL may also name a shard's network (`…/p2p/<n>`).
 * Relative paths are relative to the config file's directory. Every error is a UsageError naming the field.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { type GenesisSpec, parseGenesisJSON } from "../core/index.ts";
import { UsageError } from "./usageError.ts";
import { parseConfigText } from "./_configText.ts";
import { parseHost } from "./_parse.ts";
import type { RPCSettings } from "../rpc/index.ts";
import { rpcSettingsFromConfig } from "./_rpcOptions.ts";
import { type P2PSettings, p2pSettingsFromConfig } from "./_p2pOptions.ts";
import { type ShardEndpoint, isBootnodeURL, shardSettingsFromConfig } from "./_shardConfig.ts";

/** A checked config file. */
export interface NodeConfigFile {
  dataDir: string;
  host: string;
  port: number;
  genesisPath: string;
  genesis: GenesisSpec;
  blsKeystores: string[];
  passphraseFile: string;
  nodeKeyFile: string;
  bootnodes: string[];
  logFormat?: "pretty" | "json";
  shardId?: number;
  doppelgangerViews?: number;
  blsWorkers?: number;
  maxPeers?: number;
  /** The `rpc` object: the `--rpc-*` settings (keys in _rpcOptions.ts); flags given on the command line win. */
  rpc?: RPCSettings;
  /** `p2pAdvertiseUrl`, `blockedPeers` and `rpcAdmin` when present. */
  p2p?: P2PSettings;
  /** Peers of each shard's network by shard id ("0" = the beacon network). */
  shardBootnodes?: Record<number, string[]>;
  /** Public RPC endpoints of every shard (for `hmy_getShardingStructure`). */
  shardEndpoints?: ShardEndpoint[];
  /** Fields the contract does not know (reported, not fatal). */
  unknownFields: string[];
}

const KNOWN = new Set(["dataDir", "host", "port", "genesis", "blsKeystores", "passphraseFile", "nodeKeyFile", "bootnodes", "logFormat", "shardId", "doppelgangerViews", "blsWorkers", "maxPeers", "rpc", "p2pAdvertiseUrl", "blockedPeers", "rpcAdmin", "shardBootnodes", "shardEndpoints"]);

function bad(file: string, field: string, why: string): UsageError {
  return new UsageError(`config ${file}: "${field}" ${why}`);
}

function int(file: string, o: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw bad(file, field, `must be an integer in ${min}..${max}`);
  return v;
}

function str(file: string, o: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const v = o[field];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || v.trim() === "") throw bad(file, field, "must be a non-empty string");
  return v;
}

function strList(file: string, o: Record<string, unknown>, field: string): string[] {
  const v = o[field];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string" && x.trim() !== "")) throw bad(file, field, "must be an array of non-empty strings");
  return v as string[];
}

function loadGenesis(file: string, path: string): GenesisSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw bad(file, "genesis", `cannot be read (${path}): ${(e as Error).message}`);
  }
  try {
    return parseGenesisJSON(JSON.parse(text));
  } catch (e) {
    throw bad(file, "genesis", `is not a valid genesis file (${path}): ${(e as Error).message}`);
  }
}

/**
 * Read and check a node config file.
 * @throws {UsageError} naming the file and the field at fault.
 */
export function loadNodeConfig(file: string): NodeConfigFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`config ${file}: cannot be read: ${(e as Error).message}`);
  }
  const json = parseConfigText(file, text);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new UsageError(`config ${file}: expected a JSON object`);
  const o = json as Record<string, unknown>;
  const base = dirname(resolve(file));
  const path = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const host = str(file, o, "host", true) as string;
  try {
    parseHost(host);
  } catch {
    throw bad(file, "host", "must be a host name or IP address");
  }
  const port = int(file, o, "port", 0, 65535);
  if (port === undefined) throw bad(file, "port", "is required (an integer in 0..65535)");
  const blsKeystores = strList(file, o, "blsKeystores").map(path);
  const passphrase = str(file, o, "passphraseFile", blsKeystores.length > 0);
  const bootnodes = strList(file, o, "bootnodes");
  for (const b of bootnodes) if (!isBootnodeURL(b)) throw bad(file, "bootnodes", `entry "${b}" must look like ws://HOST:PORT/p2p or ws://HOST:PORT/p2p/<shardId>`);
  const logFormat = o.logFormat;
  if (logFormat !== undefined && logFormat !== "pretty" && logFormat !== "json") throw bad(file, "logFormat", 'must be "pretty" or "json"');
  const genesisPath = path(str(file, o, "genesis", true) as string);
  const cfg: NodeConfigFile = {
    dataDir: path(str(file, o, "dataDir", true) as string),
    host,
    port,
    genesisPath,
    genesis: loadGenesis(file, genesisPath),
    blsKeystores,
    passphraseFile: passphrase === undefined ? "" : path(passphrase),
    nodeKeyFile: path(str(file, o, "nodeKeyFile", true) as string),
    bootnodes,
    unknownFields: Object.keys(o).filter((k) => !KNOWN.has(k)),
  };
  if (logFormat !== undefined) cfg.logFormat = logFormat;
  if (o.rpc !== undefined) cfg.rpc = rpcSettingsFromConfig(file, o.rpc);
  const p2p = p2pSettingsFromConfig(file, o);
  if (Object.keys(p2p).length > 0) cfg.p2p = p2p;
  Object.assign(cfg, shardSettingsFromConfig(file, o, cfg.genesis.config.shardCount));
  const opt = { shardId: int(file, o, "shardId", 0, 1023), doppelgangerViews: int(file, o, "doppelgangerViews", 0, 100), blsWorkers: int(file, o, "blsWorkers", 0, 64), maxPeers: int(file, o, "maxPeers", 1, 1000) };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined) (cfg as unknown as Record<string, unknown>)[k] = v;
  return cfg;
}
