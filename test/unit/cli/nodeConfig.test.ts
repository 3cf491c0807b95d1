// `harmony node --config FILE`: the config contract of the devnet's node files; each bad field is a
// UsageError (exit 2) that names it; relative paths resolve against the config file's directory.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDevGenesis, genesisToJSON } from "../../../src/core/index.ts";
import { UsageError, runCLI } from "../../../src/cli/index.ts";
import { loadNodeConfig } from "../../../src/cli/_nodeConfig.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-cfg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "genesis.json"), JSON.stringify(genesisToJSON(createDevGenesis({ committees: [[new Uint8Array(48).fill(1)]] }))));

const good = {
  dataDir: "node0", host: "127.0.0.1", port: 9700, genesis: "genesis.json", blsKeystores: ["node0/bls.json"], passphraseFile: "pass.txt",
  nodeKeyFile: "node0/nodekey", bootnodes: ["ws://127.0.0.1:9701/p2p"], logFormat: "json",
};

function write(name: string, o: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof o === "string" ? o : JSON.stringify(o));
  return p;
}

describe("node config file", () => {
  test("the contract's fields, with paths resolved against the file", () => {
    const c = loadNodeConfig(write("good.json", { ...good, doppelgangerViews: 0, extra: 1 }));
    expect(c.dataDir).toBe(join(dir, "node0"));
    expect(c.blsKeystores).toEqual([join(dir, "node0/bls.json")]);
    expect(c.passphraseFile).toBe(join(dir, "pass.txt"));
    expect(c.port).toBe(9700);
    expect(c.logFormat).toBe("json");
    expect(c.doppelgangerViews).toBe(0);
    expect(c.genesis.committees[0]?.length).toBe(1);
    expect(c.unknownFields).toEqual(["extra"]);
  });

  const cases: [string, Record<string, unknown>][] = [
    ["port", { port: "9700" }],
    ["port", { port: 70000 }],
    ["dataDir", { dataDir: "" }],
    ["genesis", { genesis: "missing.json" }],
    ["blsKeystores", { blsKeystores: "a.json" }],
    ["bootnodes", { bootnodes: ["http://127.0.0.1:1/"] }],
    ["logFormat", { logFormat: "xml" }],
    ["nodeKeyFile", { nodeKeyFile: 3 }],
    ["host", { host: "a b" }],
  ];
  for (const [field, patch] of cases) {
    test(`a bad "${field}" is a usage error naming it`, () => {
      const p = write(`bad-${field}.json`, { ...good, ...patch });
      expect(() => loadNodeConfig(p)).toThrow(UsageError);
      expect(() => loadNodeConfig(p)).toThrow(`"${field}"`);
    });
  }

  test("the CLI exits 2 on a bad config, an unreadable file or a key that does not decrypt", async () => {
    expect(await runCLI(["node", "--config", write("bad.json", "{nope")])).toBe(2);
    expect(await runCLI(["node", "--config", join(dir, "absent.json")])).toBe(2);
    writeFileSync(join(dir, "pass.txt"), "pw\n");
    writeFileSync(join(dir, "ks.json"), "{}");
    expect(await runCLI(["node", "--config", write("ks-bad.json", { ...good, blsKeystores: ["ks.json"], dataDir: "d1" })])).toBe(2);
  });
});
