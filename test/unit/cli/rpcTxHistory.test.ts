// --rpc-tx-history: the flag, its HARMONY_RPC_TX_HISTORY variable and the config's rpc.txHistory turn
// the transaction history index on; a non-boolean in the config is refused naming the key.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { UsageError } from "../../../src/cli/index.ts";
import { bindEnv } from "../../../src/cli/_envOptions.ts";
import { loadNodeConfig } from "../../../src/cli/_nodeConfig.ts";
import { addRPCOptions, rpcSettingsFromConfig, rpcSettingsFromFlags } from "../../../src/cli/_rpcOptions.ts";
import { createDevGenesis, genesisToJSON } from "../../../src/core/index.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-txhistory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "genesis.json"), JSON.stringify(genesisToJSON(createDevGenesis({ committees: [[new Uint8Array(48).fill(1)]] }))));

function config(rpc: unknown): string {
  const p = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify({ dataDir: "n", host: "127.0.0.1", port: 9700, genesis: "genesis.json", blsKeystores: [], nodeKeyFile: "n/key", bootnodes: [], rpc }));
  return p;
}

function flags(argv: string[], env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const cmd = bindEnv(addRPCOptions(new Command("node").exitOverride()));
    cmd.parse(argv, { from: "user" });
    return rpcSettingsFromFlags(cmd.opts());
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  }
}

describe("--rpc-tx-history", () => {
  test("flag, variable and config turn it on; absent leaves it off", () => {
    expect(flags(["--rpc-tx-history"])).toEqual({ txHistory: true });
    expect(flags([], { HARMONY_RPC_TX_HISTORY: "1" })).toEqual({ txHistory: true });
    expect(flags([])).toEqual({});
    expect(loadNodeConfig(config({ txHistory: true })).rpc).toEqual({ txHistory: true });
    expect(loadNodeConfig(config({ txHistory: false })).rpc).toEqual({ txHistory: false });
  });

  test("a non-boolean rpc.txHistory is refused naming the key", () => {
    expect(() => rpcSettingsFromConfig("c.json", { txHistory: "yes" })).toThrow(UsageError);
    expect(() => rpcSettingsFromConfig("c.json", { txHistory: 1 })).toThrow('"rpc.txHistory" must be true or false');
  });
});
