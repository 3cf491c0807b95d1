// Issue 12 item 3: a syncing node's one live line on a terminal (pretty logs only), kept below log lines,
// erased once synced; nothing on a non-terminal or in JSON mode (the syncer's log line is used there).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { startSyncProgressLine, syncLineOf } from "../../../src/node/syncProgressLine.ts";
import type { SyncEvents, SyncStatus } from "../../../src/sync/index.ts";
import { createLogger, setLogFormat, statusLineActive } from "../../../src/util/logger.ts";

const CLEAR = "\r\x1b[K";

function fakeSyncer(initial: SyncStatus) {
  let st = initial;
  const fns: Record<string, Set<(e: unknown) => void>> = { synced: new Set(), syncing: new Set() };
  return {
    set: (s: SyncStatus) => {
      st = s;
    },
    fire: (e: keyof SyncEvents) => {
      for (const fn of fns[e] ?? []) fn(st);
    },
    listeners: () => (fns.synced?.size ?? 0) + (fns.syncing?.size ?? 0),
    status: () => st,
    on: <E extends keyof SyncEvents>(e: E, fn: (p: SyncEvents[E]) => void) => {
      const set = fns[e] as Set<(x: unknown) => void>;
      set.add(fn as (x: unknown) => void);
      return () => set.delete(fn as (x: unknown) => void);
    },
  };
}

describe("sync progress line", () => {
  const err = process.stderr as unknown as { isTTY: boolean | undefined; write: (s: string) => boolean; columns: number | undefined };
  const saved = { isTTY: err.isTTY, write: err.write, columns: err.columns };
  let out: string[] = [];
  beforeEach(() => {
    out = [];
    err.write = (s: string) => {
      out.push(s);
      return true;
    };
    err.columns = 200;
  });
  afterEach(() => {
    err.write = saved.write;
    err.isTTY = saved.isTTY;
    err.columns = saved.columns;
    setLogFormat("pretty");
  });

  test("the line from a status: done/target since the run's start, rate, ETA", () => {
    expect(syncLineOf({ syncing: false, startingBlock: 0n, currentBlock: 5n, highestBlock: 5n })).toBeUndefined();
    expect(syncLineOf({ syncing: true, startingBlock: 100n, currentBlock: 600n, highestBlock: 5_600n, blocksPerSecond: 125, etaSeconds: 40 })).toBe(
      "sync 500/5500 blocks (9.0%) head 600/5600 · 125.0 blk/s · ETA 40s",
    );
    expect(syncLineOf({ syncing: true, startingBlock: 100n, currentBlock: 100n, highestBlock: 400n, blocksPerSecond: 0 })).toBe("sync 0/300 blocks (0.0%) head 100/400 · 0.0 blk/s · ETA ?");
  });

  test("on a terminal: rewritten in place, kept below log lines, erased when synced", () => {
    err.isTTY = true;
    setLogFormat("pretty");
    expect(statusLineActive()).toBe(true);
    const s = fakeSyncer({ syncing: true, startingBlock: 0n, currentBlock: 10n, highestBlock: 110n, blocksPerSecond: 20, etaSeconds: 5 });
    const stop = startSyncProgressLine(s);
    s.fire("syncing");
    const line = "sync 10/110 blocks (9.0%) head 10/110 · 20.0 blk/s · ETA 5s";
    expect(out).toEqual([`${CLEAR}${line}`]);
    createLogger("t").info("hello");
    const logged = out[1] as string;
    expect(logged.startsWith(CLEAR)).toBe(true);
    expect(logged.endsWith(`[t] hello\n${line}`)).toBe(true);
    s.set({ syncing: false, startingBlock: 0n, currentBlock: 110n, highestBlock: 110n });
    s.fire("synced");
    expect(out[2]).toBe(CLEAR);
    // Once erased, log lines are plain again.
    createLogger("t").info("after");
    expect(out[3]?.startsWith(CLEAR)).toBe(false);
    stop();
    expect(s.listeners()).toBe(0);
    expect(out.length).toBe(4);
  });

  test("a line wider than the terminal is cut so \\r rewrites all of it", () => {
    err.isTTY = true;
    err.columns = 20;
    const s = fakeSyncer({ syncing: true, startingBlock: 0n, currentBlock: 10n, highestBlock: 110n, blocksPerSecond: 20, etaSeconds: 5 });
    const stop = startSyncProgressLine(s);
    s.fire("syncing");
    expect(out[0]).toBe(`${CLEAR}sync 10/110 blocks `);
    stop();
    expect(out[1]).toBe(CLEAR);
  });

  test("not a terminal, or JSON logs: no control characters, no listeners", () => {
    for (const [tty, fmt] of [[false, "pretty"], [true, "json"]] as const) {
      out = [];
      err.isTTY = tty;
      setLogFormat(fmt);
      expect(statusLineActive()).toBe(false);
      const s = fakeSyncer({ syncing: true, startingBlock: 0n, currentBlock: 10n, highestBlock: 110n, blocksPerSecond: 20, etaSeconds: 5 });
      const stop = startSyncProgressLine(s);
      s.fire("syncing");
      expect(s.listeners()).toBe(0);
      createLogger("t").info("hello");
      stop();
      expect(out.length).toBe(1);
      expect(out[0]?.includes("\r")).toBe(false);
    }
  });
});
