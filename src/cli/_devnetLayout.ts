/**
 * The saved shape of a devnet data dir, `DIR/layout.json`: what the genesis and keys fix (processes,
 * keys per process, block time), so a later run without `--fresh` reuses them. Paths are relative to
 * DIR, so the directory may be moved.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DevnetError, DevnetErrorCode } from "./_devnetErrors.ts";

/** File name of the layout inside the data dir. */
export const LAYOUT_FILE = "layout.json";
/** File name of the passphrase of every BLS keystore of the devnet (mode 0600). */
export const PASSPHRASE_FILE = "passphrase.txt";
/** File name of the shared genesis. */
export const GENESIS_FILE = "genesis.json";

/** One node process of the devnet. */
export interface DevnetLayoutNode {
  /** Also the name of its directory under DIR (`node0`, `node1`, …). */
  name: string;
  shardId: number;
  validator: boolean;
  /** BLS public keys (`0x` hex, 48 bytes) in committee slot order. */
  blsKeys: string[];
  /** Keystore files relative to DIR, one per key, same order. */
  keystores: string[];
  /** secp256k1 node key file (hex) relative to DIR. */
  nodeKeyFile: string;
}

/** The content of `DIR/layout.json`. */
export interface DevnetLayout {
  version: 1;
  networkId: number;
  shards: number;
  validators: number;
  keysPerNode: number;
  rpcNodes: number;
  blockTimeMs: number;
  /** Blocks per epoch (the genesis config's). */
  epochBlocks: number;
  /** Slots elected per shard at each epoch end (the genesis config's). */
  slots: number;
  /** Validators first (slot order), then the RPC nodes. */
  nodes: DevnetLayoutNode[];
}

function corrupt(dir: string, file: string, why: string): DevnetError {
  return new DevnetError({ code: DevnetErrorCode.CORRUPT_DIR, dir, file }, `${join(dir, file)}: ${why}; start over with --fresh`);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

function checkNode(n: unknown, dir: string): DevnetLayoutNode {
  const o = n as Record<string, unknown>;
  if (typeof o !== "object" || o === null || typeof o.name !== "string" || !/^node\d+$/.test(o.name)) throw corrupt(dir, LAYOUT_FILE, "bad node entry");
  if (typeof o.shardId !== "number" || typeof o.validator !== "boolean" || typeof o.nodeKeyFile !== "string") throw corrupt(dir, LAYOUT_FILE, `bad entry ${o.name}`);
  if (!isStringArray(o.blsKeys) || !isStringArray(o.keystores) || o.blsKeys.length !== o.keystores.length) throw corrupt(dir, LAYOUT_FILE, `bad keys of ${o.name}`);
  for (const f of [...o.keystores, o.nodeKeyFile]) if (!existsSync(join(dir, f))) throw corrupt(dir, f, "missing");
  return { name: o.name, shardId: o.shardId, validator: o.validator, blsKeys: o.blsKeys, keystores: o.keystores, nodeKeyFile: o.nodeKeyFile };
}

/**
 * Read and check `DIR/layout.json`; `undefined` when the file does not exist.
 * @throws {DevnetError} CORRUPT_DIR when it, the genesis, the passphrase or a key file is unusable.
 */
export function loadDevnetLayout(dir: string): DevnetLayout | undefined {
  const path = join(dir, LAYOUT_FILE);
  if (!existsSync(path)) return undefined;
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw corrupt(dir, LAYOUT_FILE, (e as Error).message);
  }
  const ints = ["networkId", "shards", "validators", "keysPerNode", "rpcNodes", "blockTimeMs"] as const;
  if (j.version !== 1 || ints.some((k) => !Number.isSafeInteger(j[k])) || !Array.isArray(j.nodes)) throw corrupt(dir, LAYOUT_FILE, "unknown format");
  for (const f of [GENESIS_FILE, PASSPHRASE_FILE]) if (!existsSync(join(dir, f))) throw corrupt(dir, f, "missing");
  const nodes = j.nodes.map((n) => checkNode(n, dir));
  const layout: DevnetLayout = {
    version: 1,
    networkId: j.networkId as number,
    shards: j.shards as number,
    validators: j.validators as number,
    keysPerNode: j.keysPerNode as number,
    rpcNodes: j.rpcNodes as number,
    blockTimeMs: j.blockTimeMs as number,
    // Layouts written before these flags existed: the values their genesis was made with.
    epochBlocks: optionalInt(j.epochBlocks, 32, dir),
    slots: optionalInt(j.slots, 4, dir),
    nodes,
  };
  if (nodes.length !== layout.shards * (layout.validators + layout.rpcNodes)) throw corrupt(dir, LAYOUT_FILE, "node count does not match");
  return layout;
}

function optionalInt(v: unknown, dflt: number, dir: string): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || (v as number) < 1) throw corrupt(dir, LAYOUT_FILE, "unknown format");
  return v as number;
}

/** The committee of `shardId` in slot order: every validator key of the shard, node by node. */
export function layoutCommittee(layout: DevnetLayout, shardId: number): string[] {
  return layout.nodes.filter((n) => n.shardId === shardId && n.validator).flatMap((n) => n.blsKeys);
}
