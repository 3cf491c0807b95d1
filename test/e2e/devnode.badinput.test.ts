// Issue 3 acceptance 2: bad input to a real node gets the right JSON-RPC error and the node keeps serving.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Hex, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type DevNode, removeDir, startDevNode, tempDir } from "./_node.ts";

const KEY4 = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a" as Hex; // dev account #4
const POOR = "0x1111111111111111111111111111111111111111111111111111111111111111" as Hex; // unfunded
let node: DevNode;
let dir: string;

async function rpc(body: unknown, raw = false): Promise<{ status: number; json: any }> {
  const r = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: raw ? (body as string) : JSON.stringify(body) });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: r.status, json };
}
const call = (method: string, params: unknown[] = []) => rpc({ jsonrpc: "2.0", id: 1, method, params });

async function signed(key: Hex, over: Record<string, unknown>): Promise<Hex> {
  const acct = privateKeyToAccount(key);
  const nonce = BigInt((await call("eth_getTransactionCount", [acct.address, "pending"])).json.result);
  return await acct.signTransaction({
    chainId: 31337, type: "eip1559", to: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", value: 1n, gas: 21000n,
    maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, nonce: Number(nonce), ...over,
  } as never);
}

beforeAll(async () => {
  dir = tempDir("harmony-bad-");
  node = await startDevNode({ dataDir: dir });
});
afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

describe("bad input to harmony node --dev", () => {
  const alive = async () => expect(BigInt((await call("eth_blockNumber")).json.result)).toBeGreaterThanOrEqual(0n);

  test("malformed JSON → -32700", async () => {
    const r = await rpc("{not json", true);
    expect(r.json.error.code).toBe(-32700);
    expect(r.json.id).toBeNull();
    await alive();
  });
  test("wrong param types → -32602", async () => {
    expect((await call("eth_getBalance", [12, "latest"])).json.error.code).toBe(-32602);
    expect((await call("eth_getBlockByNumber", ["0xzz", false])).json.error.code).toBe(-32602);
    expect((await call("eth_getTransactionByHash", ["0x1234"])).json.error.code).toBe(-32602);
    await alive();
  });
  test("unknown method → -32601", async () => {
    expect((await call("eth_noSuchMethod")).json.error.code).toBe(-32601);
    await alive();
  });
  test("invalid request and empty batch → -32600", async () => {
    expect((await rpc({ jsonrpc: "2.0", id: 1 })).json.error.code).toBe(-32600);
    expect((await rpc([])).json.error.code).toBe(-32600);
    await alive();
  });
  test("oversize body → 413 with a JSON-RPC error", async () => {
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ data: `0x${"00".repeat(6 * 1024 * 1024)}` }] });
    const r = await rpc(big, true);
    expect(r.status).toBe(413);
    await alive();
  });
  test("oversize batch → error, node serves", async () => {
    const batch = Array.from({ length: 101 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_chainId", params: [] }));
    const r = await rpc(batch);
    const err = Array.isArray(r.json) ? r.json[0].error : r.json.error;
    expect(err.code).toBe(-32600);
    const ok = await rpc(batch.slice(0, 100));
    expect(ok.json.length).toBe(100);
  });
  test("invalid raw transactions are rejected with geth's messages", async () => {
    const send = async (raw: string) => (await call("eth_sendRawTransaction", [raw])).json.error;
    expect((await send("0xdeadbeef")).code).toBeLessThan(0); // bad RLP
    const good = await signed(KEY4, {});
    // bad signature: flip a byte of s
    const bad = `${good.slice(0, -6)}${good.slice(-6, -4) === "00" ? "01" : "00"}${good.slice(-4)}` as Hex;
    expect((await send(bad)).code).toBeLessThan(0);
    expect((await send(await signed(KEY4, { chainId: 1 }))).message).toMatch(/chain id|invalid sender/);
    expect((await send(await signed(KEY4, { nonce: 0, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }))).message).toMatch(/underpriced|min/);
    expect((await send(await signed(POOR, {}))).message).toMatch(/insufficient funds/);
    // nonce too low: land one tx, then reuse its nonce
    const first = await signed(KEY4, {});
    const ok = (await call("eth_sendRawTransaction", [first])).json;
    expect(ok.result).toBe(keccak256(first));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const rc = (await call("eth_getTransactionReceipt", [ok.result])).json.result;
      if (rc) break;
      await Bun.sleep(150);
    }
    const acct = privateKeyToAccount(KEY4);
    const stale = await acct.signTransaction({ chainId: 31337, type: "eip1559", to: acct.address, value: 1n, gas: 21000n, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, nonce: 0 });
    expect((await send(stale)).message).toMatch(/nonce too low/);
    await alive();
  }, 60_000);
});
