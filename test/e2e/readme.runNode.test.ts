// Issue 12 acceptance 5 (and item 1's `harmony init`): the `sh` blocks of README "## Run a node", run
// literally by bash against a devnet this test starts, leave a node started from `harmony init`'s config
// that syncs to the devnet's head (same hash) and serves RPC.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { type TestDevnet, rpcCall, startDevnet, stopAllDevnets, toNumber, waitFor } from "./_devnet.ts";
import { ROOT, freePort, harmonyBinary, removeDir, tempDir } from "./_node.ts";

const root = tempDir("harmony-readme-");
const nodeDir = join(root, "node");
let d: TestDevnet | undefined;

function stopReadmeNode(): void {
  const pidFile = join(nodeDir, "harmony.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

afterAll(async () => {
  stopReadmeNode();
  if (d) await d.stop();
  stopAllDevnets();
  removeDir(root);
});

/** The bodies of the ```sh blocks between "## Run a node" and the next "## " heading. */
function runNodeBlocks(readme: string): string[] {
  const start = readme.indexOf("\n## Run a node\n");
  if (start < 0) return [];
  const next = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

describe('README "Run a node"', () => {
  test("its sh blocks, run literally, start a node that syncs to the devnet's head", async () => {
    const blocks = runNodeBlocks(readFileSync(join(ROOT, "README.md"), "utf8"));
    expect(blocks.length).toBe(3);
    expect(blocks.join("\n")).toContain("harmony init --network network.json");

    // `harmony` on PATH, as the section asks.
    const binDir = join(root, "bin");
    mkdirSync(binDir);
    symlinkSync(resolve(harmonyBinary()), join(binDir, "harmony"));
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1, timeoutMs: 40_000 });
    const port = await freePort();
    const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ""}`, NETWORK_DIR: d.dir, NODE_DIR: nodeDir, PORT: String(port) };
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", blocks.join("\n")], { cwd: root, env, encoding: "utf8", timeout: 40_000 });
    const log = () => (existsSync(join(nodeDir, "node.log")) ? readFileSync(join(nodeDir, "node.log"), "utf8").slice(-3000) : "(no node.log)");
    expect(`${r.status} ${r.stderr}`).toBe("0 ");
    expect(existsSync(join(nodeDir, "config.README.txt"))).toBe(true);
    // The last two lines answered eth_syncing and eth_blockNumber.
    expect(r.stdout).toMatch(/"result":(false|\{)/);
    expect(r.stdout).toMatch(/"result":"0x[0-9a-f]+"/);

    const devnet = d;
    const rpcNode = devnet.nodes().find((n) => !n.validator)?.name as string;
    await waitFor("the devnet to reach block 5", 20_000, async () => (toNumber(await devnet.rpc(rpcNode, "eth_blockNumber")) ?? 0) >= 5);
    const head = await devnet.rpc(rpcNode, "eth_getBlockByNumber", ["latest", false]);
    const url = `http://127.0.0.1:${port}/`;
    const got = await waitFor(`the README node to reach block ${toNumber(head.number)} (log:\n${log()})`, 20_000, async () => {
      const b = await rpcCall(url, "eth_getBlockByNumber", [head.number, false], 3000);
      return (b as { hash: string } | null) ?? undefined;
    });
    expect(got.hash).toBe(head.hash);
  }, 90_000);
});
