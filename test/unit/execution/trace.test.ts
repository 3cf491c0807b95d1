// Tracers (geth's struct logger and callTracer) over re-executed blocks and calls: call trees of real
// solc contracts, revert data, exact opcode sequences and storage maps, a block's later transaction
// seeing the earlier one's writes, and the size / time bounds.
import { describe, expect, test } from "bun:test";
import {
  type CallEnvironment, type CallFrame, type StructLoggerResult, type TraceConfig, TraceError, TraceErrorCode, type TraceResult,
  blockContextOf, traceBlockTransactions, traceCall,
} from "../../../src/execution/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import type { Block } from "../../../src/core/index.ts";
import { GWEI, addrs, devChain, produce, tx } from "../chain/_helpers.ts";
import { deployData, encodeCall } from "./_contracts.ts";
import { TINY_INIT, TINY_OPS, TINY_RUNTIME, compileTraceContracts } from "./_traceContracts.ts";
import { bytesToHex } from "../../../src/util/index.ts";

const { Caller } = compileTraceContracts();
const LOGGER_CFG = { disableStack: false, disableStorage: false, enableMemory: false, enableReturnData: false, limit: 0 };
const LOGGER: TraceConfig = { tracer: "structLogger", logger: LOGGER_CFG, timeoutMs: 10_000 };
const CALLS: TraceConfig = { tracer: "callTracer", callTracer: { onlyTopCall: false, withLog: false }, timeoutMs: 10_000 };

function envOf(chain: Chain): CallEnvironment {
  return { config: chain.config, shardId: chain.shardId, store: chain.state, getBlockHash: (n) => chain.db.getCanonicalHash(n) };
}

function trace(chain: Chain, block: Block, config: TraceConfig, only?: number, limits?: { maxBytes: number }) {
  const parent = chain.getHeaderByHash(block.header.parentHash)!;
  return traceBlockTransactions(
    envOf(chain),
    { config, parentStateRoot: parent.stateRoot, context: blockContextOf(block.header), transactions: block.transactions, senders: block.transactions.map((t) => t.getSenderAddress().bytes), ...(only !== undefined ? { only } : {}) },
    limits ? { structLogger: limits } : {},
  );
}

const frame = (r: TraceResult) => (r.tracer === "callTracer" ? r.result : expect.unreachable()) as CallFrame;
const logs = (r: TraceResult) => (r.tracer === "structLogger" ? r.result : expect.unreachable()) as StructLoggerResult;

async function deployCaller(chain: Chain) {
  const b = await produce(chain, [tx(0, 0n, { data: deployData(Caller), gasLimit: 3_000_000n })]);
  return chain.getTransactionReceipt(b.block.transactions[0]!.hash())!.contractAddress!;
}

