// Calls share the thread: a call hands it back every slice (FIFO turns, one per macrotask), and an
// infinite loop at the gas cap ends with the timeout while timers keep firing.
import { afterAll, describe, expect, test } from "bun:test";
import { CallError, CallErrorCode, createCallPacer } from "../../../src/execution/index.ts";
import { hexToBytes } from "../../../src/util/index.ts";
import { devChain } from "../chain/_helpers.ts";

const LOOP = hexToBytes("0x5b600056"); // JUMPDEST PUSH1 0 JUMP
const LOOP_ADDR = hexToBytes("0x00000000000000000000000000000000000100aa");

describe("call pacer", () => {
  test("a slice lasts sliceMs; waiting calls resume in FIFO order, one per scheduled turn", async () => {
    let t = 0;
    const turns: (() => void)[] = [];
    const pacer = createCallPacer({ sliceMs: 5, now: () => t, schedule: (fn) => turns.push(fn) });
    const a = pacer.startSlice();
    const b = pacer.startSlice();
    t = 4;
    expect(a.check()).toBeUndefined();
    t = 5;
    const order: string[] = [];
    const wa = a.check()?.then(() => order.push("a"));
    const wb = b.check()?.then(() => order.push("b"));
    expect(wa).toBeDefined();
    expect(pacer.waiting()).toBe(2);
    expect(turns.length).toBe(1); // one turn armed for both
    turns.shift()?.();
    await wa;
    expect(order).toEqual(["a"]);
    expect(pacer.waiting()).toBe(1);
    expect(turns.length).toBe(1); // the next turn is a new macrotask
    turns.shift()?.();
    await wb;
    expect(order).toEqual(["a", "b"]);
    // A resumed call starts a fresh slice.
    expect(a.check()).toBeUndefined();
  });

  test("rejects a non-positive slice", () => {
    expect(() => createCallPacer({ sliceMs: 0 })).toThrow(RangeError);
  });
});

describe("eth_call on the chain's thread", () => {
  let chain: Awaited<ReturnType<typeof devChain>> | undefined;
  afterAll(async () => {
    await chain?.close();
  });

  test("four infinite loops at the gas cap time out while a 10 ms timer keeps firing", async () => {
    chain = await devChain();
    const c = chain;
    let ticks = 0;
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const t0 = performance.now();
    const calls = Array.from({ length: 4 }, () =>
      c
        .call({ to: LOOP_ADDR, gas: 50_000_000n }, { gasCap: 50_000_000n, timeoutMs: 600, stateOverrides: [{ address: LOOP_ADDR, code: LOOP }] })
        .then(
          () => "returned",
          (e: unknown) => e,
        ),
    );
    const outcomes = await Promise.all(calls);
    const elapsed = performance.now() - t0;
    clearInterval(timer);
    for (const o of outcomes) {
      expect(o).toBeInstanceOf(CallError);
      expect((o as CallError).type.code).toBe(CallErrorCode.TIMEOUT);
    }
    expect(elapsed).toBeLessThan(600 + 1000);
    // Without slicing the loop holds the thread for the whole 600 ms and the timer never fires.
    expect(ticks).toBeGreaterThan(10);
    expect(maxGap).toBeLessThan(300);
  });
});
