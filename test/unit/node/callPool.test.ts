// The node's call pool: calls run on Workers over their own read-only connection to the node's
// store (the state at a committed root, with overrides), give the same answers as the chain's own
// thread, time out in the queue or in the EVM, refuse when the queue is full, and never hold the
// main thread (a timer keeps firing while workers loop).
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Chain, openChain } from "../../../src/chain/index.ts";
import { TransactionError, createDevGenesis } from "../../../src/core/index.ts";
import { CallError, CallErrorCode, type TraceConfig, TraceError, TraceErrorCode, blockContextOf } from "../../../src/execution/index.ts";
import { runTraceJob } from "../../../src/node/traceJobs.ts";
import { type CallPool, NodeCallError, NodeCallErrorCode, createCallPool } from "../../../src/node/index.ts";
import { STORE_FILE, openDataDir } from "../../../src/store/index.ts";
import { createLogger, hexToBytes } from "../../../src/util/index.ts";
import { addrs, produce, tx } from "../chain/_helpers.ts";

const LOOP = hexToBytes("0x5b600056");
const LOOP_ADDR = hexToBytes("0x00000000000000000000000000000000000100aa");
const SLOW_ADDR = hexToBytes("0x00000000000000000000000000000000000100bb");

/**
 * A loop whose every turn is one MODEXP of 512-byte numbers (an all-ones exponent: tens of ms, no jump
 * inside): the EVM's own deadline check, made every 256 jumps, comes round only after seconds, so the
 * pool's give-up always comes first.
 */
function slowLoop(): Uint8Array {
  const code: number[] = [];
  const push = (...b: number[]) => code.push(...b);
  // lengths: base 512, exponent 512, modulus 512 at 0x00, 0x20, 0x40
  for (const at of [0x00, 0x20, 0x40]) push(0x61, 0x02, 0x00, 0x60, at, 0x52); // PUSH2 512 PUSH1 at MSTORE
  // base, exponent and modulus: all 0xff (96 + 1536 bytes)
  for (let off = 0x60; off < 0x60 + 1536; off += 32) push(0x60, 0x00, 0x19, 0x61, (off >> 8) & 0xff, off & 0xff, 0x52); // NOT(0) at off
  const loop = code.length;
  push(0x5b); // JUMPDEST
  // STATICCALL(gas, 0x05, 0, 1632, 0x700, 512); POP
  push(0x61, 0x02, 0x00, 0x61, 0x07, 0x00, 0x61, 0x06, 0x60, 0x60, 0x00, 0x60, 0x05, 0x5a, 0xfa, 0x50);
  push(0x61, (loop >> 8) & 0xff, loop & 0xff, 0x56); // PUSH2 loop JUMP
  return Uint8Array.from(code);
}
// Returns its caller's balance: CALLER BALANCE PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
const BALANCE_OF_CALLER = hexToBytes("0x333160005260206000f3");

