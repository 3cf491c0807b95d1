// JSON-RPC 2.0 envelope and error paths over HTTP (https://www.jsonrpc.org/specification §4–§6, EIP-1474).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { toData } from "../../../src/rpc/hex.ts";
import { startHarness, type Harness } from "./_harness.ts";
import { ALICE, TARGET } from "./_testBackend.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ batchLimit: 5, maxBodyBytes: 64 * 1024 });
});
afterAll(() => h.server.stop());

const alice = toData(ALICE);

describe("envelope", () => {
  test("malformed JSON → -32700 with id null", async () => {
    const r = await h.post('{"jsonrpc":"2.0","id":1,"method":"eth_chainId"');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } });
  });

  test("invalid request objects → -32600", async () => {
    for (const body of ["1", '"x"', "null", '{"jsonrpc":"2.0","id":1}', '{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}', '{"jsonrpc":"2.0","id":1,"method":5}']) {
      const r = await h.post(body);
      expect(r.json.error.code).toBe(-32600);
    }
    const badId = await h.post({ jsonrpc: "2.0", id: { x: 1 }, method: "eth_chainId" });
    expect(badId.json).toMatchObject({ id: null, error: { code: -32600 } });
  });

  test("empty batch → single -32600", async () => {
    const r = await h.post("[]");
    expect(r.json).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "invalid request: empty batch" } });
  });

  test("unknown method → -32601, also for prototype names", async () => {
    for (const m of ["eth_nope", "constructor", "__proto__", "toString"]) {
      const r = await h.rpc(m);
      expect(r.error.code).toBe(-32601);
      expect(r.error.message).toContain("does not exist");
    }
  });

  test("params must be an array → -32602", async () => {
    const r = await h.post({ jsonrpc: "2.0", id: 7, method: "eth_getBalance", params: { address: alice } });
    expect(r.json).toMatchObject({ id: 7, error: { code: -32602 } });
  });

  test("string ids and null ids are echoed", async () => {
    expect((await h.post({ jsonrpc: "2.0", id: "abc", method: "eth_chainId" })).json).toEqual({ jsonrpc: "2.0", id: "abc", result: "0x7a69" });
    expect((await h.post({ jsonrpc: "2.0", id: null, method: "eth_chainId" })).json).toEqual({ jsonrpc: "2.0", id: null, result: "0x7a69" });
  });

  test("a notification gets no response (204), a batch of notifications neither", async () => {
    const one = await h.post({ jsonrpc: "2.0", method: "eth_chainId" });
    expect(one.status).toBe(204);
    expect(one.text).toBe("");
    const batch = await h.post([{ jsonrpc: "2.0", method: "eth_chainId" }, { jsonrpc: "2.0", method: "eth_nope" }]);
    expect(batch.status).toBe(204);
  });
});

describe("batches", () => {
  test("mixed good and bad requests answer each in order", async () => {
    const r = await h.post([
      { jsonrpc: "2.0", id: 1, method: "eth_chainId" },
      { jsonrpc: "2.0", id: 2, method: "eth_nope" },
      { jsonrpc: "2.0", method: "eth_chainId" },
      { jsonrpc: "2.0", id: 3, method: "eth_getBalance", params: ["0x12", "latest"] },
      5,
    ]);
    expect(r.json).toEqual([
      { jsonrpc: "2.0", id: 1, result: "0x7a69" },
      { jsonrpc: "2.0", id: 2, error: { code: -32601, message: "the method eth_nope does not exist/is not available" } },
      { jsonrpc: "2.0", id: 3, error: { code: -32602, message: "invalid argument 0: address must be 0x followed by 40 hex digits" } },
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: "invalid request" } },
    ]);
  });

  test("a batch over the limit → one -32600 error with the first id", async () => {
    const calls = Array.from({ length: 6 }, (_, i) => ({ jsonrpc: "2.0", id: 10 + i, method: "eth_chainId" }));
    const r = await h.post(calls);
    expect(r.json).toEqual([{ jsonrpc: "2.0", id: 10, error: { code: -32600, message: "batch too large: 6 requests, max 5" } }]);
  });

  test("a thrown error in one request does not affect the others", async () => {
    const r = await h.post([
      { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: toData(TARGET.throws) }, "latest"] },
      { jsonrpc: "2.0", id: 2, method: "eth_blockNumber" },
    ]);
    expect(r.json[0]).toEqual({ jsonrpc: "2.0", id: 1, error: { code: -32603, message: "internal error" } });
    expect(r.json[1]).toEqual({ jsonrpc: "2.0", id: 2, result: "0x0" });
    expect(r.text).not.toContain("secret");
    expect(h.logs.some((l) => l.level === "error" && String(l.fields?.error).includes("secret internal detail"))).toBe(true);
  });
});

