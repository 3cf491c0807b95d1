// The unrolled Keccak-256 of core against @noble/hashes (and the empty-input vector) on every length
// class around the 136-byte rate: short, word-aligned, one byte short of a block, exact blocks, multi-block.
import { describe, expect, test } from "bun:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { keccak256 } from "../../../src/core/_keccak.ts";
import { bytesToHex } from "../../../src/util/index.ts";

describe("keccak256 (unrolled)", () => {
  test("empty input vector", () => {
    expect(bytesToHex(keccak256(new Uint8Array(0)))).toBe("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });

  test("matches @noble/hashes for lengths 0..600 and a few large inputs", () => {
    const lengths = [...Array.from({ length: 601 }, (_, i) => i), 1000, 4095, 4096, 65537];
    for (const len of lengths) {
      const d = new Uint8Array(len);
      for (let i = 0; i < len; i++) d[i] = (i * 131 + len * 7) & 255;
      expect(bytesToHex(keccak256(d))).toBe(bytesToHex(keccak_256(d)));
      // subarrays with an offset hash the same
      const wrapped = new Uint8Array(len + 3);
      wrapped.set(d, 3);
      expect(bytesToHex(keccak256(wrapped.subarray(3)))).toBe(bytesToHex(keccak_256(d)));
    }
  });
});
