/**
 * The `--rpc-*` options of `harmony node`, shared by `--dev` and `--config FILE`, and the same
 * settings in the config file's `rpc` object. One table owns each setting: its flag, its config key,
 * its parser and its bounds. A value given on the command line wins over the config file, which
 * wins over the default.
 *
 * Config file keys (`"rpc": { … }`; numbers, or strings in the flag's syntax such as "2s"):
 *   batchLimit, maxBody, gasCap, callTimeout (seconds), getlogsMaxRange, getlogsMaxResults,
 *   wsMaxConnections, wsMaxPerIp, filtersPerClient, callWorkers (0 = none), rateLimit (requests/s per
 *   address; 0 = off), debug (true/false: the debug_trace* methods), txHistory (true/false: keep the
 *   transaction history by address for hmy_getTransactionsHistory, as Harmony's explorer nodes do).
 */
import type { Command } from "commander";
import { DEFAULT_PUBLIC_RATE_LIMIT, DEFAULT_RPC_LIMITS, type RPCSettings } from "../rpc/index.ts";
import { UsageError } from "./usageError.ts";
import { parseDurationMs, parseIntFlag } from "./_parse.ts";

type Setting = keyof RPCSettings;

interface RPCOption {
  /** Flag without the leading dashes; commander's attribute name is its camelCase form. */
  flag: string;
  arg: string;
  /** Key in the config file's `rpc` object. */
  key: string;
  setting: Setting;
  help: string;
  parse(flag: string, v: string): RPCSettings[Setting];
}

const int = (min: number, max: number) => (flag: string, v: string) => parseIntFlag(flag, v, min, max);

/** Every `--rpc-*` option (and the two `--getlogs-*` ones), in help order. */
export const RPC_OPTIONS: readonly RPCOption[] = [
  { flag: "rpc-batch-limit", arg: "n", key: "batchLimit", setting: "batchLimit", help: `most requests in one JSON-RPC batch (default ${DEFAULT_RPC_LIMITS.batchLimit})`, parse: int(1, 100_000) },
  { flag: "rpc-max-body", arg: "bytes", key: "maxBody", setting: "maxBodyBytes", help: `largest JSON-RPC request body (default ${DEFAULT_RPC_LIMITS.maxBodyBytes})`, parse: int(1024, 1 << 30) },
  { flag: "rpc-gas-cap", arg: "gas", key: "gasCap", setting: "callGasCap", help: `gas cap of eth_call / eth_estimateGas (default ${DEFAULT_RPC_LIMITS.callGasCap})`, parse: (f, v) => BigInt(parseIntFlag(f, v, 21_000, Number.MAX_SAFE_INTEGER)) },
  { flag: "rpc-call-timeout", arg: "seconds", key: "callTimeout", setting: "callTimeoutMs", help: `time limit of one eth_call / eth_estimateGas, and of a whole batch (default ${DEFAULT_RPC_LIMITS.callTimeoutMs / 1000})`, parse: (f, v) => parseDurationMs(f, v, 10, 600_000) },
  { flag: "getlogs-max-range", arg: "blocks", key: "getlogsMaxRange", setting: "getLogsBlockRange", help: `most blocks one eth_getLogs may span (default ${DEFAULT_RPC_LIMITS.getLogsBlockRange})`, parse: int(1, 100_000_000) },
  { flag: "getlogs-max-results", arg: "n", key: "getlogsMaxResults", setting: "getLogsMaxResults", help: `most logs one eth_getLogs may return (default ${DEFAULT_RPC_LIMITS.getLogsMaxResults})`, parse: int(1, 100_000_000) },
  { flag: "rpc-ws-max-connections", arg: "n", key: "wsMaxConnections", setting: "wsMaxConnections", help: `most open WebSocket connections (default ${DEFAULT_RPC_LIMITS.wsMaxConnections})`, parse: int(1, 1_000_000) },
  { flag: "rpc-ws-max-per-ip", arg: "n", key: "wsMaxPerIp", setting: "wsMaxPerIP", help: `most open WebSocket connections from one client address (default ${DEFAULT_RPC_LIMITS.wsMaxPerIP})`, parse: int(1, 1_000_000) },
  { flag: "rpc-filters-per-client", arg: "n", key: "filtersPerClient", setting: "filtersPerClient", help: `most installed filters of one client address (default ${DEFAULT_RPC_LIMITS.filtersPerClient})`, parse: int(1, 10_000) },
  { flag: "rpc-call-workers", arg: "n", key: "callWorkers", setting: "callWorkers", help: "worker threads for eth_call / eth_estimateGas, 0 = the node's own thread, time-sliced (default min(2, cores - 1), at least 1)", parse: int(0, 64) },
  { flag: "rpc-rate-limit", arg: "req/s", key: "rateLimit", setting: "rateLimitPerSec", help: `requests per second per client address, 0 = off (default: off on a loopback --host, else ${DEFAULT_PUBLIC_RATE_LIMIT})`, parse: int(0, 1_000_000) },
];

