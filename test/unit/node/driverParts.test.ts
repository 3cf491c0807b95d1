// The driver's parts: routing inputs by epoch and the signing refusal's life (scan vs live detection).
import { describe, expect, test } from "bun:test";
import { HeldInputs, routeByEpoch } from "../../../src/node/_epochInbox.ts";
import { SigningRefusal } from "../../../src/node/_signingRefusal.ts";

describe("routing by epoch", () => {
  test("the current epoch now, a later one held, an earlier one dropped unless the committee carried over", () => {
    expect(routeByEpoch(5n, undefined)).toBe("now");
    expect(routeByEpoch(5n, { epoch: 5n, carriedOver: false })).toBe("now");
    expect(routeByEpoch(6n, { epoch: 5n, carriedOver: false })).toBe("hold");
    expect(routeByEpoch(4n, { epoch: 5n, carriedOver: false })).toBe("drop");
    expect(routeByEpoch(4n, { epoch: 5n, carriedOver: true })).toBe("now");
    expect(routeByEpoch(3n, { epoch: 5n, carriedOver: true })).toBe("drop");
  });

  test("held inputs come back in order, the oldest dropped past the bound", () => {
    const h = new HeldInputs<number>(3);
    for (const i of [1, 2, 3, 4]) h.hold(i);
    expect(h.size).toBe(3);
    expect(h.take()).toEqual([2, 3, 4]);
    expect(h.take()).toEqual([]);
  });
});

describe("signing refusal", () => {
  test("a scan's refusal is lifted after a window of clean blocks; a block with our keys restarts the count", () => {
    const r = new SigningRefusal(3);
    r.scanned("block 9 was committed with our key while we were down");
    expect(r.committed(() => false)).toBeUndefined();
    expect(r.committed(() => true)).toBeUndefined();
    expect(r.committed(() => false)).toBeUndefined();
    expect(r.committed(() => false)).toBeUndefined();
    expect(r.reason).toBeDefined();
    expect(r.committed(() => false)).toBe(3);
    expect(r.reason).toBeUndefined();
    expect(r.committed(() => false)).toBeUndefined();
  });

  test("a live detection is final and keeps the first reason; it also makes a scan's refusal final", () => {
    const r = new SigningRefusal(1);
    expect(r.detected("prepare at height 5 signed by our slots 1")).toBe(true);
    expect(r.detected("another")).toBe(false);
    expect(r.reason).toBe("prepare at height 5 signed by our slots 1");
    expect(r.committed(() => false)).toBeUndefined();
    const s = new SigningRefusal(1);
    s.scanned("scan");
    expect(s.detected("live")).toBe(false);
    expect(s.committed(() => false)).toBeUndefined();
    expect(s.reason).toBe("scan");
  });

  test("nothing found by the scan: no refusal", () => {
    const r = new SigningRefusal(1);
    r.scanned(undefined);
    expect(r.reason).toBeUndefined();
    expect(r.committed(() => false)).toBeUndefined();
  });
});