describe("callTracer", () => {
  test("the call tree of a contract that CALLs, STATICCALLs, DELEGATECALLs, catches a revert and CREATEs", async () => {
    const chain = await devChain();
    const caller = await deployCaller(chain);
    const b = await produce(chain, [tx(0, 1n, { to: caller, data: encodeCall(Caller, "run"), gasLimit: 1_000_000n })]);
    const receipt = chain.getTransactionReceipt(b.block.transactions[0]!.hash())!;
    expect(receipt.receipt.status).toBe(1);
    const [t] = await trace(chain, b.block, CALLS);
    expect(t!.txHash).toEqual(b.block.transactions[0]!.hash());
    const top = frame(t!.result);
    expect(top.type).toBe("CALL");
    expect(top.from).toEqual(addrs[0]!);
    expect(top.to).toEqual(caller);
    expect(top.gas).toBe(1_000_000n);
    expect(top.gasUsed).toBe(receipt.gasUsed); // geth: the top frame's gasUsed is the receipt's
    expect(top.error).toBeUndefined();
    // boom() is `pure`, so solc calls it with STATICCALL.
    expect(top.calls.map((c) => c.type)).toEqual(["CALL", "STATICCALL", "DELEGATECALL", "STATICCALL", "CREATE"]);
    const [set, get, del, boom, create] = top.calls as [CallFrame, CallFrame, CallFrame, CallFrame, CallFrame];
    expect(set.from).toEqual(caller);
    expect(get.value).toBeUndefined();
    expect(set.value).toBe(0n);
    expect(del.from).toEqual(caller); // the contract that delegates, not its caller
    expect(del.to).toEqual(set.to!);
    expect(boom.error).toBe("execution reverted");
    expect(boom.output!.length).toBeGreaterThan(4); // Error("callee says no"), decoded by the RPC layer
    expect(create.to).toBeDefined();
    expect(create.output!.length).toBeGreaterThan(0); // the deployed code
    for (const c of top.calls) expect(c.gasUsed).toBeLessThanOrEqual(c.gas);
    expect(get.output!.length).toBe(32);
  });

  test("a reverting transaction: error and revert data at the top and at the frame that reverted; onlyTopCall; withLog", async () => {
    const chain = await devChain();
    const caller = await deployCaller(chain);
    const b = await produce(chain, [tx(0, 1n, { to: caller, data: encodeCall(Caller, "fail"), gasLimit: 500_000n }), tx(0, 2n, { to: caller, data: encodeCall(Caller, "run"), gasLimit: 1_000_000n })]);
    const [failed, ok] = await trace(chain, b.block, CALLS);
    const top = frame(failed!.result);
    expect(top.error).toBe("execution reverted");
    expect(top.calls.length).toBe(1);
    expect(top.calls[0]!.error).toBe("execution reverted");
    expect(top.output).toEqual(top.calls[0]!.output!);
    const only = await trace(chain, b.block, { ...CALLS, callTracer: { onlyTopCall: true, withLog: false } }, 1);
    expect(frame(only[0]!.result).calls).toEqual([]);
    expect(frame(only[0]!.result).gasUsed).toBe(frame(ok!.result).gasUsed);
    const withLog = frame((await trace(chain, b.block, { ...CALLS, callTracer: { onlyTopCall: false, withLog: true } }, 1))[0]!.result);
    const setLogs = withLog.calls[0]!.logs!;
    expect(setLogs.length).toBe(1);
    expect(setLogs[0]!.data[31]).toBe(7);
    expect(withLog.calls[2]!.logs!.length).toBe(1); // the delegatecall's Set(9), emitted as the caller
    expect(withLog.calls[2]!.logs![0]!.address).toEqual(caller);
    expect(withLog.calls[3]!.logs).toEqual([]); // a reverted frame keeps none
  });

  test("a plain transfer is one CALL frame with the receipt's gas", async () => {
    const chain = await devChain();
    const b = await produce(chain, [tx(1, 0n, { to: addrs[2], value: 5n })]);
    const top = frame((await trace(chain, b.block, CALLS))[0]!.result);
    expect(top).toMatchObject({ type: "CALL", from: addrs[1], to: addrs[2], value: 5n, gas: 21_000n, gasUsed: 21_000n, calls: [] });
    const l = logs((await trace(chain, b.block, LOGGER))[0]!.result);
    expect(l).toEqual({ gas: 21_000n, failed: false, returnValue: "", structLogs: [] });
  });
});

