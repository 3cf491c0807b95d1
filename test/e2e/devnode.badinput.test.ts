// Issue 3 acceptance 2: bad input to a real node gets the right JSON-RPC error and the node keeps serving.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Hex, keccak256, parseTransaction, serializeTransaction } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type DevNode, removeDir, startDevNode, tempDir } from "./_node.ts";

const KEY4 = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a" as Hex; // dev account #4
const POOR = "0x1111111111111111111111111111111111111111111111111111111111111111" as Hex; // unfunded
/** secp256k1 group order: s and n − s both verify, EIP-2 accepts only the low one. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
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
    expect(r.json.error).toEqual({ code: -32700, message: "parse error" });
    expect(r.json.id).toBeNull();
    await alive();
  });
  test("wrong param types → -32602", async () => {
    expect((await call("eth_getBalance", [12, "latest"])).json.error).toEqual({ code: -32602, message: "invalid argument 0: expected address string, got number" });
    expect((await call("eth_getBlockByNumber", ["0xzz", false])).json.error).toEqual({ code: -32602, message: "invalid argument 0: invalid hex quantity" });
    expect((await call("eth_getTransactionByHash", ["0x1234"])).json.error).toEqual({ code: -32602, message: "invalid argument 0: hash must be 32 bytes, got 2" });
    await alive();
  });
  test("unknown method → -32601", async () => {
    expect((await call("eth_noSuchMethod")).json.error).toEqual({ code: -32601, message: "the method eth_noSuchMethod does not exist/is not available" });
    await alive();
  });
  test("invalid request and empty batch → -32600", async () => {
    expect((await rpc({ jsonrpc: "2.0", id: 1 })).json.error).toEqual({ code: -32600, message: "invalid request: method must be a string" });
    expect((await rpc([])).json.error).toEqual({ code: -32600, message: "invalid request: empty batch" });
    await alive();
  });
  test("oversize body → 413 with a JSON-RPC error", async () => {
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ data: `0x${"00".repeat(6 * 1024 * 1024)}` }] });
    const r = await rpc(big, true);
    expect(r.status).toBe(413);
    expect(r.json.error).toEqual({ code: -32600, message: "request body too large (max 5242880 bytes)" });
    await alive();
  });
  test("oversize batch → error, node serves", async () => {
    const batch = Array.from({ length: 101 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_chainId", params: [] }));
    const r = await rpc(batch);
    const err = Array.isArray(r.json) ? r.json[0].error : r.json.error;
    expect(err).toEqual({ code: -32600, message: "batch too large: 101 requests, max 100" });
    const ok = await rpc(batch.slice(0, 100));
    expect(ok.json.length).toBe(100);
  });
  test("invalid raw transactions are rejected with geth's messages", async () => {
    const send = async (raw: string) => (await call("eth_sendRawTransaction", [raw])).json.error;
    // bad RLP: a parameter error; the tail of the message is the RLP decoder's own wording
    const rlp = await send("0xdeadbeef");
    expect(rlp.code).toBe(-32602);
    expect(rlp.message).toMatch(/^invalid raw transaction: rlp: \S/);
    // bad signatures (flipping a byte of s would only recover another sender): high s (EIP-2) and r = 0
    const good = parseTransaction(await signed(KEY4, {}));
    const resigned = (sig: { r: Hex; s: Hex; yParity: number }) => serializeTransaction({ ...good, type: "eip1559" } as never, sig);
    const highS = `0x${(SECP256K1_N - BigInt(good.s as Hex)).toString(16).padStart(64, "0")}` as Hex;
    const invalidSig = { code: -32000, message: "invalid sender: invalid transaction v, r, s values" };
    expect(await send(resigned({ r: good.r as Hex, s: highS, yParity: good.yParity === 0 ? 1 : 0 }))).toEqual(invalidSig);
    expect(await send(resigned({ r: `0x${"00".repeat(32)}`, s: good.s as Hex, yParity: good.yParity as number }))).toEqual(invalidSig);
    expect(await send(await signed(KEY4, { chainId: 1 }))).toEqual({ code: -32000, message: "invalid sender: invalid chain id for signer: have 1 want 31337" });
    expect(await send(await signed(KEY4, { nonce: 0, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }))).toEqual({
      code: -32000, message: "transaction underpriced: gas fee cap 1, minimum needed 1000000000",
    });
    // 21000 gas × 2 gwei fee cap + 1 wei of value
    expect(await send(await signed(POOR, {}))).toEqual({
      code: -32000, message: "insufficient funds for gas * price + value: balance 0, tx cost 42000000000001, overshot 42000000000001",
    });
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
    expect(await send(stale)).toEqual({ code: -32000, message: `nonce too low: address ${acct.address.toLowerCase()}, tx: 0 state: 1` });
    await alive();
  }, 60_000);
});
