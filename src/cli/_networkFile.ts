/**
 * network.json: everything a new node needs to join a network, in one file.
 *   { "version": 1, "networkId": number, "genesis": <genesis JSON, as in a node's genesis file>,
 *     "bootnodes": { "<shardId>": [ { "url": "ws://HOST:PORT/p2p", "nodeId": "0x…" } ] } }
 * `exportNetwork` writes it from a devnet dir or a node's data dir; `parseNetworkFile` checks it and
 * names the field at fault in every error.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type GenesisSpec, parseGenesisJSON } from "../core/index.ts";
import { privateKeyToAddress } from "../crypto/index.ts";
import { bytesToHex, hexToBytes } from "../util/index.ts";
import { UsageError } from "./usageError.ts";
import { type NodeConfigFile, loadNodeConfig } from "./_nodeConfig.ts";
import { NODE_CONFIG_FILE } from "./_devnetConfig.ts";

/** One bootnode: where to dial it and the node id it must present. */
export interface NetworkBootnode {
  url: string;
  nodeId: string;
}

/** The content of network.json as written. */
export interface NetworkFileJSON {
  version: 1;
  networkId: number;
  genesis: unknown;
  bootnodes: Record<string, NetworkBootnode[]>;
}

/** A checked network.json. */
export interface NetworkFile {
  networkId: number;
  genesis: GenesisSpec;
  /** Bootnodes by shard id. */
  bootnodes: Record<number, NetworkBootnode[]>;
}

const URL_SHAPE = /^wss?:\/\/[^/\s]+\/p2p$/;
const NODE_ID = /^0x[0-9a-fA-F]{40}$/;

function bad(name: string, field: string, why: string): UsageError {
  return new UsageError(`${name}: ${field}: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function validURL(v: unknown): v is string {
  if (typeof v !== "string" || !URL_SHAPE.test(v)) return false;
  try {
    return new URL(v).hostname !== "";
  } catch {
    return false;
  }
}

/**
 * Check the text of a network file; `name` prefixes every error (default "network.json").
 * @throws {UsageError} naming the field at fault, e.g. `network.json: bootnodes["0"][1].url: …`.
 */
export function parseNetworkFile(text: string, name = "network.json"): NetworkFile {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${name}: not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(j)) throw new UsageError(`${name}: expected a JSON object { "version", "networkId", "genesis", "bootnodes" }`);
  if (j.version !== 1) throw bad(name, "version", `must be 1 (the only format this version reads), got ${JSON.stringify(j.version)}`);
  const networkId = j.networkId;
  if (typeof networkId !== "number" || !Number.isSafeInteger(networkId) || networkId < 1) throw bad(name, "networkId", `must be a positive integer, got ${JSON.stringify(networkId)}`);
  if (!isObject(j.genesis)) throw bad(name, "genesis", "must be the genesis JSON object");
  let genesis: GenesisSpec;
  try {
    genesis = parseGenesisJSON(j.genesis);
  } catch (e) {
    throw bad(name, "genesis", `is not a valid genesis: ${(e as Error).message}`);
  }
  if (genesis.config.networkId !== networkId) throw bad(name, "networkId", `is ${networkId} but the genesis says ${genesis.config.networkId}`);
  const shardCount = genesis.config.shardCount;
  if (!isObject(j.bootnodes)) throw bad(name, "bootnodes", 'must be an object of shard id → [{ "url", "nodeId" }]');
  const bootnodes: Record<number, NetworkBootnode[]> = {};
  for (const [key, list] of Object.entries(j.bootnodes)) {
    const at = `bootnodes[${JSON.stringify(key)}]`;
    if (!/^(0|[1-9]\d{0,3})$/.test(key) || Number(key) >= shardCount) throw bad(name, at, `key must be a shard id in 0..${shardCount - 1}`);
    if (!Array.isArray(list)) throw bad(name, at, 'must be an array of { "url", "nodeId" }');
    bootnodes[Number(key)] = list.map((b, i) => {
      if (!isObject(b)) throw bad(name, `${at}[${i}]`, 'must be an object { "url", "nodeId" }');
      if (!validURL(b.url)) throw bad(name, `${at}[${i}].url`, `must look like ws://HOST:PORT/p2p, got ${JSON.stringify(b.url)}`);
      if (typeof b.nodeId !== "string" || !NODE_ID.test(b.nodeId)) throw bad(name, `${at}[${i}].nodeId`, `must be a 0x node id (40 hex digits), got ${JSON.stringify(b.nodeId)}`);
      return { url: b.url, nodeId: b.nodeId.toLowerCase() };
    });
  }
  return { networkId, genesis, bootnodes };
}

