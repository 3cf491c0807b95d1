// Store basics (DESIGN §2 src/store): round-trips, unsigned byte order, range iteration, atomic batches.
import { afterEach, describe, expect, test } from "bun:test";
import { openStore, StoreError, StoreErrorCode, prefixUpperBound, type KVStore } from "../../../src/store/index.ts";

const b = (...xs: number[]) => new Uint8Array(xs);
const t = (s: string) => new TextEncoder().encode(s);
const s = (u: Uint8Array) => new TextDecoder().decode(u);
const keys = (it: Iterable<[Uint8Array, Uint8Array]>) => [...it].map(([k]) => s(k));
const hexKeys = (it: Iterable<[Uint8Array, Uint8Array]>) => [...it].map(([k]) => Buffer.from(k).toString("hex"));

let store: KVStore;
afterEach(() => store?.close());

function fill(names: string[]): KVStore {
  store = openStore(":memory:");
  store.batch(names.map((n) => ({ type: "put" as const, key: t(n), value: t(`v:${n}`) })));
  return store;
}

describe("round-trip", () => {
  test("put/get/has/del, overwrite, empty key and value, missing key", () => {
    store = openStore(":memory:");
    expect(store.get(b(1))).toBeUndefined();
    expect(store.has(b(1))).toBe(false);
    store.put(b(1), b(10));
    store.put(b(1), b(11, 12));
    expect(store.get(b(1))).toEqual(b(11, 12));
    expect(store.has(b(1))).toBe(true);
    store.put(b(), b());
    expect(store.get(b())).toEqual(b());
    expect(store.has(b())).toBe(true);
    store.del(b(1));
    store.del(b(99)); // deleting a missing key is a no-op
    expect(store.get(b(1))).toBeUndefined();
    expect(store.has(b(1))).toBe(false);
  });

  test("subarray views are stored by their visible bytes, values come back as Uint8Array", () => {
    store = openStore(":memory:");
    const big = b(9, 1, 2, 3, 9);
    store.put(big.subarray(1, 3), big.subarray(2, 4));
    const v = store.get(b(1, 2));
    expect(v).toBeInstanceOf(Uint8Array);
    expect(v).toEqual(b(2, 3));
  });

  test("a large value round-trips", () => {
    store = openStore(":memory:");
    const v = new Uint8Array(1 << 20).map((_, i) => i * 7);
    store.put(b(5), v);
    expect(store.get(b(5))).toEqual(v);
  });

  test("non-bytes arguments throw TypeError", () => {
    store = openStore(":memory:");
    expect(() => store.put("a" as unknown as Uint8Array, b(1))).toThrow(TypeError);
    expect(() => store.get(undefined as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => store.put(b(1), null as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe("byte order", () => {
  test("[0x00] < [0x00,0x00] < [0x01] < [0x7f] < [0x80] < [0xff] < [0xff,0x00]", () => {
    store = openStore(":memory:");
    const order = [b(0x00), b(0x00, 0x00), b(0x01), b(0x7f), b(0x80), b(0xff), b(0xff, 0x00)];
    for (const k of [...order].reverse()) store.put(k, b(1));
    store.put(b(), b(1));
    expect(hexKeys(store.iterate())).toEqual(["", "00", "0000", "01", "7f", "80", "ff", "ff00"]);
    expect(hexKeys(store.iterate({ reverse: true }))).toEqual(["ff00", "ff", "80", "7f", "01", "0000", "00", ""]);
  });

  test("prefixUpperBound increments the last non-0xff byte; all-0xff has none", () => {
    expect(prefixUpperBound(b(1, 2))).toEqual(b(1, 3));
    expect(prefixUpperBound(b(1, 0xff))).toEqual(b(2));
    expect(prefixUpperBound(b(1, 0xff, 0xff))).toEqual(b(2));
    expect(prefixUpperBound(b(0xff, 0xff))).toBeUndefined();
    expect(prefixUpperBound(b())).toBeUndefined();
  });
});

describe("iterate", () => {
  const names = ["a", "ab", "abc", "abd", "ac", "b", "ba", "c"];

  test("prefix, forward and reverse", () => {
    fill(names);
    expect(keys(store.iterate({ prefix: t("ab") }))).toEqual(["ab", "abc", "abd"]);
    expect(keys(store.iterate({ prefix: t("ab"), reverse: true }))).toEqual(["abd", "abc", "ab"]);
    expect(keys(store.iterate({ prefix: t("a") }))).toEqual(["a", "ab", "abc", "abd", "ac"]);
    expect(keys(store.iterate({ prefix: t("z") }))).toEqual([]);
    expect(keys(store.iterate({ prefix: b() }))).toEqual(names);
  });

  test("prefix ending in 0xff and all-0xff prefix", () => {
    store = openStore(":memory:");
    for (const k of [b(1, 0xfe), b(1, 0xff), b(1, 0xff, 0), b(1, 0xff, 0xff, 7), b(2), b(0xff), b(0xff, 0xff), b(0xff, 0xff, 1)]) {
      store.put(k, b(0));
    }
    expect(hexKeys(store.iterate({ prefix: b(1, 0xff) }))).toEqual(["01ff", "01ff00", "01ffff07"]);
    expect(hexKeys(store.iterate({ prefix: b(0xff, 0xff) }))).toEqual(["ffff", "ffff01"]);
    expect(hexKeys(store.iterate({ prefix: b(0xff), reverse: true }))).toEqual(["ffff01", "ffff", "ff"]);
  });

  test("gte/lt bounds, each alone, reversed, empty range", () => {
    fill(names);
    expect(keys(store.iterate({ gte: t("ab"), lt: t("b") }))).toEqual(["ab", "abc", "abd", "ac"]);
    expect(keys(store.iterate({ gte: t("ab"), lt: t("b"), reverse: true }))).toEqual(["ac", "abd", "abc", "ab"]);
    expect(keys(store.iterate({ gte: t("b") }))).toEqual(["b", "ba", "c"]);
    expect(keys(store.iterate({ lt: t("ab") }))).toEqual(["a"]);
    expect(keys(store.iterate({ gte: t("c"), lt: t("a") }))).toEqual([]);
  });

  test("prefix intersects with gte/lt", () => {
    fill(names);
    expect(keys(store.iterate({ prefix: t("a"), gte: t("abc"), lt: t("ac") }))).toEqual(["abc", "abd"]);
    expect(keys(store.iterate({ prefix: t("ab"), gte: t("a") }))).toEqual(["ab", "abc", "abd"]);
  });

  test("limit, including 0 and more than present; invalid limit throws RangeError", () => {
    fill(names);
    expect(keys(store.iterate({ limit: 3 }))).toEqual(["a", "ab", "abc"]);
    expect(keys(store.iterate({ limit: 2, reverse: true }))).toEqual(["c", "ba"]);
    expect(keys(store.iterate({ prefix: t("a"), limit: 0 }))).toEqual([]);
    expect(keys(store.iterate({ prefix: t("b"), limit: 100 }))).toEqual(["b", "ba"]);
    expect(() => store.iterate({ limit: -1 })).toThrow(RangeError);
    expect(() => store.iterate({ limit: 1.5 })).toThrow(RangeError);
  });

  test("pages through many entries lazily, in order, both directions", () => {
    store = openStore(":memory:");
    const n = 5000;
    const key = (i: number) => b(i >> 8, i & 0xff);
    const ops = [];
    for (let i = 0; i < n; i++) ops.push({ type: "put" as const, key: key(i), value: b(i & 0xff) });
    store.batch(ops);
    let i = 0;
    for (const [k, v] of store.iterate()) {
      expect(k).toEqual(key(i));
      expect(v).toEqual(b(i & 0xff));
      i++;
    }
    expect(i).toBe(n);
    const rev = [...store.iterate({ reverse: true, limit: 1500 })];
    expect(rev.length).toBe(1500);
    expect(rev[0]?.[0]).toEqual(key(n - 1));
    expect(rev[1499]?.[0]).toEqual(key(n - 1500));
    // Lazy: taking the first entry reads one page only, so a delete far ahead is not seen later.
    const it = store.iterate({ gte: key(10) });
    expect(it.next().value?.[0]).toEqual(key(10));
    store.del(key(4000));
    const rest = [...it].map(([k]) => ((k[0] as number) << 8) | (k[1] as number));
    expect(rest.length).toBe(n - 12);
    expect(rest.includes(4000)).toBe(false);
  });

  test("iterating while deleting every visited key empties the range", () => {
    fill(names);
    for (const [k] of store.iterate({ prefix: t("a") })) store.del(k);
    expect(keys(store.iterate())).toEqual(["b", "ba", "c"]);
  });
});

describe("batch", () => {
  test("applies puts and deletes together", () => {
    store = openStore(":memory:");
    store.put(t("x"), t("1"));
    store.batch([
      { type: "put", key: t("y"), value: t("2") },
      { type: "del", key: t("x") },
      { type: "put", key: t("z"), value: t("3") },
    ]);
    expect(keys(store.iterate())).toEqual(["y", "z"]);
    store.batch([]);
  });

  test("an op that fails midway rolls back every earlier op of the batch", () => {
    store = openStore(":memory:");
    store.put(t("keep"), t("old"));
    expect(() =>
      store.batch([
        { type: "put", key: t("new1"), value: t("a") },
        { type: "del", key: t("keep") },
        { type: "put", key: t("keep"), value: t("changed") },
        { type: "put", key: t("bad"), value: 42 as unknown as Uint8Array },
      ]),
    ).toThrow(TypeError);
    expect(keys(store.iterate())).toEqual(["keep"]);
    expect(s(store.get(t("keep"))!)).toBe("old");
    expect(() => store.batch([{ type: "put", key: t("a"), value: t("b") }, { type: "nope" } as never])).toThrow(TypeError);
    expect(store.has(t("a"))).toBe(false);
    // The store is still usable and not stuck in a transaction.
    store.batch([{ type: "put", key: t("after"), value: t("ok") }]);
    expect(keys(store.iterate())).toEqual(["after", "keep"]);
  });
});

describe("batch of many ops", () => {
  test("long runs of puts (written many rows per statement) apply in order with deletes between them, as one op at a time would", () => {
    store = openStore(":memory:");
    let seed = 99;
    const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0);
    const model = new Map<string, string>();
    for (let round = 0; round < 5; round++) {
      const ops = [];
      for (let i = 0; i < 300; i++) {
        const k = `k${rnd() % 120}`; // repeats within a run: the later put wins
        if (rnd() % 23 === 0) {
          ops.push({ type: "del" as const, key: t(k) });
          model.delete(k);
        } else {
          const v = `v${round}.${i}`;
          ops.push({ type: "put" as const, key: t(k), value: t(v) });
          model.set(k, v);
        }
      }
      store.batch(ops);
      expect(keys(store.iterate())).toEqual([...model.keys()].sort());
      for (const [k, v] of model) expect(s(store.get(t(k))!)).toBe(v);
    }
    // a bad value deep inside a run of puts fails the whole batch
    const before = keys(store.iterate());
    const run = Array.from({ length: 70 }, (_, i) => ({ type: "put" as const, key: t(`new${i}`), value: i === 40 ? (7 as unknown as Uint8Array) : t("x") }));
    expect(() => store.batch(run)).toThrow(TypeError);
    expect(keys(store.iterate())).toEqual(before);
  });
});

describe("close", () => {
  test("is idempotent; every use afterwards throws STORE_CLOSED", () => {
    store = openStore(":memory:");
    store.put(b(1), b(1));
    const it = store.iterate();
    store.close();
    store.close();
    const closed = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(StoreError);
        expect((e as StoreError).code).toBe(StoreErrorCode.CLOSED);
        return;
      }
      throw new Error("expected STORE_CLOSED");
    };
    closed(() => store.get(b(1)));
    closed(() => store.has(b(1)));
    closed(() => store.put(b(1), b(2)));
    closed(() => store.del(b(1)));
    closed(() => store.batch([{ type: "del", key: b(1) }]));
    closed(() => store.iterate());
    closed(() => it.next());
  });
});
