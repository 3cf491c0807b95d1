// Issue 8 item 5, "fail loud, never half-alive": the supervisor of a node process (fatal errors, signals,
// the stop deadline), readiness on a stale head, and the store write guard with its fail point.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import type { UncaughtKind } from "../../../src/adapter/index.ts";
import {
  EXIT_FATAL, STOP_DEADLINE_MS, type SupervisedNode, createReadiness, failpointFromEnv, guardStoreWrites, storeFaultOf, superviseNode,
} from "../../../src/node/index.ts";
import { SerialQueue } from "../../../src/node/_serialQueue.ts";
import { StoreError, StoreErrorCode, openStore } from "../../../src/store/index.ts";
import { startHarness } from "../rpc/_harness.ts";

/** Process hooks under the test's control: signals and uncaught errors are raised by hand, time is fake. */
function fakeProcess() {
  const signal: ((s: string) => void)[] = [];
  const uncaught: ((k: UncaughtKind, e: unknown) => void)[] = [];
  const timers = new Map<number, { fn: () => void; at: number }>();
  let now = 0;
  let next = 1;
  const exits: number[] = [];
  const lines: string[] = [];
  const modules = {
    onSignal: (fn: (s: string) => void) => {
      signal.push(fn);
      return () => signal.splice(signal.indexOf(fn), 1);
    },
    onUncaughtError: (fn: (k: UncaughtKind, e: unknown) => void) => {
      uncaught.push(fn);
      return () => uncaught.splice(uncaught.indexOf(fn), 1);
    },
    exit: (code: number) => void exits.push(code),
    setTimeout: (fn: () => void, ms: number) => {
      timers.set(next, { fn, at: now + ms });
      return next++;
    },
    clearTimeout: (t: unknown) => void timers.delete(t as number),
    logger: { info: (m: string) => void lines.push(m), error: (m: string) => void lines.push(m) },
  };
  return {
    modules, exits, lines, timers,
    signal: (s: string) => {
      for (const f of [...signal]) f(s);
    },
    uncaught: (k: UncaughtKind, e: unknown) => {
      for (const f of [...uncaught]) f(k, e);
    },
    listeners: () => signal.length + uncaught.length,
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers]) if (t.at <= now) {
        timers.delete(id);
        t.fn();
      }
    },
  };
}

/** A node whose stop resolves when the test says so. */
function fakeNode() {
  const calls: string[] = [];
  let finish: (() => void) | undefined;
  const node: SupervisedNode = {
    halt: (reason) => void calls.push(`halt ${reason}`),
    stop: () => {
      calls.push("stop");
      return new Promise<void>((r) => (finish = r));
    },
  };
  return { node, calls, finishStop: () => finish?.() };
}