function attr(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Register the options on `cmd`, without defaults, so that a given flag can be told from an absent one. */
export function addRPCOptions(cmd: Command): Command {
  for (const o of RPC_OPTIONS) cmd.option(`--${o.flag} <${o.arg}>`, o.help);
  cmd.option("--rpc-debug", "serve geth's debug_traceTransaction, debug_traceCall and debug_traceBlockByNumber/ByHash (struct logger, callTracer, prestateTracer); on by default with --dev (config: rpc.debug)");
  cmd.option("--rpc-tx-history", "keep the transaction history of addresses and serve hmy_getTransactionsHistory / hmy_getTransactionsCount (an explorer node); blocks stored before are indexed in the background (config: rpc.txHistory)");
  return cmd;
}

function put(out: RPCSettings, s: Setting, v: RPCSettings[Setting]): void {
  (out as Record<string, unknown>)[s] = v;
}

/**
 * The settings given as flags (absent ones are left out).
 * @throws {UsageError} naming the flag.
 */
export function rpcSettingsFromFlags(flags: Readonly<Record<string, unknown>>): RPCSettings {
  const out: RPCSettings = {};
  for (const o of RPC_OPTIONS) {
    const v = flags[attr(o.flag)];
    if (v === undefined) continue;
    put(out, o.setting, o.parse(`--${o.flag}`, String(v)));
  }
  if (flags.rpcDebug === true) out.debug = true;
  if (flags.rpcTxHistory === true) out.txHistory = true;
  return out;
}

/**
 * The config file's `rpc` object as settings.
 * @throws {UsageError} naming the file and the key (`rpc.callTimeout`); unknown keys are errors too,
 * since a misspelt limit silently left at its default is worse than a refusal to start.
 */
export function rpcSettingsFromConfig(file: string, rpc: unknown): RPCSettings {
  if (rpc === undefined) return {};
  if (typeof rpc !== "object" || rpc === null || Array.isArray(rpc)) throw new UsageError(`config ${file}: "rpc" must be an object`);
  const out: RPCSettings = {};
  const byKey = new Map(RPC_OPTIONS.map((o) => [o.key, o]));
  for (const [k, v] of Object.entries(rpc)) {
    if (k === "debug" || k === "txHistory") {
      if (typeof v !== "boolean") throw new UsageError(`config ${file}: "rpc.${k}" must be true or false`);
      out[k] = v;
      continue;
    }
    const o = byKey.get(k);
    if (o === undefined) throw new UsageError(`config ${file}: "rpc.${k}" is not a known RPC setting (known: ${[...byKey.keys(), "debug", "txHistory"].join(", ")})`);
    if (typeof v !== "number" && typeof v !== "string") throw new UsageError(`config ${file}: "rpc.${k}" must be a number or a string`);
    try {
      put(out, o.setting, o.parse(`"rpc.${k}"`, String(v)));
    } catch (e) {
      throw new UsageError(`config ${file}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** Flags over config over defaults (defaults stay with the server, which knows its listen address). */
export function mergeRPCSettings(fromConfig: RPCSettings, fromFlags: RPCSettings): RPCSettings {
  return { ...fromConfig, ...fromFlags };
}