/** Read and check a network file. @throws {UsageError} */
export function loadNetworkFile(path: string): NetworkFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read --network ${path}: ${(e as Error).message}`);
  }
  return parseNetworkFile(text, path);
}

function nodeIdOfKeyFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (e) {
    throw new UsageError(`cannot read node key ${file}: ${(e as Error).message}`);
  }
  try {
    return bytesToHex(privateKeyToAddress(hexToBytes(text.startsWith("0x") ? text : `0x${text}`))).toLowerCase();
  } catch (e) {
    throw new UsageError(`node key ${file} is not a hex secp256k1 key: ${(e as Error).message}`);
  }
}

/** The config files found in DIR: DIR/config.json (a node's dir), else DIR/<sub>/config.json (a devnet dir). */
function configFilesIn(dir: string): string[] {
  if (existsSync(join(dir, NODE_CONFIG_FILE))) return [join(dir, NODE_CONFIG_FILE)];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  } catch (e) {
    throw new UsageError(`--data-dir ${dir}: cannot be read: ${(e as Error).message}`);
  }
  return entries.map((e) => join(dir, e, NODE_CONFIG_FILE)).filter((p) => existsSync(p));
}

/**
 * network.json of the devnet or node in `dir`: the genesis of its configs, and every node found
 * as a bootnode of its shard (its host and port; its id from its node key).
 * @throws {UsageError} when `dir` holds no node config or the configs disagree on the genesis.
 */
export function exportNetwork(dir: string): NetworkFileJSON {
  const files = configFilesIn(dir);
  if (files.length === 0) throw new UsageError(`--data-dir ${dir}: no ${NODE_CONFIG_FILE} there nor in its subdirectories (give a devnet dir or a node's data dir)`);
  const configs = files.map((f) => loadNodeConfig(f));
  const first = configs[0] as NodeConfigFile;
  const genesisText = readFileSync(first.genesisPath, "utf8");
  for (const c of configs) {
    if (readFileSync(c.genesisPath, "utf8") !== genesisText) throw new UsageError(`--data-dir ${dir}: the node configs name different genesis files (${first.genesisPath}, ${c.genesisPath})`);
  }
  const bootnodes: Record<string, NetworkBootnode[]> = {};
  for (const c of configs) {
    const host = c.host === "0.0.0.0" ? "127.0.0.1" : c.host;
    const url = c.p2p?.p2pAdvertiseUrl ?? `ws://${host}:${c.port}/p2p`;
    const shard = String(c.shardId ?? shardOfValidator(c));
    (bootnodes[shard] ??= []).push({ url, nodeId: nodeIdOfKeyFile(c.nodeKeyFile) });
  }
  return { version: 1, networkId: first.genesis.config.networkId, genesis: JSON.parse(genesisText), bootnodes };
}

function shardOfValidator(c: NodeConfigFile): number {
  // A validator's config carries no shardId (its keys fix it); with several shards the devnet writes
  // shardBootnodes, and the entry equal to its own `bootnodes` is its shard's network.
  if (c.shardBootnodes === undefined) return 0;
  const own = JSON.stringify([...c.bootnodes].sort());
  for (const [s, list] of Object.entries(c.shardBootnodes)) if (JSON.stringify([...list].sort()) === own) return Number(s);
  return 0;
}

/** What `harmony node --network FILE` adds to the file. */
export interface JoinOptions {
  dataDir: string;
  host: string;
  port: number;
  shardId: number;
  blsKeystores: string[];
  passphraseFile: string;
}

/**
 * The node config `--config` would hold for a node joining `net`: its genesis and bootnodes, a node
 * key in the data dir (created at start), keys only when given.
 * @throws {UsageError} when the shard is not in the genesis or keystores come without a passphrase file.
 */
export function nodeConfigFromNetwork(net: NetworkFile, path: string, o: JoinOptions): NodeConfigFile {
  const shardCount = net.genesis.config.shardCount;
  if (o.shardId >= shardCount) throw new UsageError(`--shard must be in 0..${shardCount - 1} (${path} has ${shardCount} shard${shardCount === 1 ? "" : "s"}), got ${o.shardId}`);
  if (o.blsKeystores.length > 0 && o.passphraseFile === "") throw new UsageError("--bls-keystore needs --passphrase-file FILE (the keystores' passphrase)");
  const urls = (s: number) => (net.bootnodes[s] ?? []).map((b) => b.url);
  const dataDir = resolve(o.dataDir);
  const cfg: NodeConfigFile = {
    dataDir, host: o.host, port: o.port, genesisPath: resolve(path), genesis: net.genesis,
    blsKeystores: o.blsKeystores.map((f) => resolve(f)), passphraseFile: o.passphraseFile === "" ? "" : resolve(o.passphraseFile),
    nodeKeyFile: join(dataDir, "nodekey"), bootnodes: urls(o.shardId), unknownFields: [],
  };
  // A validator's shard follows from its keys; a node without keys serves the shard asked for.
  if (o.blsKeystores.length === 0) cfg.shardId = o.shardId;
  if (shardCount > 1) cfg.shardBootnodes = Object.fromEntries(Array.from({ length: shardCount }, (_, s) => [s, urls(s)]));
  return cfg;
}
