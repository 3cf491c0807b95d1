// Issue 12 item 6 on a real process: `harmony status` against a running `harmony node --dev` prints the
// head, chain id and keys line (and the same facts as JSON); an unreachable RPC is one line and exit 1,
// a bad flag exit 2.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { type TestDevnet, normalizeKey, rpcCall, startDevnet, stopAllDevnets, toNumber, waitForHeight } from "./_devnet.ts";
import { type DevNode, freePort, harmonyBinary, removeDir, startDevNode, tempDir } from "./_node.ts";

const dir = tempDir("harmony-status-");
let node: DevNode | undefined;
let devnet: TestDevnet | undefined;
afterAll(async () => {
  await node?.kill();
  if (devnet) await devnet.stop();
  stopAllDevnets();
  removeDir(dir);
});

function status(...args: string[]) {
  const r = spawnSync(harmonyBinary(), ["status", ...args], { encoding: "utf8", timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("harmony status", () => {
  test("shows a dev node's head, chain id and keys; JSON carries the same facts", async () => {
    node = await startDevNode({ dataDir: dir });
    const url = node.url;
    // Wait for a few blocks so the head and finality lines have something to show.
    const deadline = Date.now() + 15_000;
    while ((toNumber(await rpcCall(url, "eth_blockNumber")) ?? 0) < 2 && Date.now() < deadline) await Bun.sleep(200);
    const chainId = toNumber(await rpcCall(url, "eth_chainId"));
    const before = toNumber(await rpcCall(url, "eth_blockNumber")) ?? 0;
    const r = status("--rpc", url, "--blocks", "3");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const head = Number(/^head +#(\d+) +[\d.]+s ago/m.exec(r.out)?.[1]);
    expect(head).toBeGreaterThanOrEqual(before);
    expect(r.out).toContain(`chain id ${chainId}`);
    expect(r.out).toMatch(/^keys +none \(not a validator\)$/m);
    expect(r.out).toMatch(/^finality +[\d.]+s per block \(last 3 blocks\)$/m);
    expect(r.out).toMatch(/^syncing +no$/m);

    const j = status("--rpc", url, "--json");
    expect(j.code).toBe(0);
    const facts = JSON.parse(j.out) as { chainId: number; head: { number: number }; myKeys: string[] };
    expect(facts.chainId).toBe(chainId as number);
    expect(facts.head.number).toBeGreaterThanOrEqual(head);
    expect(facts.myKeys).toEqual([]);
  }, 60_000);

  test("on a devnet validator: its key line with signatures, and the committee", async () => {
    devnet = await startDevnet({ validators: 4 });
    await waitForHeight(devnet, "node0", 4, 30_000);
    const n0 = devnet.node("node0");
    const r = status("--rpc", n0.rpc, "--blocks", "3");
    expect(r.code).toBe(0);
    const key = normalizeKey(n0.blsKeys[0]);
    expect(r.out).toMatch(/^keys +1 on this node$/m);
    const mine = new RegExp(`^  0x${key.slice(0, 8)}…${key.slice(-4)}  signed (\\d)/3 .*\\[this node`, "m").exec(r.out);
    expect(mine).not.toBeNull();
    expect(r.out).toMatch(/^committee +4 keys +\d+% of signatures over the last 3 blocks$/m);
    expect(r.out).toMatch(/^consensus +epoch \d+ +view \d+ +mode \w+/m);
  }, 90_000);

  test("an unreachable RPC is one clear line and exit 1; a bad flag exits 2", async () => {
    const dead = `http://127.0.0.1:${await freePort()}/`;
    const r = status("--rpc", dead);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain(`cannot reach a node's JSON-RPC at ${dead}`);
    expect(status("--rpc", "not a url").code).toBe(2);
    expect(status("--blocks", "0").code).toBe(2);
    expect(status("--no-such-flag").code).toBe(2);
  }, 30_000);
});
