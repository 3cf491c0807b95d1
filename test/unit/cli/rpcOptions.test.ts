// `--rpc-*` flags together with `--config FILE`: the file's "rpc" object carries the same settings,
// a flag given on the command line wins over it, and an absent flag leaves the file's value (or the
// default) alone; bad values name the flag or the config key.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { createDevGenesis, genesisToJSON } from "../../../src/core/index.ts";
import { UsageError } from "../../../src/cli/index.ts";
import { loadNodeConfig } from "../../../src/cli/_nodeConfig.ts";
import { RPC_OPTIONS, addRPCOptions, mergeRPCSettings, rpcSettingsFromConfig, rpcSettingsFromFlags } from "../../../src/cli/_rpcOptions.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-rpccfg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "genesis.json"), JSON.stringify(genesisToJSON(createDevGenesis({ committees: [[new Uint8Array(48).fill(1)]] }))));
const base = { dataDir: "n", host: "127.0.0.1", port: 9700, genesis: "genesis.json", blsKeystores: [], nodeKeyFile: "n/key", bootnodes: [] };

function configWith(rpc: unknown): string {
  const p = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify({ ...base, rpc }));
  return p;
}

function flags(argv: string[]): ReturnType<typeof rpcSettingsFromFlags> {
  const cmd = addRPCOptions(new Command("node").exitOverride());
  cmd.parse(argv, { from: "user" });
  return rpcSettingsFromFlags(cmd.opts());
}

describe("rpc settings", () => {
  test("the config file's rpc object carries every setting", () => {
    const c = loadNodeConfig(
      configWith({
        batchLimit: 7, maxBody: 2048, gasCap: 30_000_000, callTimeout: "2s", getlogsMaxRange: 9, getlogsMaxResults: 11,
        wsMaxConnections: 12, wsMaxPerIp: 3, filtersPerClient: 4, rateLimit: 0,
      }),
    );
    expect(c.rpc).toEqual({
      batchLimit: 7, maxBodyBytes: 2048, callGasCap: 30_000_000n, callTimeoutMs: 2000, getLogsBlockRange: 9, getLogsMaxResults: 11,
      wsMaxConnections: 12, wsMaxPerIP: 3, filtersPerClient: 4, rateLimitPerSec: 0,
    });
    expect(c.unknownFields).toEqual([]);
    expect(RPC_OPTIONS.length).toBe(11);
  });

  test("flag given > config file > default; absent flags change nothing", () => {
    const file = loadNodeConfig(configWith({ callTimeout: 7, batchLimit: 5, rateLimit: 50 })).rpc ?? {};
    expect(flags([])).toEqual({});
    expect(mergeRPCSettings(file, flags([]))).toEqual({ callTimeoutMs: 7000, batchLimit: 5, rateLimitPerSec: 50 });
    const given = flags(["--rpc-call-timeout", "2", "--rpc-ws-max-per-ip", "9", "--rpc-rate-limit", "0"]);
    expect(given).toEqual({ callTimeoutMs: 2000, wsMaxPerIP: 9, rateLimitPerSec: 0 });
    expect(mergeRPCSettings(file, given)).toEqual({ callTimeoutMs: 2000, batchLimit: 5, rateLimitPerSec: 0, wsMaxPerIP: 9 });
  });

  test("bad values name the flag or the config key", () => {
    expect(() => flags(["--rpc-call-timeout", "forever"])).toThrow(/--rpc-call-timeout must be a duration/);
    expect(() => flags(["--rpc-ws-max-connections", "0"])).toThrow(/--rpc-ws-max-connections must be an integer in 1\.\./);
    expect(() => loadNodeConfig(configWith({ callTimeout: -1 }))).toThrow(/"rpc\.callTimeout" must be a duration/);
    expect(() => loadNodeConfig(configWith({ rateLimt: 5 }))).toThrow(/"rpc\.rateLimt" is not a known RPC setting/);
    expect(() => loadNodeConfig(configWith({ batchLimit: true }))).toThrow(/"rpc\.batchLimit" must be a number or a string/);
    expect(() => loadNodeConfig(configWith([1]))).toThrow(/"rpc" must be an object/);
    expect(() => rpcSettingsFromConfig("f.json", { gasCap: "lots" })).toThrow(UsageError);
  });
});

describe("--rpc-debug", () => {
  test("the flag and the config's rpc.debug turn the debug_ namespace on; a non-boolean is refused", () => {
    expect(flags(["--rpc-debug"])).toEqual({ debug: true });
    expect(flags([])).toEqual({});
    expect(loadNodeConfig(configWith({ debug: true })).rpc).toEqual({ debug: true });
    expect(loadNodeConfig(configWith({ debug: false })).rpc).toEqual({ debug: false });
    expect(() => rpcSettingsFromConfig("c.json", { debug: "yes" })).toThrow(UsageError);
    expect(() => rpcSettingsFromConfig("c.json", { debug: "yes" })).toThrow('"rpc.debug" must be true or false');
  });
});
