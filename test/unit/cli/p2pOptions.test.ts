// `--rpc-admin`, `--p2p-advertise-url`, `--p2p-block` and the config keys rpcAdmin, p2pAdvertiseUrl,
// blockedPeers: checked with errors that name the flag or key; flags win, block entries add up.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { createDevGenesis, genesisToJSON } from "../../../src/core/index.ts";
import { UsageError } from "../../../src/cli/index.ts";
import { loadNodeConfig } from "../../../src/cli/_nodeConfig.ts";
import { addP2POptions, mergeP2PSettings, p2pSettingsFromFlags } from "../../../src/cli/_p2pOptions.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-p2pcfg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "genesis.json"), JSON.stringify(genesisToJSON(createDevGenesis({ committees: [[new Uint8Array(48).fill(1)]] }))));
const base = { dataDir: "n", host: "0.0.0.0", port: 9700, genesis: "genesis.json", blsKeystores: [], nodeKeyFile: "n/key", bootnodes: [] };
const ID = `0x${"aB".repeat(20)}`;

function config(extra: Record<string, unknown>): string {
  const p = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify({ ...base, ...extra }));
  return p;
}

function flags(argv: string[]) {
  const cmd = addP2POptions(new Command("node").exitOverride());
  cmd.parse(argv, { from: "user" });
  return p2pSettingsFromFlags(cmd.opts());
}

describe("config keys", () => {
  test("valid values are kept; absent ones stay absent", () => {
    const cfg = loadNodeConfig(config({ rpcAdmin: true, p2pAdvertiseUrl: "ws://203.0.113.5:9500/p2p", blockedPeers: [ID, "ws://10.0.0.2:9500/p2p"] }));
    expect(cfg.p2p).toEqual({ rpcAdmin: true, p2pAdvertiseUrl: "ws://203.0.113.5:9500/p2p", blockedPeers: [ID, "ws://10.0.0.2:9500/p2p"] });
    expect(cfg.unknownFields).toEqual([]);
    expect(loadNodeConfig(config({})).p2p).toBeUndefined();
  });

  test("bad values name the key", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ rpcAdmin: "yes" }, /"rpcAdmin" must be true or false/],
      [{ p2pAdvertiseUrl: "http://x:1/p2p" }, /"p2pAdvertiseUrl" must look like ws:\/\/HOST:PORT\/p2p/],
      [{ p2pAdvertiseUrl: "ws://0.0.0.0:9500/p2p" }, /names no machine a peer can dial/],
      [{ p2pAdvertiseUrl: "ws://[::]:9500/p2p" }, /names no machine a peer can dial/],
      [{ blockedPeers: "0x12" }, /"blockedPeers" must be an array/],
      [{ blockedPeers: [ID, "0x1234"] }, /"blockedPeers"\[1\]: "0x1234" is neither/],
    ];
    for (const [extra, re] of cases) expect(() => loadNodeConfig(config(extra))).toThrow(re);
    expect(() => loadNodeConfig(config({ rpcAdmin: 1 }))).toThrow(UsageError);
  });
});

describe("flags", () => {
  test("parsed, repeatable --p2p-block, and merged over the file", () => {
    expect(flags([])).toEqual({});
    const f = flags(["--rpc-admin", "--p2p-advertise-url", "ws://example.org:9500/p2p", "--p2p-block", ID, "--p2p-block", "ws://10.0.0.3:9500/p2p"]);
    expect(f).toEqual({ rpcAdmin: true, p2pAdvertiseUrl: "ws://example.org:9500/p2p", blockedPeers: [ID, "ws://10.0.0.3:9500/p2p"] });
    const merged = mergeP2PSettings({ p2pAdvertiseUrl: "ws://old:1/p2p", blockedPeers: ["ws://10.0.0.9:1/p2p"], rpcAdmin: false }, f);
    expect(merged).toEqual({ rpcAdmin: true, p2pAdvertiseUrl: "ws://example.org:9500/p2p", blockedPeers: ["ws://10.0.0.9:1/p2p", ID, "ws://10.0.0.3:9500/p2p"] });
    expect(() => flags(["--p2p-block", "nope"])).toThrow(/--p2p-block: "nope" is neither/);
    expect(() => flags(["--p2p-advertise-url", "ws://0.0.0.0:1/p2p"])).toThrow(/--p2p-advertise-url: .* names no machine/);
  });
});
