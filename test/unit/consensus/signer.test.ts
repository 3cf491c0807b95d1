// The consensus signer: a node's slots sign once with the sum of their keys, and the result is the
// aggregate of each key's signature (what the leader verifies against the slots' public keys);
// keys that cancel still sign correctly, key by key.
import { describe, expect, test } from "bun:test";
import { createBLSSigner } from "../../../src/consensus/index.ts";
import { bls, secretKeys } from "./_fixtures.ts";

const R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
const msg = new TextEncoder().encode("prepare payload");

describe("createBLSSigner", () => {
  const sks = secretKeys(10);
  const signer = createBLSSigner(bls, new Map(sks.map((sk, i) => [i, sk])));

  test("several slots give the aggregate of their signatures; the same set again, and another set, too", () => {
    for (const slots of [[0, 3, 4, 9], [0, 3, 4, 9], [1, 2], [5]]) {
      const expected = bls.aggregateSignatures(slots.map((s) => bls.sign(sks[s] as Uint8Array, msg)));
      expect(signer.sign(slots, msg)).toEqual(expected);
    }
  });

  test("keys whose sum is 0 mod r sign key by key", () => {
    const a = sks[0] as Uint8Array;
    const neg = R - a.reduce((x, b) => (x << 8n) | BigInt(b), 0n);
    const b = Uint8Array.from({ length: 32 }, (_, i) => Number((neg >> BigInt(8 * (31 - i))) & 0xffn));
    const s = createBLSSigner(bls, new Map([[0, a], [1, b], [2, sks[2] as Uint8Array]]));
    const expected = bls.aggregateSignatures([a, b, sks[2] as Uint8Array].map((k) => bls.sign(k, msg)));
    expect(s.sign([0, 1, 2], msg)).toEqual(expected);
    expect(s.sign([0, 1], msg)).toEqual(bls.aggregateSignatures([bls.sign(a, msg), bls.sign(b, msg)]));
  });

  test("a slot without a key or no slots is a RangeError", () => {
    expect(() => signer.sign([1, 42], msg)).toThrow(RangeError);
    expect(() => signer.sign([], msg)).toThrow(RangeError);
  });
});
