// Issue 12 acceptance 5 (and item 1's `harmony init`): the `sh` blocks of README "## Run a node", run
// literally by bash against a devnet this test starts (16-block epochs), take a new node from `harmony
// init`'s config to a synced RPC node (same hash as the devnet's head), then to a validator: keys made
// and imported, create-validator sent, the node restarted with its BLS key, elected, and signing.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type TestDevnet, rpcCall, startDevnet, stopAllDevnets, toNumber, waitFor } from "./_devnet.ts";
import { DEV_ACCOUNTS } from "../../src/core/index.ts";
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

/** The bash script of the blocks; each block's stdout ends with a marker line so a failure names its step. */
function script(blocks: string[]): string {
  return blocks.map((b, i) => `${b}\necho "== step ${i + 1} done"`).join("\n");
}

/** `harmony status --json` of the node at `url`. */
function statusJSON(binDir: string, url: string): { myKeys: string[]; committee?: { key: string; signed: number; mine: boolean }[] } | undefined {
  const r = spawnSync(join(binDir, "harmony"), ["status", "--rpc", url, "--json"], { encoding: "utf8", timeout: 20_000 });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout);
}

describe('README "Run a node"', () => {
  test("its sh blocks, run literally, take a new node to a synced RPC node, then to an elected validator that signs", async () => {
    const blocks = runNodeBlocks(readFileSync(join(ROOT, "README.md"), "utf8"));
    expect(blocks.length).toBe(5);
    expect(blocks.join("\n")).toContain("harmony init --network network.json");
    expect(blocks.join("\n")).toContain("harmony staking create-validator");

    // `harmony` on PATH, as the section asks.
    const binDir = join(root, "bin");
    mkdirSync(binDir);
    symlinkSync(resolve(harmonyBinary()), join(binDir, "harmony"));
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1, timeoutMs: 40_000, extraArgs: ["--epoch-blocks", "16"] });
    const port = await freePort();
    // A funded devnet account that runs no validator (the devnet's validators use their own operator accounts).
    const keyFile = join(root, "operator.key");
    writeFileSync(keyFile, `${(DEV_ACCOUNTS[7] as { privateKey: string }).privateKey}\n`, { mode: 0o600 });
    const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ""}`, NETWORK_DIR: d.dir, NODE_DIR: nodeDir, PORT: String(port), ACCOUNT_KEY_FILE: keyFile };
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", script(blocks)], { cwd: root, env, encoding: "utf8", timeout: 150_000 });
    const log = () => (existsSync(join(nodeDir, "node.log")) ? readFileSync(join(nodeDir, "node.log"), "utf8").slice(-3000) : "(no node.log)");
    expect(`${r.status} ${r.stderr}`, `stdout:\n${r.stdout}\nnode.log:\n${log()}`).toBe("0 ");
    expect(existsSync(join(nodeDir, "config.README.txt"))).toBe(true);
    for (let i = 1; i <= 5; i++) expect(r.stdout).toContain(`== step ${i} done`);
    // Step 3 answered eth_syncing and eth_blockNumber.
    expect(r.stdout).toMatch(/"result":(false|\{)/);
    expect(r.stdout).toMatch(/"result":"0x[0-9a-f]+"/);

    const devnet = d;
    const rpcNode = devnet.nodes().find((n) => !n.validator)?.name as string;
    const head = await devnet.rpc(rpcNode, "eth_getBlockByNumber", ["latest", false]);
    const url = `http://127.0.0.1:${port}/`;
    const got = await waitFor(`the README node to reach block ${toNumber(head.number)} (log:\n${log()})`, 20_000, async () => {
      const b = await rpcCall(url, "eth_getBlockByNumber", [head.number, false], 3000);
      return (b as { hash: string } | null) ?? undefined;
    });
    expect(got.hash).toBe(head.hash);

    // Elected (the script waited for it): the key the README made is the node's own and signs blocks.
    const bls = readdirSync(join(nodeDir, "keystore")).filter((f) => f.startsWith("bls-"));
    expect(bls.length).toBe(1);
    const key = (bls[0] as string).slice(4, -5);
    const signing = await waitFor(`the new validator's key to sign (log:\n${log()})`, 60_000, async () => {
      const s = statusJSON(binDir, url);
      const mine = s?.committee?.find((k) => k.mine && k.signed > 0);
      return mine;
    });
    expect(signing.key.toLowerCase().replace(/^0x/, "")).toBe(key.toLowerCase());
  }, 240_000);
});