const dir = mkdtempSync(join(tmpdir(), "harmony-callpool-"));
const pools: CallPool[] = [];
let chain: Chain | undefined;
afterAll(async () => {
  for (const p of pools) p.close();
  await chain?.close();
  chain?.kv.close();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(): Promise<Chain> {
  if (chain) return chain;
  chain = await openChain(openDataDir(dir, { shareReads: true }), { genesis: createDevGenesis(), senderPool: null });
  await produce(chain, [tx(0, 0n, { to: addrs[1], value: 5n })]);
  return chain;
}
function pool(size: number, maxQueued = 64, graceMs = 500): CallPool {
  const c = chain as Chain;
  const p = createCallPool({ size, maxQueued, graceMs }, { storeFile: join(dir, STORE_FILE), config: c.config, shardId: 0, logger: createLogger("test") });
  pools.push(p);
  return p;
}

describe("call pool", () => {
  test("a call on a worker answers as on the chain's thread (committed state, overrides, precondition errors)", async () => {
    const c = await setup();
    const p = pool(1);
    const o = { stateOverrides: [{ address: LOOP_ADDR, code: BALANCE_OF_CALLER }] };
    const setup1 = c.callSetup(o);
    const onWorker = await p.call(setup1.stateRoot, { from: addrs[1], to: LOOP_ADDR }, setup1.opts);
    const onThread = await c.call({ from: addrs[1], to: LOOP_ADDR }, o);
    expect(onWorker).toEqual(onThread);
    expect(onWorker.success).toBe(true);
    expect(BigInt(`0x${Buffer.from(onWorker.returnData).toString("hex")}`)).toBe((await c.stateAt().getBalance(addrs[1] as Uint8Array)));
    const low = c.callSetup({});
    const err = await p.call(low.stateRoot, { to: LOOP_ADDR, gas: 1000n }, low.opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionError);
    expect(p.stats()).toMatchObject({ workers: 1, calls: 2 });
  }, 60_000);

  test("loops time out (running and queued) while the main thread stays free; a full queue refuses", async () => {
    const c = await setup();
    const p = pool(1, 2);
    const ok = c.callSetup({});
    expect((await p.call(ok.stateRoot, { to: addrs[1] }, ok.opts)).success).toBe(true); // the worker is up
    const s = c.callSetup({ stateOverrides: [{ address: LOOP_ADDR, code: LOOP }], gasCap: 50_000_000n, timeoutMs: 600 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    // One runs, two wait (the queue's limit), the fourth is refused at once.
    const runs = [0, 1, 2].map(() => p.call(s.stateRoot, { to: LOOP_ADDR }, s.opts).catch((e: unknown) => e));
    const refused = await p.call(s.stateRoot, { to: LOOP_ADDR }, s.opts).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NodeCallError);
    expect((refused as NodeCallError).type.code).toBe(NodeCallErrorCode.QUEUE_FULL);
    const outcomes = await Promise.all(runs);
    const ms = performance.now() - t0;
    clearInterval(timer);
    for (const o of outcomes) {
      expect(o).toBeInstanceOf(CallError);
      expect((o as CallError).type.code).toBe(CallErrorCode.TIMEOUT);
    }
    expect(ms).toBeLessThan(600 + 1000);
    expect(ticks).toBeGreaterThan(20);
    // The worker gave up on its own and takes the next call.
    expect((await p.call(ok.stateRoot, { to: addrs[1] }, ok.opts)).success).toBe(true);
    expect(p.stats()).toMatchObject({ replaced: 0, timeouts: 3, refused: 1 });
  }, 60_000);

  test("a worker late past its deadline is retired, not killed mid-read: a fresh one serves, the node's writes go on", async () => {
    const c = await setup();
    // A 1 ms grace: the pool gives up on the worker before the EVM's own deadline check comes round.
    const p = pool(1, 64, 1);
    const ok = c.callSetup({});
    expect((await p.call(ok.stateRoot, { to: addrs[1] }, ok.opts)).success).toBe(true);
    const s = c.callSetup({ stateOverrides: [{ address: SLOW_ADDR, code: slowLoop() }], timeoutMs: 200, gasCap: 10n ** 12n });
    for (let i = 0; i < 3; i++) {
      const e = await p.call(s.stateRoot, { to: SLOW_ADDR }, s.opts).catch((x: unknown) => x);
      expect((e as CallError).type.code).toBe(CallErrorCode.TIMEOUT);
      // The store stays writable while workers come and go.
      await produce(c, [tx(0, BigInt(i + 1), { to: addrs[2], value: 1n })]);
    }
    expect(p.stats().replaced).toBeGreaterThanOrEqual(1); // the first at least: it ran on the warm worker
    expect(p.stats().workers).toBe(1);
    const after = c.callSetup({});
    expect((await p.call(after.stateRoot, { to: addrs[1] }, after.opts)).success).toBe(true);
  }, 60_000);

  test("debug_ traces run on a worker as on the chain's thread; their timeout and unknown blocks are typed errors", async () => {
    const c = await setup();
    const p = pool(1);
    const block = c.getBlockByNumber(1n)!;
    const config: TraceConfig = { tracer: "callTracer", callTracer: { onlyTopCall: false, withLog: false }, timeoutMs: 5000 };
    const env = { config: c.config, shardId: 0, store: c.state, getBlockHash: (n: bigint) => c.db.getCanonicalHash(n) };
    const onWorker = await p.trace({ kind: "block", blockHash: block.hash, config });
    expect(onWorker).toEqual(await runTraceJob({ env, db: c.db }, { kind: "block", blockHash: block.hash, config }));
    expect(onWorker).toMatchObject([{ txHash: block.transactions[0]!.hash(), result: { tracer: "callTracer", result: { type: "CALL", to: addrs[1], value: 5n, gasUsed: 21_000n } } }]);
    const missing = await p.trace({ kind: "block", blockHash: new Uint8Array(32).fill(7), config }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TraceError);
    expect((missing as TraceError).code).toBe(TraceErrorCode.NOT_TRACEABLE);
    const loop = { kind: "call" as const, stateRoot: c.head.stateRoot, params: { to: LOOP_ADDR, gas: 30_000_000n }, opts: { gasCap: 30_000_000n, blockContext: blockContextOf(c.head), stateOverrides: [{ address: LOOP_ADDR, code: LOOP }] }, config: { ...config, timeoutMs: 300 } };
    const slow = await p.trace(loop).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(TraceError);
    expect((slow as TraceError).code).toBe(TraceErrorCode.TIMEOUT);
  });
});
