// Issue 4, `harmony devnet` as a command: bad flags exit with 2 and a message naming the flag, before
// anything is written; Ctrl-C (SIGINT to the devnet process) stops every node process it started, marks
// them stopped in devnet.json, and exits 0. Issue 10: `--shards 2 --validators 2` starts both shards'
// nodes, lists them in devnet.json, each shard's RPC node answers with its chain id, and any node's
// hmy_getShardingStructure lists both shards' RPC nodes.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "../../src/cli/_devnetProcess.ts";
import { rpcCall, startDevnet, stopAllDevnets, toNumber, waitFor } from "./_devnet.ts";
import { harmonyBinary, removeDir, tempDir } from "./_node.ts";

const root = tempDir("harmony-devnet-cli-");
afterAll(() => {
  stopAllDevnets();
  removeDir(root);
});

function devnet(args: string[]) {
  return spawnSync(harmonyBinary(), ["devnet", "--data-dir", join(root, "bad"), ...args], { encoding: "utf8", timeout: 30_000 });
}

describe("harmony devnet flags", () => {
  const cases: [string[], RegExp][] = [
    [["--shards", "17", "--validators", "3"], /= 68 processes; at most 64/],
    [["--shards", "zero"], /--shards must be an integer/],
    [["--validators", "0"], /--validators must be an integer in 1\.\./],
    [["--validators", "4", "--keys-per-node", "1000"], /at most 1024/],
    [["--keys-per-node", "-1"], /--keys-per-node/],
    [["--block-time", "0"], /--block-time must be a duration/],
    [["--block-time", "soon"], /--block-time must be a duration/],
    [["--base-port", "70000"], /--base-port must be an integer/],
    [["--base-port", "65534"], /above 65535/],
    [["--rpc-nodes", "x"], /--rpc-nodes must be an integer/],
    [["--frobnicate"], /unknown option '--frobnicate'/],
  ];
  for (const [args, message] of cases) {
    test(`${args.join(" ")} → exit 2`, () => {
      const r = devnet(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(root, "bad"))).toBe(false);
    });
  }
});

describe("harmony devnet Ctrl-C", () => {
  test("SIGINT stops every node and exits 0", async () => {
    const d = await startDevnet({ validators: 4, rpcNodes: 1 });
    const pids = d.nodes().map((n) => n.pid as number);
    expect(pids.length).toBe(5);
    for (const pid of pids) expect(isProcessAlive(pid)).toBe(true);
    // The RPC node answers (the URL printed is the RPC node's).
    const rpcNode = d.nodes().find((n) => !n.validator);
    expect(d.output()).toContain(`RPC  ${rpcNode?.rpc}`);
    expect(d.output()).toContain("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    await waitFor("a status line", 10_000, () => /height \S+ +view/.test(d.output()));

    d.proc.kill("SIGINT");
    const { code } = await d.exited;
    expect(code).toBe(0);
    for (const pid of pids) expect(isProcessAlive(pid)).toBe(false);
    expect(d.nodes().every((n) => n.pid === null)).toBe(true);
    await d.stop();
  }, 120_000);
});

describe("harmony devnet --shards 2", () => {
  test("both shards' nodes start, devnet.json lists them, each RPC node answers its chain id", async () => {
    const d = await startDevnet({ shards: 2, validators: 2, rpcNodes: 1, blockTime: 2 });
    try {
      const m = d.manifest();
      expect(m.networkId).toBe(31337);
      expect(m.shards.map((s) => [s.shardId, s.chainId, s.nodes.length])).toEqual([[0, 31337, 3], [1, 31338, 3]]);
      expect(d.nodes().map((n) => n.name)).toEqual(["node0", "node1", "node2", "node3", "node4", "node5"]);
      expect(d.nodes().map((n) => n.rpc)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `http://127.0.0.1:${d.basePort + i}/`));
      for (const s of m.shards) {
        expect(s.nodes.map((n) => n.validator)).toEqual([true, true, false]);
        const rpcNode = s.nodes.find((n) => !n.validator);
        expect(toNumber(await rpcCall(rpcNode?.rpc ?? "", "eth_chainId", [], 5000))).toBe(s.chainId);
      }
      // Any node lists every shard, the RPC nodes' URLs, its own shard current.
      for (const name of ["node1", "node5"]) {
        const structure = (await d.rpc(name, "hmy_getShardingStructure")) as { current: boolean; http: string; shardID: number; ws: string }[];
        const own = name === "node1" ? 0 : 1;
        expect(structure).toEqual(m.shards.map((s) => ({ current: s.shardId === own, http: s.nodes[2]?.rpc ?? "", shardID: s.shardId, ws: s.nodes[2]?.ws ?? "" })));
      }
      // The printed URL is the beacon RPC node's, then one line per shard.
      expect(d.output()).toContain(`RPC  ${m.shards[0]?.nodes[2]?.rpc}`);
      expect(d.output()).toMatch(new RegExp(`shard 1  chainId 31338  RPC ${m.shards[1]?.nodes[2]?.rpc}`));
      // The node configs name each other's networks.
      const cfg = JSON.parse(readFileSync(join(d.dir, "node3", "config.json"), "utf8"));
      expect(cfg.shardBootnodes["0"]).toEqual([0, 1, 2].map((i) => `ws://127.0.0.1:${d.basePort + i}/p2p`));
      expect(cfg.shardEndpoints.map((e: { shardId: number }) => e.shardId)).toEqual([0, 1]);
      await waitFor("a status line of both shards", 20_000, () => /shard 0: height \S+ +view .*\| {2}shard 1: height/.test(d.output()));
    } finally {
      expect(await d.stop()).toBe(0);
    }
  }, 240_000);
});
