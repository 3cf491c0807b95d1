// How the BLS pool packs checks for its workers and names them in its verdict cache: the packed form
// unpacks to the same check, the cache key changes with any key, the signature or the message, and
// malformed checks have no packed form (they can only be false).
import { describe, expect, test } from "bun:test";
import { packCheck, signatureOf, unpackCheck } from "../../../src/node/_blsWire.ts";
import type { AggregateCheck } from "../../../src/crypto/index.ts";

const key = (i: number) => new Uint8Array(48).fill(i);
const check: AggregateCheck = { publicKeys: [key(1), key(2), key(3)], message: Uint8Array.of(1, 2, 3), signature: new Uint8Array(96).fill(9) };

describe("BLS pool wire format", () => {
  test("a packed check unpacks to the same keys, message and signature", () => {
    const w = packCheck(check);
    expect(w).not.toBeNull();
    const back = unpackCheck((w as NonNullable<typeof w>).packed);
    expect(back.publicKeys.map((k) => [...k])).toEqual(check.publicKeys.map((k) => [...k]));
    expect([...back.message]).toEqual([...check.message]);
    expect([...back.signature]).toEqual([...check.signature]);
    expect([...signatureOf((w as NonNullable<typeof w>).packed)]).toEqual([...check.signature]);
    // A signature of another length travels as it is (the worker finds it invalid).
    const short = packCheck({ ...check, signature: Uint8Array.of(5) });
    expect([...unpackCheck((short as NonNullable<typeof short>).packed).signature]).toEqual([5]);
  });

  test("the cache key depends on every key, their order, the signature and the message", () => {
    const base = (packCheck(check) as NonNullable<ReturnType<typeof packCheck>>).cacheKey;
    const variants: AggregateCheck[] = [
      { ...check, publicKeys: [key(1), key(2), key(4)] },
      { ...check, publicKeys: [key(2), key(1), key(3)] },
      { ...check, publicKeys: [key(1), key(2)] },
      { ...check, message: Uint8Array.of(1, 2, 4) },
      { ...check, message: Uint8Array.of(1, 2, 3, 0) },
      { ...check, signature: new Uint8Array(96).fill(8) },
    ];
    const keys = variants.map((v) => packCheck(v)?.cacheKey);
    expect(new Set([base, ...keys]).size).toBe(variants.length + 1);
    expect(packCheck({ ...check, publicKeys: check.publicKeys.map((k) => k.slice()) })?.cacheKey).toBe(base);
  });

  test("malformed checks have no packed form", () => {
    const bad = [
      null,
      { ...check, publicKeys: undefined },
      { ...check, publicKeys: [key(1), new Uint8Array(47)] },
      { ...check, publicKeys: [key(1), "00"] },
      { ...check, message: "abc" },
      { ...check, signature: [1, 2] },
    ] as unknown as AggregateCheck[];
    for (const b of bad) expect(packCheck(b)).toBeNull();
  });
});
