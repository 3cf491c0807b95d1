// Issue 8 item 4/8: the call timeout against a real `harmony node --dev --rpc-call-timeout 1` process
// (the unit test in test/unit/rpc/calls.test.ts only sees a test double). An infinite loop at the gas
// cap ends with the timeout error, for eth_call, eth_estimateGas (the whole search) and a batch (one
// timeout for all its calls), while the node keeps answering and producing blocks.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type DevNode, removeDir, startDevNode, tempDir } from "./_node.ts";
import { deployLoop, timedRPC } from "./_loopContract.ts";

const TIMEOUT_MS = 1000;
const TIMEOUT_ERROR = { code: -32000, message: "execution aborted (timeout = 1s)" };

let node: DevNode;
let dir: string;
let loop: string;

beforeAll(async () => {
  dir = tempDir("harmony-calltimeout-");
  node = await startDevNode({ dataDir: dir, extraArgs: ["--rpc-call-timeout", "1"] });
  loop = await deployLoop(node.url);
}, 120_000);
afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

const head = async () => Number.parseInt(String((await timedRPC(node.url, "eth_blockNumber", [])).result), 16);

describe("call timeout on a real node", () => {
  test("eth_call of an infinite loop at the gas cap: the timeout error within timeout + 1 s; the node stays live meanwhile", async () => {
    const before = await head();
    const call = timedRPC(node.url, "eth_call", [{ to: loop, gas: "0x2faf080" }, "latest"]);
    // While the loop runs, other requests are answered and blocks keep coming (1 s block time).
    await Bun.sleep(300);
    const probe = await timedRPC(node.url, "eth_blockNumber", []);
    expect(probe.error).toBeUndefined();
    const r = await call;
    expect(r.error).toEqual(TIMEOUT_ERROR);
    expect(r.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(r.ms).toBeLessThan(TIMEOUT_MS + 1000);
    expect(probe.ms).toBeLessThan(r.ms);
    await Bun.sleep(1200);
    expect(await head()).toBeGreaterThan(before);
  }, 60_000);

  test("a state override that installs the loop times out the same way", async () => {
    const to = "0x00000000000000000000000000000000000100aa";
    const r = await timedRPC(node.url, "eth_call", [{ to }, "latest", { [to]: { code: "0x5b600056" } }]);
    expect(r.error).toEqual(TIMEOUT_ERROR);
    expect(r.ms).toBeLessThan(TIMEOUT_MS + 1000);
  }, 60_000);

  test("eth_estimateGas of the loop: the whole search is bounded by one timeout", async () => {
    const r = await timedRPC(node.url, "eth_estimateGas", [{ to: loop }]);
    expect(r.error).toEqual(TIMEOUT_ERROR);
    expect(r.ms).toBeLessThan(TIMEOUT_MS + 1000);
  }, 60_000);

  test("a batch of four loops shares one timeout: all four fail, answered within timeout + 1 s", async () => {
    const t0 = performance.now();
    const res = await fetch(node.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([1, 2, 3, 4].map((id) => ({ jsonrpc: "2.0", id, method: "eth_call", params: [{ to: loop }, "latest"] }))),
    });
    const body = (await res.json()) as { id: number; error?: unknown }[];
    const ms = performance.now() - t0;
    expect(body).toHaveLength(4);
    for (const x of body) expect(x.error).toEqual(TIMEOUT_ERROR);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
  }, 60_000);
});
