// Issue 4, `harmony devnet` as a command: bad flags exit with 2 and a message naming the flag, before
// anything is written; Ctrl-C (SIGINT to the devnet process) stops every node process it started, marks
// them stopped in devnet.json, and exits 0.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "../../src/cli/_devnetProcess.ts";
import { startDevnet, stopAllDevnets, waitFor } from "./_devnet.ts";
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
    [["--shards", "2"], /--shards 2.*--shards 1/],
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
