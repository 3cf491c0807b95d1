// Issue 10, `harmony devnet --shards S`: the flags' bounds (S × (validators + RPC nodes) processes at most
// the cap), node i on base-port + i over every shard, each node's config (bootnodes = its shard's other
// nodes, shardBootnodes = every shard's, "0" = the beacon nodes' /p2p, shardEndpoints = each shard's RPC
// node), devnet.json in DESIGN §4's shape, and a status line with every shard's height and epoch.
import { describe, expect, test } from "bun:test";
import { devnetEndpoints, nodeConfig, shardRPCNodes } from "../../../src/cli/_devnetConfig.ts";
import { devnetChainConfig } from "../../../src/cli/_devnetCreate.ts";
import type { DevnetLayout, DevnetLayoutNode } from "../../../src/cli/_devnetLayout.ts";
import { buildManifest } from "../../../src/cli/_devnetManifest.ts";
import { DEVNET_DEFAULTS, MAX_DEVNET_PROCESSES, parseDevnetFlags } from "../../../src/cli/_devnetOptions.ts";
import { type DevnetSnapshot, StatusLine } from "../../../src/cli/_devnetStatus.ts";
import { UsageError } from "../../../src/cli/usageError.ts";

/** A layout as createDevnetFiles orders it: per shard its validators, then its RPC nodes. */
function layoutOf(shards: number, validators: number, rpcNodes: number): DevnetLayout {
  const nodes: DevnetLayoutNode[] = [];
  for (let s = 0; s < shards; s++) {
    for (let v = 0; v < validators + rpcNodes; v++) {
      const name = `node${nodes.length}`;
      const keys = v < validators ? [`0x${String(nodes.length).padStart(96, "0")}`] : [];
      nodes.push({ name, shardId: s, validator: v < validators, blsKeys: keys, keystores: keys.map((k) => `${name}/keystore/bls-${k.slice(2)}.json`), nodeKeyFile: `${name}/nodekey` });
    }
  }
  return { version: 1, networkId: 31337, shards, validators, keysPerNode: 1, rpcNodes, blockTimeMs: 1000, epochBlocks: 32, slots: 8, nodes };
}

const flags = (f: Record<string, string>) => parseDevnetFlags({ ...DEVNET_DEFAULTS, ...f } as never, new Set(Object.keys(f)));

describe("devnet flags with shards", () => {
  test("--shards 2 --validators 2 is accepted; the default stays one shard", () => {
    expect(flags({ shards: "2", validators: "2" })).toMatchObject({ shards: 2, validators: 2, rpcNodes: 1 });
    expect(flags({}).shards).toBe(1);
  });

  test("processes over all shards are capped; ports must fit below 65536", () => {
    expect(flags({ shards: "16", validators: "3", rpcNodes: "1" }).shards).toBe(16);
    expect(() => flags({ shards: "17", validators: "3", rpcNodes: "1" })).toThrow(UsageError);
    expect(() => flags({ shards: "17", validators: "3", rpcNodes: "1" })).toThrow(`= 68 processes; at most ${MAX_DEVNET_PROCESSES}`);
    expect(() => flags({ shards: "0" })).toThrow("--shards must be an integer in 1..");
    expect(() => flags({ shards: "2", validators: "3", basePort: "65530" })).toThrow("8 nodes need ports up to 65537");
  });

  test("the chain config has the shard count asked for", () => {
    const c = devnetChainConfig({ shards: 3, blockTimeMs: 1000, epochBlocks: 16, slots: 4 });
    expect(c.shardCount).toBe(3);
    expect(c.chainId(2)).toBe(31339n);
  });
});