describe("struct logger", () => {
  async function tinyChain() {
    const chain = await devChain();
    const d = await produce(chain, [tx(0, 0n, { data: TINY_INIT, gasLimit: 200_000n })]);
    const tiny = chain.getTransactionReceipt(d.block.transactions[0]!.hash())!.contractAddress!;
    return { chain, tiny };
  }

  test("the opcode sequence of a tiny known bytecode, with gas, costs, stack and storage as geth prints them", async () => {
    const { chain, tiny } = await tinyChain();
    const b = await produce(chain, [tx(0, 1n, { to: tiny, gasLimit: 100_000n }), tx(0, 2n, { to: tiny, gasLimit: 100_000n })]);
    const [first, second] = await trace(chain, b.block, LOGGER);
    const r1 = logs(first!.result);
    expect(r1.structLogs.map((l) => l.op)).toEqual(TINY_OPS);
    expect(r1.structLogs.map((l) => l.pc)).toEqual([0, 2, 4, 5, 7, 8, 10, 11, 13, 15]);
    expect(r1.structLogs.every((l) => l.depth === 1)).toBe(true);
    expect(r1.structLogs[0]!.gas).toBe(100_000 - 21_000);
    expect(r1.structLogs.map((l) => l.gasCost)).toEqual([3, 3, 22_100, 3, 100, 3, 6, 3, 3, 0]);
    for (let i = 1; i < r1.structLogs.length; i++) expect(r1.structLogs[i]!.gas).toBe(r1.structLogs[i - 1]!.gas - r1.structLogs[i - 1]!.gasCost);
    const slot0 = "0".repeat(64);
    const v42 = `${"0".repeat(62)}2a`;
    expect(r1.structLogs[2]!.stack).toEqual(["0x2a", "0x0"]);
    expect(r1.structLogs[2]!.storage).toEqual({ [slot0]: v42 });
    expect(r1.structLogs[4]!.storage).toEqual({ [slot0]: v42 });
    expect(r1.structLogs[0]!.storage).toBeUndefined(); // geth shows storage on SLOAD/SSTORE only
    expect(r1.returnValue).toBe(v42);
    expect(r1.failed).toBe(false);
    expect(r1.gas).toBe(chain.getTransactionReceipt(b.block.transactions[0]!.hash())!.gasUsed);
    // The second transaction runs after the first one's write: its SSTORE writes the value already
    // there (2,100 cold + 100), not a fresh slot (22,100).
    const r2 = logs(second!.result);
    expect(r2.structLogs[2]!.gasCost).toBe(2_200);
    const alone = await trace(chain, b.block, LOGGER, 1);
    expect(alone).toEqual([second!]);
  });

  test("options: disableStack, disableStorage, enableMemory, enableReturnData, limit", async () => {
    const { chain, tiny } = await tinyChain();
    const b = await produce(chain, [tx(0, 1n, { to: tiny, gasLimit: 100_000n })]);
    const cfg = { disableStack: true, disableStorage: true, enableMemory: true, enableReturnData: true, limit: 0 };
    const r = logs((await trace(chain, b.block, { ...LOGGER, logger: cfg }))[0]!.result);
    expect(r.structLogs.some((l) => l.stack !== undefined || l.storage !== undefined)).toBe(false);
    expect(r.structLogs[6]!.memory).toEqual([]); // MSTORE: memory before it runs
    expect(r.structLogs[7]!.memory).toEqual([`${"0".repeat(62)}2a`]);
    const limited = logs((await trace(chain, b.block, { ...LOGGER, logger: { ...cfg, limit: 3 } }))[0]!.result);
    expect(limited.structLogs.map((l) => l.op)).toEqual(TINY_OPS.slice(0, 3));
  });

  test("an out-of-gas halt marks the failing opcode; a too-large trace is refused with a typed error", async () => {
    const { chain, tiny } = await tinyChain();
    const b = await produce(chain, [tx(0, 1n, { to: tiny, gasLimit: 21_000n + 10_000n })]);
    const r = logs((await trace(chain, b.block, LOGGER))[0]!.result);
    expect(r.failed).toBe(true);
    expect(r.returnValue).toBe("");
    expect(r.structLogs.at(-1)).toMatchObject({ op: "SSTORE", error: "out of gas" });
    expect(r.gas).toBe(31_000n);
    const err = await trace(chain, b.block, LOGGER, undefined, { maxBytes: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceError);
    expect((err as TraceError).code).toBe(TraceErrorCode.TOO_LARGE);
  });

  test("a block's struct logs share one size cap", async () => {
    const { chain, tiny } = await tinyChain();
    const b = await produce(chain, [tx(0, 1n, { to: tiny, gasLimit: 100_000n }), tx(0, 2n, { to: tiny, gasLimit: 100_000n })]);
    // 10 steps: ~90 bytes each plus the stack; one transaction fits in 1,500 bytes, two do not.
    expect((await trace(chain, b.block, LOGGER, 0, { maxBytes: 1500 })).length).toBe(1);
    expect((await trace(chain, b.block, LOGGER, 1, { maxBytes: 1500 })).length).toBe(1);
    const err = await trace(chain, b.block, LOGGER, undefined, { maxBytes: 1500 }).catch((e: unknown) => e);
    expect((err as TraceError).code).toBe(TraceErrorCode.TOO_LARGE);
  });
});

describe("traceCall", () => {
  test("a call traced on the head state, with a state override of the code", async () => {
    const chain = await devChain();
    const target = new Uint8Array(20).fill(0x77);
    const opts = { gasCap: 1_000_000n, blockContext: blockContextOf(chain.head), stateOverrides: [{ address: target, code: TINY_RUNTIME }] };
    const r = await traceCall(envOf(chain), { stateRoot: chain.head.stateRoot, params: { from: addrs[0], to: target, gas: 100_000n }, opts, config: LOGGER });
    expect(logs(r).structLogs.map((l) => l.op)).toEqual(TINY_OPS);
    const c = frame(await traceCall(envOf(chain), { stateRoot: chain.head.stateRoot, params: { from: addrs[0], to: target, gas: 100_000n }, opts, config: CALLS }));
    expect(c.gas).toBe(100_000n);
    expect(bytesToHex(c.output!)).toBe(`0x${"0".repeat(62)}2a`);
  });

  test("an endless loop stops at the trace's timeout with a typed error", async () => {
    const chain = await devChain();
    const target = new Uint8Array(20).fill(0x78);
    const loop = Uint8Array.from([0x5b, 0x60, 0x00, 0x56]); // JUMPDEST PUSH1 0 JUMP
    const opts = { gasCap: 30_000_000n, blockContext: blockContextOf(chain.head), stateOverrides: [{ address: target, code: loop }] };
    const cfg: TraceConfig = { ...LOGGER, logger: { ...LOGGER_CFG, limit: 10 }, timeoutMs: 200 };
    const err = await traceCall(envOf(chain), { stateRoot: chain.head.stateRoot, params: { to: target, gas: 30_000_000n }, opts, config: cfg }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceError);
    expect((err as TraceError).code).toBe(TraceErrorCode.TIMEOUT);
    expect((err as Error).message).toBe("execution timeout");
  });
});

describe("prestateTracer", () => {
  const PRE: TraceConfig = { tracer: "prestateTracer", prestate: { diffMode: false }, timeoutMs: 10_000 };
  const DIFF: TraceConfig = { tracer: "prestateTracer", prestate: { diffMode: true }, timeoutMs: 10_000 };
  const key = (a: Uint8Array) => bytesToHex(a);
  const accounts = (list: [Uint8Array, unknown][]) => new Map(list.map(([a, v]) => [key(a), v as { balance?: bigint; nonce?: bigint; code?: Uint8Array; storage: [Uint8Array, Uint8Array][] }]));

  test("the accounts and slots a transaction touches as they were before it; diffMode shows what changed", async () => {
    const chain = await devChain();
    const d = await produce(chain, [tx(0, 0n, { data: TINY_INIT, gasLimit: 200_000n })]);
    const deploy = (await trace(chain, d.block, PRE))[0]!.result;
    if (deploy.tracer !== "prestateTracer" || deploy.result.diffMode) throw new Error("wrong result");
    // The created contract did not exist before: geth leaves it out.
    expect([...accounts(deploy.result.pre).keys()].sort()).toEqual([key(addrs[0]!), key(d.block.header.coinbase)].sort());
    const tiny = chain.getTransactionReceipt(d.block.transactions[0]!.hash())!.contractAddress!;
    const b = await produce(chain, [tx(0, 1n, { to: tiny, gasLimit: 100_000n }), tx(1, 0n, { to: tiny, gasLimit: 100_000n })]);
    const before = chain.getHeaderByHash(b.block.header.parentHash)!;
    const [first, second] = await trace(chain, b.block, PRE);
    if (first!.result.tracer !== "prestateTracer" || second!.result.tracer !== "prestateTracer") throw new Error("wrong result");
    const pre1 = accounts(first!.result.result.pre);
    expect(pre1.get(key(addrs[0]!))).toMatchObject({ balance: chain.stateAtHeader(before).getBalance(addrs[0]!), nonce: 1n });
    expect(pre1.get(key(tiny))!.code).toEqual(TINY_RUNTIME);
    expect(pre1.get(key(tiny))!.storage).toEqual([[new Uint8Array(32), new Uint8Array(32)]]);
    // The second transaction's prestate is after the first one's write.
    const pre2 = accounts(second!.result.result.pre);
    expect(pre2.get(key(tiny))!.storage[0]![1][31]).toBe(0x2a);

    const diff = (await trace(chain, b.block, DIFF, 0))[0]!.result;
    if (diff.tracer !== "prestateTracer" || !diff.result.diffMode) throw new Error("wrong result");
    const pre = accounts(diff.result.pre);
    const post = accounts(diff.result.post);
    const gasUsed = chain.getTransactionReceipt(b.block.transactions[0]!.hash())!.gasUsed;
    expect(post.get(key(addrs[0]!))).toEqual({ balance: pre.get(key(addrs[0]!))!.balance! - gasUsed * GWEI, nonce: 2n, storage: [] });
    expect(pre.get(key(tiny))!.storage).toEqual([]); // the slot was empty before: left out
    expect(post.get(key(tiny))!.storage).toEqual([[new Uint8Array(32), Uint8Array.from([...new Uint8Array(31), 0x2a])]]);
    expect(post.has(key(b.block.header.coinbase))).toBe(false); // unchanged: fees are burnt, not paid to it
    expect(pre.has(key(b.block.header.coinbase))).toBe(false);
  });
});
