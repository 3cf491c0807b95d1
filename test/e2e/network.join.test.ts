// Issue 12 acceptance 1: `harmony network export` of a running devnet, then a node in an empty directory
// started with `--network network.json` alone syncs to the devnet's head and serves RPC; a malformed
// network.json exits 2 naming the field.
import { afterAll, describe, expect, test } from "bun:test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type TestDevnet, rpcCall, startDevnet, stopAllDevnets, toNumber, waitFor } from "./_devnet.ts";
import { freePort, harmonyBinary, removeDir, tempDir } from "./_node.ts";

const root = tempDir("harmony-join-");
let d: TestDevnet | undefined;
let joined: ChildProcess | undefined;
let exported: Record<string, any> | undefined;
afterAll(async () => {
  if (joined && joined.exitCode === null) {
    const gone = new Promise((r) => joined?.once("exit", r));
    joined.kill("SIGTERM");
    const t = setTimeout(() => joined?.kill("SIGKILL"), 10_000);
    await gone;
    clearTimeout(t);
  }
  if (d) await d.stop();
  stopAllDevnets();
  removeDir(root);
});

describe("join a network from network.json", () => {
  test("export, then a new node with --network alone syncs to the head and serves RPC", async () => {
    const bin = harmonyBinary();
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1, timeoutMs: 40_000 });
    const exp = spawnSync(bin, ["network", "export", "--data-dir", d.dir], { encoding: "utf8", timeout: 10_000 });
    expect(exp.stderr).toBe("");
    expect(exp.status).toBe(0);
    const net = JSON.parse(exp.stdout);
    exported = net;
    expect(net.version).toBe(1);
    expect(net.bootnodes["0"].length).toBe(5);
    const file = join(root, "network.json");
    writeFileSync(file, exp.stdout);

    const port = await freePort();
    const dataDir = join(root, "joined");
    joined = spawn(bin, ["node", "--network", file, "--data-dir", dataDir, "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    joined.stdout?.on("data", (b) => (out += b));
    joined.stderr?.on("data", (b) => (out += b));
    const url = `http://127.0.0.1:${port}/`;
    await waitFor(`the joined node to serve (output:\n${out})`, 20_000, () => /^RPC http/m.test(out));

    // The head the devnet reports now; the joined node must reach it with the same hash.
    const devnet = d;
    const rpcNode = devnet.nodes().find((n) => !n.validator)?.name as string;
    await waitFor("the devnet to reach block 5", 20_000, async () => (toNumber(await devnet.rpc(rpcNode, "eth_blockNumber")) ?? 0) >= 5);
    const head = await d.rpc(rpcNode, "eth_getBlockByNumber", ["latest", false]);
    const height = toNumber(head.number);
    const got = await waitFor(`the joined node to reach block ${height} (output:\n${out.slice(-3000)})`, 20_000, async () => {
      const b = await rpcCall(url, "eth_getBlockByNumber", [head.number, false], 3000);
      return (b as { hash: string } | null) ?? undefined;
    });
    expect(got.hash).toBe(head.hash);
    expect(await rpcCall(url, "eth_chainId", [], 3000)).toBe(await d.rpc(rpcNode, "eth_chainId"));
  }, 60_000);

  test("a malformed network.json exits 2 naming the field", () => {
    const file = join(root, "bad.json");
    writeFileSync(file, JSON.stringify({ version: 1, networkId: 1, genesis: {}, bootnodes: {} }).replace('"genesis":{}', '"genesis":"genesis.json"'));
    const r = spawnSync(harmonyBinary(), ["node", "--network", file, "--data-dir", join(root, "bad")], { encoding: "utf8", timeout: 10_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: genesis: must be the genesis JSON object`);
    // The exported file with its second bootnode's URL broken.
    expect(exported).toBeDefined();
    const net = structuredClone(exported as Record<string, any>);
    net.bootnodes["0"][1].url = "http://127.0.0.1:1/";
    writeFileSync(file, JSON.stringify(net));
    const r2 = spawnSync(harmonyBinary(), ["node", "--network", file, "--data-dir", join(root, "bad")], { encoding: "utf8", timeout: 10_000 });
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain(`${file}: bootnodes["0"][1].url: must look like ws://HOST:PORT/p2p`);
  });
});
