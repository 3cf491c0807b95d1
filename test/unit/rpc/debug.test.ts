// geth's debug_trace* methods over JSON-RPC on a real chain (solc-compiled contracts): callTracer JSON
// with decoded revert reasons, struct logs as geth prints them, block traces where the second
// transaction sees the first one's writes, traceCall with state overrides, and typed errors for
// unknown tracers, bad options, bad and unknown hashes; without the debug backend the methods do not exist.
import { afterAll, describe, expect, test } from "bun:test";
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import { createRpcBackend } from "../../../src/node/index.ts";
import { createRPCServer, type RPCServer } from "../../../src/rpc/index.ts";
import { createTxPool } from "../../../src/txpool/index.ts";
import { GWEI, addrs, devChain, produce, tx } from "../chain/_helpers.ts";
import { deployData, encodeCall } from "../execution/_contracts.ts";
import { TINY_INIT, TINY_OPS, TINY_RUNTIME, compileTraceContracts } from "../execution/_traceContracts.ts";
import { createMemoryLogger } from "./_harness.ts";

const { Caller } = compileTraceContracts();
const servers: RPCServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;

async function serve(chain: Chain, debug = true) {
  const pool = createTxPool(
    { chainId: 31337n, minGasPrice: GWEI, blockGasLimit: 30_000_000n },
    { state: { getNonce: (a) => chain.stateAt().getNonce(a), getBalance: (a) => chain.stateAt().getBalance(a), nextBaseFee: () => chain.config.nextBaseFee(chain.head) } },
  );
  const backend = createRpcBackend(chain, pool, { peerCount: () => 0, syncStatus: () => ({ syncing: false, startingBlock: 0n, currentBlock: 0n, highestBlock: 0n }) }, { debug });
  const server = await createRPCServer({ host: "127.0.0.1", port: 0 }, { backend, adapter: await getRuntimeAdapter(), logger: createMemoryLogger() });
  servers.push(server);
  let id = 1;
  return async (method: string, params: unknown[] = []) => {
    const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: id++, method, params }) });
    return (await res.json()) as { result?: any; error?: { code: number; message: string } };
  };
}

async function setup() {
  const chain = await devChain();
  const d = await produce(chain, [tx(0, 0n, { data: deployData(Caller), gasLimit: 3_000_000n }), tx(1, 0n, { data: TINY_INIT, gasLimit: 200_000n })]);
  const caller = chain.getTransactionReceipt(d.block.transactions[0]!.hash())!.contractAddress!;
  const tiny = chain.getTransactionReceipt(d.block.transactions[1]!.hash())!.contractAddress!;
  return { chain, caller, tiny };
}