describe("superviseNode", () => {
  test("a signal stops the node cleanly: exit status 0, process hooks released", async () => {
    const p = fakeProcess();
    const { node, calls, finishStop } = fakeNode();
    const s = superviseNode({}, p.modules);
    s.attach(node);
    p.signal("SIGTERM");
    expect(calls).toEqual(["stop"]);
    finishStop();
    expect(await s.done).toBe(0);
    expect(p.exits).toEqual([]);
    expect(p.listeners()).toBe(0);
    expect(p.timers.size).toBe(0);
  });

  test("an unhandled rejection halts signing first, logs one fatal line, stops and exits non-zero", async () => {
    const p = fakeProcess();
    const { node, calls, finishStop } = fakeNode();
    const s = superviseNode({}, p.modules);
    s.attach(node);
    p.uncaught("unhandledRejection", new Error("boom"));
    expect(calls[0]).toBe("halt fatal: unhandled promise rejection: boom — stopping");
    expect(calls[1]).toBe("stop");
    expect(p.lines.filter((l) => l.startsWith("fatal:"))).toEqual(["fatal: unhandled promise rejection: boom — stopping"]);
    // A second fatal error while stopping changes nothing.
    s.fatal("store write failed", new Error("disk full"));
    expect(calls.length).toBe(2);
    finishStop();
    expect(await s.done).toBe(EXIT_FATAL);
  });

  test("a second SIGTERM during the stop exits at once", () => {
    const p = fakeProcess();
    const { node } = fakeNode();
    superviseNode({}, p.modules).attach(node);
    p.signal("SIGTERM");
    expect(p.exits).toEqual([]);
    p.signal("SIGTERM");
    expect(p.exits).toEqual([EXIT_FATAL]);
  });

  test("another signal for the same stop (the terminal's SIGINT, then the devnet's SIGTERM) does not cut it short", async () => {
    const p = fakeProcess();
    const { node, calls, finishStop } = fakeNode();
    const s = superviseNode({}, p.modules);
    s.attach(node);
    p.signal("SIGINT");
    p.signal("SIGTERM");
    expect(p.exits).toEqual([]);
    expect(calls).toEqual(["stop"]);
    p.signal("SIGINT");
    expect(p.exits).toEqual([EXIT_FATAL]);
    finishStop();
    expect(await s.done).toBe(0);
  });

  test("a stop that takes longer than 10 s exits at once", () => {
    const p = fakeProcess();
    const { node } = fakeNode();
    expect(STOP_DEADLINE_MS).toBe(10_000);
    superviseNode({}, p.modules).attach(node);
    p.signal("SIGINT");
    p.advance(9_999);
    expect(p.exits).toEqual([]);
    p.advance(1);
    expect(p.exits).toEqual([EXIT_FATAL]);
    expect(p.lines.some((l) => l.includes("more than 10 s"))).toBe(true);
  });

  test("a fatal error during start-up halts and stops the node as soon as it is attached", async () => {
    const p = fakeProcess();
    const { node, calls, finishStop } = fakeNode();
    const s = superviseNode({}, p.modules);
    s.fatal("store write failed", new Error("database or disk is full"));
    expect(calls).toEqual([]);
    s.attach(node);
    expect(calls).toEqual(["halt fatal: store write failed: database or disk is full — stopping", "stop"]);
    finishStop();
    expect(await s.done).toBe(EXIT_FATAL);
  });

  test("a stop that fails exits non-zero", async () => {
    const p = fakeProcess();
    const s = superviseNode({}, p.modules);
    s.attach({ halt: () => undefined, stop: () => Promise.reject(new Error("close failed")) });
    p.signal("SIGTERM");
    expect(await s.done).toBe(EXIT_FATAL);
  });
});

describe("process hooks of the runtime adapter", () => {
  const root = resolve(import.meta.dir, "../../..");
  for (const [runtime, args] of [["bun", ["run"]], ["deno", ["run", "--allow-all"]]] as const) {
    test(`${runtime}: uncaught errors and every SIGTERM are reported instead of ending the process`, () => {
      const r = spawnSync(resolve(root, `node_modules/.bin/${runtime}`), [...args, "test/unit/node/_processHooks.ts"], { cwd: root, encoding: "utf8", timeout: 60_000 });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}")).toEqual({ runtime, seen: ["SIGTERM", "SIGTERM", "uncaughtException:thrown", "unhandledRejection:rejected"] });
    }, 90_000);
  }
});

describe("readiness", () => {
  test("a producing node is not ready after 3 block times without a new head, ready again on the next", () => {
    let now = 1_000;
    const r = createReadiness({ blockTimeMs: 1_000, watchHead: true }, { now: () => now });
    now += 3_000;
    expect(r.notReady()).toBeUndefined();
    now += 1;
    expect(r.notReady()).toContain("head stale");
    r.headMoved();
    expect(r.notReady()).toBeUndefined();
  });

  test("an RPC node ignores a quiet head; a halted node is never ready again", () => {
    let now = 0;
    const r = createReadiness({ blockTimeMs: 1_000, watchHead: false }, { now: () => now });
    now += 60_000;
    expect(r.notReady()).toBeUndefined();
    r.halt("fatal: store write failed");
    r.headMoved();
    expect(r.notReady()).toBe("fatal: store write failed");
  });
});