describe("body limit", () => {
  test("oversize body (content-length) → HTTP 413 with a JSON-RPC error", async () => {
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "web3_sha3", params: [`0x${"ab".repeat(40 * 1024)}`] });
    const r = await h.post(big);
    expect(r.status).toBe(413);
    expect(r.json).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "request body too large (max 65536 bytes)" } });
  });

  test("oversize chunked body (no content-length) → 413", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 8) c.enqueue(chunk);
        else c.close();
      },
    });
    const res = await fetch(h.server.url, { method: "POST", body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe(-32600);
  });

  test("the server keeps serving after every bad request", async () => {
    expect((await h.rpc("eth_chainId")).result).toBe("0x7a69");
  });
});

describe("invalid params → -32602 naming the argument", () => {
  const cases: [string, unknown[], string][] = [
    ["eth_getBalance", [12, "latest"], "invalid argument 0: expected address string, got number"],
    ["eth_getBalance", ["0xzz", "latest"], "invalid argument 0"],
    ["eth_getBalance", [alice, "newest"], "invalid argument 1"],
    ["eth_getBalance", [alice, "0x"], "invalid argument 1"],
    ["eth_getBalance", [alice, "12"], "invalid argument 1"],
    ["eth_getBalance", [alice], "invalid argument 1: missing value"],
    ["eth_getBalance", [alice, "latest", 1], "too many arguments, want at most 2"],
    ["eth_getBalance", [alice, { blockHash: "0x12" }], "invalid argument 1: blockHash: hash must be 32 bytes"],
    ["eth_getBalance", [alice, { blockHash: `0x${"11".repeat(32)}`, blockNumber: "0x0" }], "invalid argument 1: cannot specify both"],
    ["eth_getBalance", ["one1invalid", "latest"], "invalid argument 0: invalid one1 address"],
    ["eth_getBlockByNumber", ["latest"], "invalid argument 1: expected boolean"],
    ["eth_getBlockByNumber", ["latest", "true"], "invalid argument 1: expected boolean"],
    ["eth_getBlockByHash", ["0x1234", false], "invalid argument 0: hash must be 32 bytes"],
    ["eth_getTransactionByHash", [`0x${"1".repeat(63)}`], "invalid argument 0: hex string of odd length"],
    ["eth_getTransactionByBlockNumberAndIndex", ["latest", "0xg"], "invalid argument 1"],
    ["eth_getStorageAt", [alice, `0x${"1".repeat(65)}`, "latest"], "invalid argument 1"],
    ["eth_call", ["0x00", "latest"], "invalid argument 0: expected call object"],
    ["eth_call", [{ to: alice, gas: 5 }, "latest"], "invalid argument 0: gas: expected hex quantity string, got number"],
    ["eth_call", [{ to: alice, value: "0x1", gasPrice: "0x1", maxFeePerGas: "0x2" }], "both gasPrice and"],
    ["eth_call", [{ to: alice, data: "0x01", input: "0x02" }], 'both "data" and "input"'],
    ["eth_call", [{ to: alice }, "latest", { [alice]: { state: {}, stateDiff: {} } }], "has both 'state' and 'stateDiff'"],
    ["eth_call", [{ to: alice }, "latest", { [alice]: { balanze: "0x1" } }], 'unsupported override field "balanze"'],
    ["eth_call", [{ to: alice }, "latest", {}, { time: "0x1" }], "block overrides are not supported"],
    ["eth_getLogs", [{ topics: ["0x1"] }], "invalid argument 0: topics[0]"],
    ["eth_getLogs", [{ topics: [null, null, null, null, null] }], "more than 4 positions"],
    ["eth_getLogs", [{ blockHash: `0x${"11".repeat(32)}`, fromBlock: "0x0" }], "cannot specify both BlockHash"],
    ["eth_getLogs", [{ fromBlock: "0x5", toBlock: "0x1" }], "fromBlock is after toBlock"],
    ["eth_feeHistory", ["0x4", "latest", [50, 10]], "invalid reward percentile #1"],
    ["eth_feeHistory", ["0x4", "latest", [101]], "invalid reward percentile #0"],
    ["eth_sendRawTransaction", ["0xc0ff"], "invalid raw transaction: rlp"],
    ["eth_sendRawTransaction", ["0x02"], "invalid raw transaction: rlp"],
    ["eth_sendRawTransaction", ["0x"], "invalid raw transaction: empty"],
    ["eth_sendRawTransaction", ["xyz"], "hex string without 0x prefix"],
    ["eth_subscribe", ["newHeads"], "notifications not supported"],
    ["web3_sha3", ["0x1"], "invalid argument 0: hex string of odd length"],
  ];
  for (const [method, params, msg] of cases) {
    test(`${method}(${JSON.stringify(params).slice(0, 60)})`, async () => {
      const r = await h.rpc(method, params);
      expect(r.error).toBeDefined();
      expect(r.error.code).toBe(method === "eth_subscribe" ? -32601 : -32602);
      expect(r.error.message).toContain(msg);
    });
  }
});
