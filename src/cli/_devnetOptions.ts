/** The flags of `harmony devnet`, parsed and range-checked (DESIGN §4). */
import { resolve } from "node:path";
import { UsageError } from "./usageError.ts";
import { parseDurationMs, parseIntFlag } from "./_parse.ts";

/** Validated options of one `harmony devnet` run. */
export interface DevnetOptions {
  shards: number;
  /** Validator processes per shard. */
  validators: number;
  /** BLS keys held by each validator process. */
  keysPerNode: number;
  blockTimeMs: number;
  /** Absolute path of the data dir. */
  dataDir: string;
  basePort: number;
  fresh: boolean;
  /** Non-validating RPC processes per shard. */
  rpcNodes: number;
  /** Blocks per epoch. */
  epochBlocks: number;
  /** Slots elected per shard at each epoch end (K). */
  slots: number;
  /** Flags the user typed (the rest are defaults); a reused data dir is checked against these. */
  explicit: ReadonlySet<DevnetLayoutFlag>;
}

/** Flags fixed by the data dir's genesis and keys once written; changing them needs `--fresh`. */
export type DevnetLayoutFlag = "shards" | "validators" | "keysPerNode" | "blockTimeMs" | "rpcNodes" | "epochBlocks" | "slots";

/** The raw flag values commander hands the action. */
export interface DevnetFlags {
  shards: string;
  validators: string;
  keysPerNode: string;
  blockTime: string;
  dataDir: string;
  basePort: string;
  fresh?: boolean;
  rpcNodes: string;
  epochBlocks: string;
  slots: string;
}

/** Defaults of the flags (DESIGN §4, issue 4). */
export const DEVNET_DEFAULTS = {
  shards: "1",
  validators: "4",
  keysPerNode: "1",
  blockTime: "1",
  dataDir: "./.devnet",
  basePort: "9500",
  rpcNodes: "1",
  epochBlocks: "32",
  slots: "8",
} as const;

/** Most BLS keys a devnet committee may hold (mainnet-like has 250 slots per shard). */
export const MAX_DEVNET_KEYS = 1024;
/** Most node processes of one devnet, over all shards. */
export const MAX_DEVNET_PROCESSES = 64;

/**
 * Parse and check the flags; `given` names the flags typed on the command line (commander option keys).
 * @throws {UsageError} for any value out of range, and for more than {@link MAX_DEVNET_PROCESSES} processes over all shards.
 */
export function parseDevnetFlags(f: DevnetFlags, given: ReadonlySet<string>): DevnetOptions {
  const shards = parseIntFlag("--shards", f.shards, 1, MAX_DEVNET_PROCESSES);
  const validators = parseIntFlag("--validators", f.validators, 1, MAX_DEVNET_PROCESSES);
  const keysPerNode = parseIntFlag("--keys-per-node", f.keysPerNode, 1, MAX_DEVNET_KEYS);
  if (validators * keysPerNode > MAX_DEVNET_KEYS) {
    throw new UsageError(`--validators ${validators} × --keys-per-node ${keysPerNode} = ${validators * keysPerNode} keys; at most ${MAX_DEVNET_KEYS}`);
  }
  const rpcNodes = parseIntFlag("--rpc-nodes", f.rpcNodes, 0, MAX_DEVNET_PROCESSES);
  const processes = shards * (validators + rpcNodes);
  if (processes > MAX_DEVNET_PROCESSES) {
    throw new UsageError(`--shards ${shards} × (--validators ${validators} + --rpc-nodes ${rpcNodes}) = ${processes} processes; at most ${MAX_DEVNET_PROCESSES}`);
  }
  const basePort = parseIntFlag("--base-port", f.basePort, 1024, 65535);
  if (basePort + processes - 1 > 65535) {
    throw new UsageError(`--base-port ${basePort}: ${processes} nodes need ports up to ${basePort + processes - 1}, above 65535`);
  }
  if (f.dataDir.trim() === "") throw new UsageError("--data-dir must not be empty");
  const explicit = new Set<DevnetLayoutFlag>();
  const keys = [["shards", "shards"], ["validators", "validators"], ["keysPerNode", "keysPerNode"], ["blockTime", "blockTimeMs"], ["rpcNodes", "rpcNodes"], ["epochBlocks", "epochBlocks"], ["slots", "slots"]] as const;
  for (const [key, flag] of keys) {
    if (given.has(key)) explicit.add(flag);
  }
  return {
    shards,
    validators,
    keysPerNode,
    blockTimeMs: parseDurationMs("--block-time", f.blockTime, 100, 600_000),
    dataDir: resolve(f.dataDir),
    basePort,
    fresh: f.fresh === true,
    rpcNodes,
    epochBlocks: parseIntFlag("--epoch-blocks", f.epochBlocks, 2, 1_000_000),
    slots: parseIntFlag("--slots", f.slots, 1, MAX_DEVNET_KEYS),
    explicit,
  };
}