describe("devnet layout of 2 shards × (2 validators + 1 RPC node)", () => {
  const layout = layoutOf(2, 2, 1);
  const endpoints = devnetEndpoints("/d", layout, 9500);

  test("node i listens on base-port + i over all shards", () => {
    expect(endpoints.map((e) => [e.name, e.shardId, e.port, e.validator])).toEqual([
      ["node0", 0, 9500, true], ["node1", 0, 9501, true], ["node2", 0, 9502, false],
      ["node3", 1, 9503, true], ["node4", 1, 9504, true], ["node5", 1, 9505, false],
    ]);
    expect(shardRPCNodes(endpoints).map((e) => e.name)).toEqual(["node2", "node5"]);
  });

  test("each config: its shard's peers, every shard's peers and every shard's RPC endpoints", () => {
    const c3 = nodeConfig("/d", layout, endpoints, 3);
    expect(c3.port).toBe(9503);
    expect(c3.bootnodes).toEqual(["ws://127.0.0.1:9504/p2p", "ws://127.0.0.1:9505/p2p"]);
    expect(c3.shardBootnodes).toEqual({
      "0": ["ws://127.0.0.1:9500/p2p", "ws://127.0.0.1:9501/p2p", "ws://127.0.0.1:9502/p2p"],
      "1": ["ws://127.0.0.1:9504/p2p", "ws://127.0.0.1:9505/p2p"],
    });
    expect(c3.shardEndpoints).toEqual([
      { shardId: 0, http: "http://127.0.0.1:9502/", ws: "ws://127.0.0.1:9502/ws" },
      { shardId: 1, http: "http://127.0.0.1:9505/", ws: "ws://127.0.0.1:9505/ws" },
    ]);
    expect(c3.shardId).toBeUndefined();
    expect(nodeConfig("/d", layout, endpoints, 5).shardId).toBe(1);
    expect(nodeConfig("/d", layout, endpoints, 2).shardId).toBe(0);
    const c0 = nodeConfig("/d", layout, endpoints, 0);
    expect(c0.bootnodes).toEqual(["ws://127.0.0.1:9501/p2p", "ws://127.0.0.1:9502/p2p"]);
    expect(c0.shardBootnodes?.["0"]).toEqual(c0.bootnodes);
    expect(c0.shardBootnodes?.["1"]).toEqual(["ws://127.0.0.1:9503/p2p", "ws://127.0.0.1:9504/p2p", "ws://127.0.0.1:9505/p2p"]);
    expect(c0.blsKeystores).toEqual(["/d/node0/keystore/bls-" + "0".repeat(96) + ".json"]);
  });

  test("no RPC nodes: a shard's endpoint is its first node", () => {
    const e = devnetEndpoints("/d", layoutOf(2, 2, 0), 9600);
    expect(shardRPCNodes(e).map((x) => [x.shardId, x.name])).toEqual([[0, "node0"], [1, "node2"]]);
  });

  test("one shard: no shardBootnodes (bootnodes is its one network), its RPC node as the endpoint", () => {
    const one = layoutOf(1, 4, 1);
    const c = nodeConfig("/d", one, devnetEndpoints("/d", one, 9500), 1);
    expect(c.shardBootnodes).toBeUndefined();
    expect(c.bootnodes.length).toBe(4);
    expect(c.shardEndpoints).toEqual([{ shardId: 0, http: "http://127.0.0.1:9504/", ws: "ws://127.0.0.1:9504/ws" }]);
  });

  test("devnet.json lists every shard with its chain id and nodes", () => {
    const m = buildManifest(31337, endpoints, new Map([["node0", 100], ["node4", 104]]));
    expect(m.networkId).toBe(31337);
    expect(m.shards.map((s) => [s.shardId, s.chainId, s.nodes.map((n) => n.name)])).toEqual([
      [0, 31337, ["node0", "node1", "node2"]],
      [1, 31338, ["node3", "node4", "node5"]],
    ]);
    expect(m.shards[1]?.nodes[1]).toEqual({ name: "node4", pid: 104, rpc: "http://127.0.0.1:9504/", ws: "ws://127.0.0.1:9504/ws", validator: true, blsKeys: [`0x${"4".padStart(96, "0")}`] });
    expect(m.shards[0]?.nodes[1]?.pid).toBeNull();
    expect(Object.keys(m.shards[0] ?? {})).toEqual(["shardId", "chainId", "nodes"]);
  });
});

describe("devnet status line", () => {
  const node = (name: string, shardId: number, blockNumber: number, epoch: number, extra: object = {}) => ({ name, up: true, shardId, blockNumber, viewId: blockNumber, epoch, peerCount: 2, ...extra });

  test("one shard keeps its line: height, view, epoch, leader, peers, last block", () => {
    const line = new StatusLine();
    const snap: DevnetSnapshot = { shards: [0], leaders: new Map([[0, "node1"]]), nodes: [node("node0", 0, 7, 0), node("node1", 0, 7, 0), { name: "node2", up: false, shardId: 0 }] };
    const text = line.format(snap, 1_000_000);
    expect(text).toMatch(/^\d\d:\d\d:\d\d {2}height 7 {2}view 7 {2}epoch 0 {2}leader node1 {2}peers 2\/2\/- {2}last block 0\.0s ago {2}down node2$/);
  });

  test("several shards: one part each, with its own height, epoch and age of its last block", () => {
    const line = new StatusLine();
    const snap = (h0: number, h1: number): DevnetSnapshot => ({
      shards: [0, 1],
      leaders: new Map([[0, "node0"]]),
      nodes: [node("node0", 0, h0, 1), node("node1", 0, h0 - 3, 1), node("node2", 1, h1, 0)],
    });
    line.format(snap(40, 5), 10_000);
    const text = line.format(snap(41, 5), 12_000);
    expect(text).toContain("shard 0: height 41  view 41  epoch 1  leader node0  peers 2/2  last block 0.0s ago");
    expect(text).toContain("  |  shard 1: height 5  view 5  epoch 0  leader ?  peers 2  last block 2.0s ago");
    expect(text).toContain("behind node1@38");
  });

  test("a node is counted on the shard it reports", () => {
    const line = new StatusLine();
    const text = line.format({ shards: [0, 1], leaders: new Map(), nodes: [node("node0", 0, 9, 0), node("node1", 1, 3, 0)] }, 5000);
    expect(text).toContain("shard 1: height 3");
    expect(text).not.toContain("behind");
  });
});
