// Issue 10, the node config's sharding fields: `shardBootnodes` (shard id → p2p URLs, ids below the genesis'
// shard count) and `shardEndpoints` (each shard's RPC URLs); bootnode URLs may name a shard's network
// (`/p2p/<n>`); every bad value is a UsageError naming the field.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChainConfig, DEV_CHAIN_CONFIG, createDevGenesis, genesisToJSON } from "../../../src/core/index.ts";
import { UsageError } from "../../../src/cli/index.ts";
import { loadNodeConfig } from "../../../src/cli/_nodeConfig.ts";
import { isBootnodeURL } from "../../../src/cli/_shardConfig.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-shardcfg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), shardCount: 2 });
writeFileSync(join(dir, "genesis.json"), JSON.stringify(genesisToJSON(createDevGenesis({ config, committees: [[new Uint8Array(48).fill(1)], [new Uint8Array(48).fill(2)]] }))));

const base = {
  dataDir: "node0", host: "127.0.0.1", port: 9700, genesis: "genesis.json", blsKeystores: [], nodeKeyFile: "node0/nodekey",
  bootnodes: ["ws://127.0.0.1:9701/p2p"],
};
let n = 0;
function load(patch: Record<string, unknown>) {
  const p = join(dir, `cfg${n++}.json`);
  writeFileSync(p, JSON.stringify({ ...base, ...patch }));
  return loadNodeConfig(p);
}

describe("node config: sharding fields", () => {
  test("absent: neither field is set", () => {
    const c = load({});
    expect(c.shardBootnodes).toBeUndefined();
    expect(c.shardEndpoints).toBeUndefined();
    expect(c.unknownFields).toEqual([]);
  });

  test("shardBootnodes and shardEndpoints are read by shard id", () => {
    const c = load({
      bootnodes: ["ws://127.0.0.1:9702/p2p/1"],
      shardBootnodes: { "0": ["ws://127.0.0.1:9700/p2p", "wss://a.example:443/p2p/0"], "1": [] },
      shardEndpoints: [
        { shardId: 0, http: "http://127.0.0.1:9700/", ws: "ws://127.0.0.1:9700/ws" },
        { shardId: 1, http: "https://s1.example/", ws: "wss://s1.example/ws" },
      ],
    });
    expect(c.bootnodes).toEqual(["ws://127.0.0.1:9702/p2p/1"]);
    expect(c.shardBootnodes).toEqual({ 0: ["ws://127.0.0.1:9700/p2p", "wss://a.example:443/p2p/0"], 1: [] });
    expect(c.shardEndpoints?.map((e) => e.shardId)).toEqual([0, 1]);
    expect(c.shardEndpoints?.[1]?.ws).toBe("wss://s1.example/ws");
    expect(c.unknownFields).toEqual([]);
  });

  test("bootnode URL shapes", () => {
    for (const ok of ["ws://h:1/p2p", "wss://h:1/p2p", "ws://h:1/p2p/0", "ws://h:1/p2p/12"]) expect(isBootnodeURL(ok)).toBe(true);
    for (const no of ["http://h:1/p2p", "ws://h:1/p2p/", "ws://h:1/p2p/x", "ws://h:1/p2p/01", "ws://h:1/ws", "ws://h:1/p2p/1/2", "ws:// h/p2p"]) expect(isBootnodeURL(no)).toBe(false);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["bootnodes", { bootnodes: ["ws://127.0.0.1:1/p2p/x"] }, /p2p\/<shardId>/],
    ["shardBootnodes", { shardBootnodes: ["ws://127.0.0.1:1/p2p"] }, /must be an object/],
    ["shardBootnodes", { shardBootnodes: { "2": [] } }, /key "2" must be a shard id in 0\.\.1/],
    ["shardBootnodes", { shardBootnodes: { one: [] } }, /key "one"/],
    ["shardBootnodes", { shardBootnodes: { "-1": [] } }, /key "-1"/],
    ["shardBootnodes", { shardBootnodes: { "0": "ws://127.0.0.1:1/p2p" } }, /"0" must be an array/],
    ["shardBootnodes", { shardBootnodes: { "1": ["http://127.0.0.1:1/"] } }, /"1": entry "http/],
    ["shardBootnodes", { shardBootnodes: { "1": [7] } }, /entry 7/],
    ["shardEndpoints", { shardEndpoints: { shardId: 0 } }, /must be an array/],
    ["shardEndpoints", { shardEndpoints: ["x"] }, /entry 0 must be an object/],
    ["shardEndpoints", { shardEndpoints: [{ shardId: 2, http: "http://h/", ws: "ws://h/ws" }] }, /"shardId" must be an integer in 0\.\.1/],
    ["shardEndpoints", { shardEndpoints: [{ shardId: "0", http: "http://h/", ws: "ws://h/ws" }] }, /"shardId"/],
    ["shardEndpoints", { shardEndpoints: [{ shardId: 0, http: "ws://h/", ws: "ws://h/ws" }] }, /"http" must be an http\(s\):\/\/ URL/],
    ["shardEndpoints", { shardEndpoints: [{ shardId: 0, http: "http://h/", ws: "http://h/ws" }] }, /"ws" must be a ws\(s\):\/\/ URL/],
    ["shardEndpoints", { shardEndpoints: [{ shardId: 0, http: "http://h/" }] }, /"ws"/],
    ["shardEndpoints", { shardEndpoints: [{ shardId: 1, http: "http://h/", ws: "ws://h/ws" }, { shardId: 1, http: "http://g/", ws: "ws://g/ws" }] }, /shard 1 is listed twice/],
  ];
  for (const [field, patch, message] of cases) {
    test(`bad "${field}": ${JSON.stringify(patch[field])}`, () => {
      let err: unknown;
      try {
        load(patch);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toContain(`"${field}"`);
      expect((err as Error).message).toMatch(message);
    });
  }
});