describe("/ready with a readiness tracker", () => {
  test("503 with the reason on a stale head and after a halt, 200 otherwise", async () => {
    let now = 0;
    const r = createReadiness({ blockTimeMs: 1_000, watchHead: true }, { now: () => now });
    const h = await startHarness({ notReady: () => r.notReady() });
    try {
      expect((await fetch(new URL("/ready", h.server.url))).status).toBe(200);
      now = 3_500;
      const stale = await fetch(new URL("/ready", h.server.url));
      expect(stale.status).toBe(503);
      expect(await stale.json()).toMatchObject({ ready: false, syncing: false, reason: expect.stringContaining("head stale") });
      r.headMoved();
      expect((await fetch(new URL("/ready", h.server.url))).status).toBe(200);
      r.halt("fatal: store write failed: disk full — stopping");
      const halted = await fetch(new URL("/ready", h.server.url));
      expect(halted.status).toBe(503);
      expect((await halted.json()).reason).toBe("fatal: store write failed: disk full — stopping");
    } finally {
      await h.server.stop();
    }
  });
});

describe("store write guard", () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  test("the fail point fails writes from its height on like a full disk; the failed batch leaves nothing; later writes are refused", () => {
    const fp = failpointFromEnv({ HARMONY_FAILPOINT: "store-write-fail", HARMONY_FAILPOINT_HEIGHT: "5" });
    expect(fp).toEqual({ name: "store-write-fail", height: 5n });
    let head = 3n;
    const raw = openStore(":memory:");
    const errors: unknown[] = [];
    const kv = guardStoreWrites(raw, { onWriteError: (e) => errors.push(e), fault: storeFaultOf(fp, "/data/chain", () => head) });
    kv.batch([{ type: "put", key: enc("a"), value: enc("1") }]);
    head = 4n;
    const bad = () => kv.batch([{ type: "put", key: enc("b"), value: enc("2") }, { type: "put", key: enc("c"), value: enc("3") }]);
    expect(bad).toThrow(StoreError);
    expect(errors.length).toBe(1);
    const e = errors[0] as StoreError;
    expect(e.type.code).toBe(StoreErrorCode.IO);
    expect(e.message).toContain("database or disk is full");
    expect(raw.get(enc("b"))).toBeUndefined();
    expect(() => kv.put(enc("d"), enc("4"))).toThrow(StoreError);
    expect(raw.get(enc("d"))).toBeUndefined();
    expect(errors.length).toBe(1);
    expect(kv.get(enc("a"))).toEqual(enc("1"));
    raw.close();
  });

  test("a failure of the store itself (a closed store) is reported once; bad arguments are not fatal", () => {
    const raw = openStore(":memory:");
    const errors: unknown[] = [];
    const kv = guardStoreWrites(raw, { onWriteError: (e) => errors.push(e) });
    kv.put(enc("x"), enc("1"));
    raw.close();
    expect(() => kv.batch([{ type: "put", key: enc("y"), value: enc("2") }])).toThrow(StoreError);
    expect(errors.length).toBe(1);
    // Bad arguments are the caller's bug: they throw but are not a failing disk.
    const kv2 = guardStoreWrites(openStore(":memory:"), { onWriteError: (e) => errors.push(e) });
    expect(() => kv2.put("nope" as unknown as Uint8Array, enc("1"))).toThrow(TypeError);
    expect(errors.length).toBe(1);
  });

  test("other fail points leave the store alone", () => {
    expect(storeFaultOf(failpointFromEnv({ HARMONY_FAILPOINT: "after-persist-safety" }), "p", () => 9n)).toBeUndefined();
    expect(storeFaultOf(undefined, "p", () => 9n)).toBeUndefined();
  });
});

describe("serial queue", () => {
  test("a handler that throws halts the queue and is reported, not left as an unhandled rejection", async () => {
    const seen: number[] = [];
    const errors: unknown[] = [];
    const q = new SerialQueue<number>(async (n) => {
      if (n === 2) throw new Error("bad input");
      seen.push(n);
    }, undefined, (e) => errors.push(e));
    for (const n of [1, 2, 3]) q.push(n, null);
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([1]);
    expect((errors[0] as Error).message).toBe("bad input");
    expect(q.halted).toBe(true);
  });
});
