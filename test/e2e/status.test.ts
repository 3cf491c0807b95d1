// Issue 12 item 6 on a real process: `harmony status` against a running `harmony node --dev` prints the
// head, chain id and keys line (and the same facts as JSON); an unreachable RPC is one line and exit 1,
// a bad flag exit 2.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { rpcCall, toNumber } from "./_devnet.ts";
import { type DevNode, freePort, harmonyBinary, removeDir, startDevNode, tempDir } from "./_node.ts";

const dir = tempDir("harmony-status-");
let node: DevNode | undefined;
afterAll(async () => {
  await node?.kill();
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