describe("debug_ tracing over JSON-RPC", () => {
  test("callTracer: a call that bubbles a revert — the tree, geth's fields and the decoded revertReason", async () => {
    const { chain, caller } = await setup();
    const b = await produce(chain, [tx(0, 1n, { to: caller, data: encodeCall(Caller, "fail"), gasLimit: 300_000n })]);
    const h = b.block.transactions[0]!.hash();
    const rpc = await serve(chain);
    const receipt = (await rpc("eth_getTransactionReceipt", [hex(h)])).result;
    const r = (await rpc("debug_traceTransaction", [hex(h), { tracer: "callTracer" }])).result;
    expect(r.type).toBe("CALL");
    expect(r.from).toBe(hex(addrs[0]!));
    expect(r.to).toBe(hex(caller));
    expect(r.value).toBe("0x0");
    expect(r.gas).toBe("0x493e0");
    expect(r.gasUsed).toBe(receipt.gasUsed);
    expect(r.input).toBe(hex(encodeCall(Caller, "fail")));
    expect(r.error).toBe("execution reverted");
    expect(r.revertReason).toBe("callee says no");
    expect(r.calls.length).toBe(1);
    expect(r.calls[0]).toMatchObject({ type: "STATICCALL", from: hex(caller), error: "execution reverted", revertReason: "callee says no" });
    expect(r.calls[0].value).toBeUndefined();
    expect(r.calls[0].calls).toBeUndefined(); // empty lists are left out, as geth does
  });

  test("struct logger: the exact opcode sequence, storage and returnValue as geth prints them; a block's traces", async () => {
    const { chain, tiny } = await setup();
    const b = await produce(chain, [tx(0, 1n, { to: tiny, gasLimit: 100_000n }), tx(1, 1n, { to: tiny, gasLimit: 100_000n })]);
    const rpc = await serve(chain);
    const r = (await rpc("debug_traceTransaction", [hex(b.block.transactions[0]!.hash())])).result;
    expect(r.failed).toBe(false);
    expect(r.gas).toBe(21_000 + 22_100 + 100 + 6 + 3 * 6);
    expect(r.returnValue).toBe(`${"0".repeat(62)}2a`);
    expect(r.structLogs.map((l: { op: string }) => l.op)).toEqual(TINY_OPS);
    expect(r.structLogs[2]).toEqual({ pc: 4, op: "SSTORE", gas: 78_994, gasCost: 22_100, depth: 1, stack: ["0x2a", "0x0"], storage: { ["0".repeat(64)]: `${"0".repeat(62)}2a` } });
    const byNumber = (await rpc("debug_traceBlockByNumber", ["0x2", { disableStack: true }])).result;
    const byHash = (await rpc("debug_traceBlockByHash", [hex(b.block.hash), { disableStack: true }])).result;
    expect(byHash).toEqual(byNumber);
    expect(byNumber.map((t: { txHash: string }) => t.txHash)).toEqual(b.block.transactions.map((t) => hex(t.hash())));
    // The second transaction runs after the first one's write: the slot holds 0x2a already.
    expect(byNumber[1].result.structLogs[2].gasCost).toBe(2_200);
    expect(byNumber[1].result.structLogs[2].stack).toBeUndefined();
    const second = (await rpc("debug_traceTransaction", [hex(b.block.transactions[1]!.hash()), { disableStack: true }])).result;
    expect(second).toEqual(byNumber[1].result);
  });

  test("debug_traceCall on a block's state with state overrides, and with the callTracer's withLog", async () => {
    const { chain, caller } = await setup();
    const rpc = await serve(chain);
    const target = `0x${"77".repeat(20)}`;
    const overrides = { [target]: { code: hex(TINY_RUNTIME) } };
    const r = (await rpc("debug_traceCall", [{ to: target, gas: "0x186a0" }, "latest", { stateOverrides: overrides, limit: 5 }])).result;
    expect(r.structLogs.map((l: { op: string }) => l.op)).toEqual(TINY_OPS.slice(0, 5));
    expect(r.returnValue).toBe(`${"0".repeat(62)}2a`);
    const c = (await rpc("debug_traceCall", [{ from: hex(addrs[0]!), to: hex(caller), data: hex(encodeCall(Caller, "run")) }, "latest", { tracer: "callTracer", tracerConfig: { withLog: true } }])).result;
    expect(c.calls.map((f: { type: string }) => f.type)).toEqual(["CALL", "STATICCALL", "DELEGATECALL", "STATICCALL", "CREATE"]);
    expect(c.calls[0].logs).toEqual([{ address: c.calls[0].to, topics: [expect.stringMatching(/^0x[0-9a-f]{64}$/)], data: `0x${"0".repeat(63)}7`, position: "0x0" }]);
    expect(c.calls[3].revertReason).toBe("callee says no");
    const before = (await rpc("debug_traceCall", [{ to: hex(caller), data: hex(encodeCall(Caller, "run")) }, "0x0", { tracer: "callTracer" }])).result;
    expect(before.calls).toBeUndefined(); // no code at genesis
  });

  test("prestateTracer: geth's account JSON, and diffMode's pre/post", async () => {
    const { chain, tiny } = await setup();
    const b = await produce(chain, [tx(0, 1n, { to: tiny, gasLimit: 100_000n })]);
    const rpc = await serve(chain);
    const h = hex(b.block.transactions[0]!.hash());
    const pre = (await rpc("debug_traceTransaction", [h, { tracer: "prestateTracer" }])).result;
    const slot = `0x${"0".repeat(64)}`;
    expect(pre[hex(tiny)]).toEqual({ balance: "0x0", code: hex(TINY_RUNTIME), nonce: 1, storage: { [slot]: slot } });
    expect(pre[hex(addrs[0]!)].nonce).toBe(1);
    const diff = (await rpc("debug_traceTransaction", [h, { tracer: "prestateTracer", tracerConfig: { diffMode: true } }])).result;
    expect(Object.keys(diff)).toEqual(["post", "pre"]);
    expect(diff.post[hex(tiny)]).toEqual({ storage: { [slot]: `0x${"0".repeat(62)}2a` } });
    expect(diff.post[hex(addrs[0]!)].nonce).toBe(2);
  });

  test("typed errors: unknown tracers, bad options, bad and unknown hashes, genesis, timeout", async () => {
    const { chain } = await setup();
    const rpc = await serve(chain);
    const any = `0x${"ab".repeat(32)}`;
    const hash = hex(chain.getBlockByNumber(1n)!.transactions[0]!.hash());
    const js = await rpc("debug_traceTransaction", [hash, { tracer: "{ step: function() {} }" }]);
    expect(js.error?.code).toBe(-32602);
    expect(js.error?.message).toContain("callTracer");
    expect((await rpc("debug_traceTransaction", [hash, { tracer: "4byteTracer" }])).error?.code).toBe(-32602);
    expect((await rpc("debug_traceTransaction", [hash, { tracer: "prestateTracer", tracerConfig: { diffMode: "on" } }])).error?.code).toBe(-32602);
    expect((await rpc("debug_traceTransaction", [hash, { disableStack: "yes" }])).error?.code).toBe(-32602);
    expect((await rpc("debug_traceTransaction", [hash, { limit: -1 }])).error?.code).toBe(-32602);
    expect((await rpc("debug_traceTransaction", [hash, { timeout: "soon" }])).error?.message).toContain("invalid duration");
    expect((await rpc("debug_traceTransaction", [hash, { tracer: "callTracer", tracerConfig: { onlyTopCall: 1 } }])).error?.code).toBe(-32602);
    expect((await rpc("debug_traceTransaction", [hash, "callTracer"])).error?.code).toBe(-32602);
    expect((await rpc("debug_traceTransaction", ["0x1234"])).error?.code).toBe(-32602);
    expect((await rpc("debug_traceTransaction", [any])).error).toEqual({ code: -32000, message: "transaction not found" });
    expect((await rpc("debug_traceBlockByNumber", ["0x0"])).error).toEqual({ code: -32000, message: "genesis is not traceable" });
    expect((await rpc("debug_traceBlockByNumber", ["0x99"])).error).toEqual({ code: -32000, message: "block #153 not found" });
    expect((await rpc("debug_traceBlockByHash", [any])).error).toEqual({ code: -32000, message: `block ${any} not found` });
    expect((await rpc("debug_traceCall", [{ to: any.slice(0, 42) }, "latest", { blockOverrides: { number: "0x1" } }])).error?.code).toBe(-32602);
    const loop = { [`0x${"78".repeat(20)}`]: { code: "0x5b600056" } };
    const slow = await rpc("debug_traceCall", [{ to: `0x${"78".repeat(20)}`, gas: "0x1c9c380" }, "latest", { stateOverrides: loop, limit: 1, timeout: "150ms" }]);
    expect(slow.error).toEqual({ code: -32000, message: "execution timeout" });
    const off = await serve(chain, false);
    expect((await off("debug_traceTransaction", [hash])).error?.code).toBe(-32601);
  });
});
