/**
 * The p2p and admin options of `harmony node --config FILE`: `--p2p-advertise-url`, `--p2p-block`
 * (repeatable) and `--rpc-admin`, and the config file's `p2pAdvertiseUrl`, `blockedPeers` and
 * `rpcAdmin`. A flag wins over the file; `--p2p-block` entries add to the file's `blockedPeers`.
 */
import type { Command } from "commander";
import { UsageError } from "./usageError.ts";

/** The checked p2p/admin settings. */
export interface P2PSettings {
  p2pAdvertiseUrl?: string;
  blockedPeers?: string[];
  rpcAdmin?: boolean;
}

const URL_SHAPE = /^wss?:\/\/[^/\s]+\/p2p$/;
const NODE_ID = /^0x[0-9a-fA-F]{40}$/;
const UNSPECIFIED = new Set(["0.0.0.0", "[::]", "[0:0:0:0:0:0:0:0]"]);

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Check an advertised URL: `ws(s)://HOST:PORT/p2p` with a host peers can dial.
 * @throws {UsageError} naming `where`.
 */
export function parseAdvertiseUrl(where: string, v: unknown): string {
  if (typeof v !== "string" || !URL_SHAPE.test(v) || hostOf(v) === undefined) throw new UsageError(`${where} must look like ws://HOST:PORT/p2p, got ${JSON.stringify(v)}`);
  if (UNSPECIFIED.has(hostOf(v) as string)) throw new UsageError(`${where}: ${v} names no machine a peer can dial; give this node's public host name or IP`);
  return v;
}

/**
 * Check a blocklist entry: a `0x` node id (40 hex digits) or a `ws(s)://HOST:PORT/p2p` URL.
 * @throws {UsageError} naming `where`.
 */
export function parseBlockEntry(where: string, v: unknown): string {
  if (typeof v === "string" && (NODE_ID.test(v) || (URL_SHAPE.test(v) && hostOf(v) !== undefined))) return v;
  throw new UsageError(`${where}: ${JSON.stringify(v)} is neither a 0x node id (40 hex digits) nor a ws://HOST:PORT/p2p URL`);
}

/**
 * The p2p settings of a config file object (absent keys stay absent).
 * @throws {UsageError} naming the file and the field.
 */
export function p2pSettingsFromConfig(file: string, o: Record<string, unknown>): P2PSettings {
  const out: P2PSettings = {};
  if (o.p2pAdvertiseUrl !== undefined) out.p2pAdvertiseUrl = parseAdvertiseUrl(`config ${file}: "p2pAdvertiseUrl"`, o.p2pAdvertiseUrl);
  if (o.blockedPeers !== undefined) {
    if (!Array.isArray(o.blockedPeers)) throw new UsageError(`config ${file}: "blockedPeers" must be an array of node ids or ws:// URLs`);
    out.blockedPeers = o.blockedPeers.map((e, i) => parseBlockEntry(`config ${file}: "blockedPeers"[${i}]`, e));
  }
  if (o.rpcAdmin !== undefined) {
    if (typeof o.rpcAdmin !== "boolean") throw new UsageError(`config ${file}: "rpcAdmin" must be true or false`);
    out.rpcAdmin = o.rpcAdmin;
  }
  return out;
}

/** Register the options on `cmd`. */
export function addP2POptions(cmd: Command): Command {
  return cmd
    .option("--rpc-admin", "serve the admin_ JSON-RPC namespace (peers, block/unblock) to loopback clients only")
    .option("--p2p-advertise-url <url>", "ws://HOST:PORT/p2p that peers should dial (needed when --host is 0.0.0.0)")
    .option("--p2p-block <entry>", "block a peer: 0x node id or ws:// URL (repeatable)", (v: string, acc: string[] = []) => [...acc, v]);
}

/**
 * The settings given on the command line.
 * @throws {UsageError} for a bad value.
 */
export function p2pSettingsFromFlags(f: { rpcAdmin?: boolean; p2pAdvertiseUrl?: string; p2pBlock?: string[] }): P2PSettings {
  const out: P2PSettings = {};
  if (f.rpcAdmin === true) out.rpcAdmin = true;
  if (f.p2pAdvertiseUrl !== undefined) out.p2pAdvertiseUrl = parseAdvertiseUrl("--p2p-advertise-url", f.p2pAdvertiseUrl);
  if (f.p2pBlock !== undefined) out.blockedPeers = f.p2pBlock.map((e) => parseBlockEntry("--p2p-block", e));
  return out;
}

/** Flags over file; block entries of both. */
export function mergeP2PSettings(file: P2PSettings, flags: P2PSettings): P2PSettings {
  const out: P2PSettings = { ...file, ...flags };
  if (file.blockedPeers !== undefined || flags.blockedPeers !== undefined) out.blockedPeers = [...(file.blockedPeers ?? []), ...(flags.blockedPeers ?? [])];
  return out;
}
