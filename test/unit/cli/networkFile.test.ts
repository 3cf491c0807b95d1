// network.json (`harmony network export`, `harmony node --network FILE`): every malformed field is a
// UsageError naming it; export reads a devnet-shaped dir; the node config built from it joins shard 0.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDevGenesis, genesisToJSON } from "../../../src/core/index.ts";
import { privateKeyToAddress } from "../../../src/crypto/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";
import { UsageError, runCLI } from "../../../src/cli/index.ts";
import { exportNetwork, nodeConfigFromNetwork, parseNetworkFile } from "../../../src/cli/_networkFile.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-net-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = createDevGenesis({ committees: [[new Uint8Array(48).fill(1)]] });
const genesis = genesisToJSON(spec) as Record<string, unknown>;
const networkId = spec.config.networkId;

const NODE_ID = "0x" + "ab".repeat(20);
const good = () => ({ version: 1, networkId, genesis, bootnodes: { "0": [{ url: "ws://127.0.0.1:9701/p2p", nodeId: NODE_ID }, { url: "ws://10.0.0.2:9702/p2p", nodeId: NODE_ID }] } });

describe("network.json", () => {
  test("a good file: genesis, network id and bootnodes by shard", () => {
    const n = parseNetworkFile(JSON.stringify(good()));
    expect(n.networkId).toBe(networkId);
    expect(n.genesis.config.networkId).toBe(networkId);
    expect(n.bootnodes[0]?.map((b) => b.url)).toEqual(["ws://127.0.0.1:9701/p2p", "ws://10.0.0.2:9702/p2p"]);
  });

  const cases: [string, (o: ReturnType<typeof good>) => unknown][] = [
    ["version", (o) => ({ ...o, version: 2 })],
    ["networkId", (o) => ({ ...o, networkId: "1" })],
    ["networkId", (o) => ({ ...o, networkId: networkId + 1 })],
    ["genesis", (o) => ({ ...o, genesis: "genesis.json" })],
    ["genesis", (o) => ({ ...o, genesis: { ...genesis, alloc: 5 } })],
    ["bootnodes", (o) => ({ ...o, bootnodes: [] })],
    ['bootnodes["1"]', (o) => ({ ...o, bootnodes: { "1": [] } })],
    ['bootnodes["0"]', (o) => ({ ...o, bootnodes: { "0": "ws://127.0.0.1:1/p2p" } })],
    ['bootnodes["0"][1]', (o) => ({ ...o, bootnodes: { "0": [o.bootnodes["0"][0], "x"] } })],
    ['bootnodes["0"][1].url: must look like ws://HOST:PORT/p2p', (o) => ({ ...o, bootnodes: { "0": [o.bootnodes["0"][0], { url: "http://h:1/", nodeId: NODE_ID }] } })],
    ['bootnodes["0"][0].nodeId', (o) => ({ ...o, bootnodes: { "0": [{ url: "ws://h:1/p2p", nodeId: "0x12" }] } })],
  ];
  for (const [field, patch] of cases) {
    test(`a bad ${field} is a usage error naming it`, () => {
      const text = JSON.stringify(patch(good()));
      expect(() => parseNetworkFile(text)).toThrow(UsageError);
      expect(() => parseNetworkFile(text)).toThrow(`network.json: ${field}`);
    });
  }

  test("not JSON, or not an object", () => {
    expect(() => parseNetworkFile("{nope")).toThrow("network.json: not valid JSON");
    expect(() => parseNetworkFile("[]")).toThrow(UsageError);
  });

  test("export of a devnet-shaped dir: each node a bootnode with the id of its node key", () => {
    const d = join(dir, "devnet");
    writeFileSync(join(dir, "genesis.json"), JSON.stringify(genesis));
    const keys = ["11".repeat(32), "22".repeat(32)];
    keys.forEach((k, i) => {
      mkdirSync(join(d, `node${i}`), { recursive: true });
      writeFileSync(join(d, `node${i}`, "nodekey"), k);
      const cfg = { dataDir: ".", host: "127.0.0.1", port: 9800 + i, genesis: "../../genesis.json", blsKeystores: [], nodeKeyFile: "nodekey", bootnodes: [], ...(i === 1 ? { shardId: 0 } : {}) };
      writeFileSync(join(d, `node${i}`, "config.json"), JSON.stringify(cfg));
    });
    const out = exportNetwork(d);
    expect(out.networkId).toBe(networkId);
    expect(out.genesis).toEqual(genesis);
    expect(out.bootnodes["0"]).toEqual(keys.map((k, i) => ({ url: `ws://127.0.0.1:${9800 + i}/p2p`, nodeId: bytesToHex(privateKeyToAddress(hexToBytes(`0x${k}`))) })));
    // What export writes, parse reads back; one node's dir alone exports that node.
    expect(parseNetworkFile(JSON.stringify(out)).bootnodes[0]?.length).toBe(2);
    expect(exportNetwork(join(d, "node1")).bootnodes["0"]?.map((b) => b.url)).toEqual(["ws://127.0.0.1:9801/p2p"]);
    expect(() => exportNetwork(join(dir, "nothing-here"))).toThrow(UsageError);
  });

  test("the joining node's config: shard 0, the file's bootnodes, a node key in its data dir, no keys", () => {
    const cfg = nodeConfigFromNetwork(parseNetworkFile(JSON.stringify(good())), "network.json", { dataDir: join(dir, "j"), host: "127.0.0.1", port: 9900, shardId: 0, blsKeystores: [], passphraseFile: "" });
    expect(cfg.bootnodes).toEqual(["ws://127.0.0.1:9701/p2p", "ws://10.0.0.2:9702/p2p"]);
    expect(cfg.nodeKeyFile).toBe(join(dir, "j", "nodekey"));
    expect(cfg.blsKeystores).toEqual([]);
    expect(cfg.shardId).toBe(0);
    const net = parseNetworkFile(JSON.stringify(good()));
    expect(() => nodeConfigFromNetwork(net, "network.json", { dataDir: "d", host: "h", port: 1, shardId: 1, blsKeystores: [], passphraseFile: "" })).toThrow("--shard");
    expect(() => nodeConfigFromNetwork(net, "network.json", { dataDir: "d", host: "h", port: 1, shardId: 0, blsKeystores: ["k.json"], passphraseFile: "" })).toThrow("--passphrase-file");
  });

  test("the CLI exits 2 naming the field; --shard without --network is a usage error", async () => {
    const p = join(dir, "bad-net.json");
    writeFileSync(p, JSON.stringify({ ...good(), version: 7 }));
    expect(await runCLI(["node", "--network", p, "--data-dir", join(dir, "x")])).toBe(2);
    expect(await runCLI(["node", "--network", join(dir, "absent.json")])).toBe(2);
    expect(await runCLI(["node", "--dev", "--shard", "1"])).toBe(2);
    expect(await runCLI(["network", "export", "--data-dir", join(dir, "nothing-here")])).toBe(2);
  });
});
