// `harmony init`: the config it writes loads through the same reader as `harmony node --config` and
// names the network's genesis and bootnodes; an existing config is never overwritten.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDevGenesis, genesisToJSON, parseGenesisJSON } from "../../../src/core/index.ts";
import { UsageError, runCLI } from "../../../src/cli/index.ts";
import { parseNetworkFile } from "../../../src/cli/_networkFile.ts";
import { loadNodeConfig } from "../../../src/cli/_nodeConfig.ts";
import { writeInitFiles } from "../../../src/cli/_initConfig.ts";
import { parseConfigText } from "../../../src/cli/_configText.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-init-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = createDevGenesis({ committees: [[new Uint8Array(48).fill(1)]] });
const NODE_ID = "0x" + "ab".repeat(20);
const netJSON = { version: 1, networkId: spec.config.networkId, genesis: genesisToJSON(spec), bootnodes: { "0": [{ url: "ws://10.0.0.2:9702/p2p", nodeId: NODE_ID }] } };
const netPath = join(dir, "network.json");
writeFileSync(netPath, JSON.stringify(netJSON));
const net = parseNetworkFile(JSON.stringify(netJSON));
const opts = (d: string) => ({ dataDir: d, host: "0.0.0.0", port: 9611, shardId: 0, blsKeystores: [], passphraseFile: "" });

describe("harmony init", () => {
  test("writes a config harmony node --config loads, the genesis and the field notes", () => {
    const d = join(dir, "a");
    const files = writeInitFiles(net, netPath, opts(d));
    const cfg = loadNodeConfig(files.config);
    expect(cfg.dataDir).toBe(d);
    expect(cfg.host).toBe("0.0.0.0");
    expect(cfg.port).toBe(9611);
    expect(cfg.bootnodes).toEqual(["ws://10.0.0.2:9702/p2p"]);
    expect(cfg.shardId).toBe(0);
    expect(cfg.blsKeystores).toEqual([]);
    expect(cfg.unknownFields).toEqual([]);
    expect(cfg.genesisPath).toBe(join(d, "genesis.json"));
    expect(parseGenesisJSON(JSON.parse(readFileSync(files.genesis, "utf8"))).config.networkId).toBe(spec.config.networkId);
    const readme = readFileSync(files.readme as string, "utf8");
    for (const field of Object.keys(JSON.parse(readFileSync(files.config, "utf8")))) expect(readme).toMatch(new RegExp(`^${field} `, "m"));
  });

  test("--format toml: a commented config.toml that loads to the same config as the JSON one", () => {
    const keys = { blsKeystores: [join(dir, "k.json")], passphraseFile: join(dir, "pass") };
    const j = writeInitFiles(net, netPath, { ...opts(join(dir, "tj")), ...keys });
    const t = writeInitFiles(net, netPath, { ...opts(join(dir, "tt")), ...keys }, "toml");
    expect(t.config).toBe(join(dir, "tt", "config.toml"));
    expect(t.readme).toBeUndefined();
    const text = readFileSync(t.config, "utf8");
    // Every field sits under its note.
    for (const field of ["dataDir", "host", "port", "genesis", "blsKeystores", "passphraseFile", "nodeKeyFile", "bootnodes"]) {
      expect(text).toMatch(new RegExp(`^# .+\\n${field} = `, "m"));
    }
    const fromJSON = loadNodeConfig(j.config);
    const fromTOML = loadNodeConfig(t.config);
    const same = (c: ReturnType<typeof loadNodeConfig>) => ({ ...c, dataDir: "", genesisPath: "", nodeKeyFile: "", genesis: null });
    expect(same(fromTOML)).toEqual(same(fromJSON));
    expect(fromTOML.dataDir).toBe(join(dir, "tt"));
    // Neither format is written over the other.
    expect(() => writeInitFiles(net, netPath, opts(join(dir, "tt")))).toThrow(/config.toml exists/);
  });

  test("a TOML config with tables (rpc, shardBootnodes) loads; bad TOML names its line and column", () => {
    const d = join(dir, "toml2");
    writeInitFiles(net, netPath, opts(d), "toml");
    const file = join(d, "config.toml");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n[rpc]\ngasCap = 1234567\n`);
    expect(loadNodeConfig(file).rpc?.callGasCap).toBe(1234567n);
    expect(parseConfigText("x.toml", '[shardBootnodes]\n"0" = ["ws://a:1/p2p"]\n')).toEqual({ shardBootnodes: { "0": ["ws://a:1/p2p"] } });
    expect(() => parseConfigText("x.toml", "port = \n")).toThrow(/x.toml: cannot be read as TOML: line 1, column \d+/);
    expect(() => parseConfigText("x.json", "{")).toThrow(/x.json: cannot be read as JSON/);
    writeFileSync(file, 'port = "9500"\n');
    expect(() => loadNodeConfig(file)).toThrow(/"host" must be a non-empty string/);
  });

  test("refuses to overwrite an existing config, naming it", () => {
    const d = join(dir, "b");
    writeInitFiles(net, netPath, opts(d));
    const before = readFileSync(join(d, "config.json"), "utf8");
    expect(() => writeInitFiles(net, netPath, { ...opts(d), port: 1 })).toThrow(new UsageError(`${join(d, "config.json")} exists: harmony init never overwrites a config (remove it or choose another --data-dir)`));
    expect(readFileSync(join(d, "config.json"), "utf8")).toBe(before);
  });

  test("a validator's keystores need a passphrase file; with one the config lists both", () => {
    expect(() => writeInitFiles(net, netPath, { ...opts(join(dir, "c")), blsKeystores: ["k.json"] })).toThrow(/--bls-keystore needs --passphrase-file/);
    const files = writeInitFiles(net, netPath, { ...opts(join(dir, "c")), blsKeystores: [join(dir, "k.json")], passphraseFile: join(dir, "pass") });
    const raw = JSON.parse(readFileSync(files.config, "utf8"));
    expect(raw.blsKeystores).toEqual([join(dir, "k.json")]);
    expect(raw.passphraseFile).toBe(join(dir, "pass"));
    expect(raw.shardId).toBeUndefined();
  });

  test("through the CLI: exit 0, then exit 2 for an existing config, a bad shard or a missing flag", async () => {
    const d = join(dir, "cli");
    expect(await runCLI(["init", "--network", netPath, "--data-dir", d, "--port", "9700"])).toBe(0);
    expect(loadNodeConfig(join(d, "config.json")).port).toBe(9700);
    expect(await runCLI(["init", "--network", netPath, "--data-dir", d])).toBe(2);
    expect(await runCLI(["init", "--network", netPath, "--data-dir", join(dir, "s"), "--shard", "3"])).toBe(2);
    expect(await runCLI(["init", "--network", netPath])).toBe(2);
    expect(await runCLI(["init", "--network", join(dir, "absent.json"), "--data-dir", join(dir, "t")])).toBe(2);
  });
});
