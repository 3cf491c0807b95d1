// geth's debug_ tracing on a real `harmony node --dev` (call workers on, as by default): viem deploys a
// contract and sends a call that succeeds and one that reverts; debug_traceTransaction with the
// callTracer, the default struct logger and the prestateTracer, debug_traceBlockByNumber and debug_traceCall answer over
// HTTP in geth's shapes; `harmony node --help` documents --rpc-debug.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { type Hex, createPublicClient, createWalletClient, defineChain, encodeFunctionData, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { compileTraceContracts } from "../unit/execution/_traceContracts.ts";
import { rpcCall } from "./_devnet.ts";
import { type DevNode, harmonyBinary, removeDir, startDevNode, tempDir } from "./_node.ts";

const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as Hex;

let node: DevNode | undefined;
const dir = tempDir("harmony-trace-");
beforeAll(async () => {
  node = await startDevNode({ dataDir: dir });
});
afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

describe("debug_ tracing on harmony node --dev", () => {
  test("callTracer and struct logger over HTTP for transactions sent with viem", async () => {
    const url = (node as DevNode).url;
    const { Caller } = compileTraceContracts();
    const chain = defineChain({ id: 31337, name: "harmony-dev", nativeCurrency: { name: "ONE", symbol: "ONE", decimals: 18 }, rpcUrls: { default: { http: [url] } } });
    const account = privateKeyToAccount(KEY0);
    const pub = createPublicClient({ chain, transport: http(url) });
    const wallet = createWalletClient({ chain, account, transport: http(url) });
    const bytecode = `0x${Buffer.from(Caller.bytecode).toString("hex")}` as Hex;
    const deployHash = await wallet.deployContract({ abi: Caller.abi, bytecode, gas: 3_000_000n });
    const caller = (await pub.waitForTransactionReceipt({ hash: deployHash, timeout: 10_000 })).contractAddress as Hex;
    const runHash = await wallet.sendTransaction({ to: caller, data: encodeFunctionData({ abi: Caller.abi, functionName: "run" }), gas: 1_000_000n });
    const failHash = await wallet.sendTransaction({ to: caller, data: encodeFunctionData({ abi: Caller.abi, functionName: "fail" }), gas: 300_000n });
    const run = await pub.waitForTransactionReceipt({ hash: runHash, timeout: 10_000 });
    const fail = await pub.waitForTransactionReceipt({ hash: failHash, timeout: 10_000 });
    expect(run.status).toBe("success");
    expect(fail.status).toBe("reverted");

    const tree = (await rpcCall(url, "debug_traceTransaction", [runHash, { tracer: "callTracer" }])) as any;
    expect(tree.type).toBe("CALL");
    expect(tree.to).toBe(caller.toLowerCase());
    expect(BigInt(tree.gasUsed)).toBe(run.gasUsed);
    expect(tree.calls.map((c: { type: string }) => c.type)).toEqual(["CALL", "STATICCALL", "DELEGATECALL", "STATICCALL", "CREATE"]);
    expect(tree.calls[3].revertReason).toBe("callee says no");

    const failed = (await rpcCall(url, "debug_traceTransaction", [failHash, { tracer: "callTracer" }])) as any;
    expect(failed).toMatchObject({ error: "execution reverted", revertReason: "callee says no" });
    expect(BigInt(failed.gasUsed)).toBe(fail.gasUsed);

    const logs = (await rpcCall(url, "debug_traceTransaction", [runHash, { enableMemory: true }])) as any;
    expect(logs.failed).toBe(false);
    expect(logs.gas).toBe(Number(run.gasUsed));
    const input = Buffer.from(encodeFunctionData({ abi: Caller.abi, functionName: "run" }).slice(2), "hex");
    const intrinsic = 21_000 + [...input].reduce((n, x) => n + (x === 0 ? 4 : 16), 0);
    expect(logs.structLogs[0]).toMatchObject({ pc: 0, op: "PUSH1", depth: 1, gas: 1_000_000 - intrinsic, gasCost: 3 });
    const ops = new Set(logs.structLogs.map((l: { op: string }) => l.op));
    for (const op of ["CALL", "STATICCALL", "DELEGATECALL", "CREATE", "SSTORE", "SLOAD", "REVERT"]) expect(ops.has(op)).toBe(true);
    expect(logs.structLogs.some((l: { depth: number }) => l.depth === 2)).toBe(true);
    const sstore = logs.structLogs.find((l: { op: string; depth: number }) => l.op === "SSTORE" && l.depth === 1);
    expect(Object.keys(sstore.storage).every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
    expect(Array.isArray(logs.structLogs[0].memory)).toBe(true);

    const block = (await rpcCall(url, "debug_traceBlockByNumber", [`0x${run.blockNumber.toString(16)}`, { tracer: "callTracer", tracerConfig: { onlyTopCall: true } }])) as any[];
    expect(block.map((t) => t.txHash)).toContain(runHash);
    expect(block.find((t) => t.txHash === runHash).result.calls).toBeUndefined();

    const call = (await rpcCall(url, "debug_traceCall", [{ to: caller, data: encodeFunctionData({ abi: Caller.abi, functionName: "fail" }) }, "latest", { tracer: "callTracer" }])) as any;
    expect(call.revertReason).toBe("callee says no");

    const pre = (await rpcCall(url, "debug_traceTransaction", [runHash, { tracer: "prestateTracer" }])) as Record<string, { code?: string; nonce?: number }>;
    expect(pre[caller.toLowerCase()]?.code?.length).toBeGreaterThan(2);
    expect(pre[account.address.toLowerCase()]?.nonce).toBe(1);

    const bad = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "debug_traceTransaction", params: [runHash, { tracer: "4byteTracer" }] }) });
    expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(-32602);

    const help = spawnSync(harmonyBinary(), ["node", "--help"], { encoding: "utf8", timeout: 20_000 });
    expect(help.stdout).toContain("--rpc-debug");
  }, 30_000);
});
