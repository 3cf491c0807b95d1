// Keccak-256 on every backend (the wasm kernel of wasm/keccak and @noble/hashes): the Keccak team's
// known answers (test/vectors/keccak), every length class around the 136-byte rate, offset views, and
// agreement with @noble/hashes on 100,000 random inputs (issue 11 acceptance: correctness first).
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { getKeccakBackend, keccak256, setKeccakBackend } from "../../../src/crypto/index.ts";
import { EMPTY_CODE_HASH } from "../../../src/core/primitives.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";

const KAT = JSON.parse(readFileSync(join(import.meta.dir, "../../vectors/keccak/kat256.json"), "utf8")) as { vectors: { len: number; msg: string; md: string }[] };

afterAll(() => setKeccakBackend("auto"));

test("the wasm kernel is the default backend where WebAssembly runs", () => {
  setKeccakBackend("auto");
  expect(getKeccakBackend()).toBe("wasm");
  expect(bytesToHex(EMPTY_CODE_HASH)).toBe("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
});

test("an unknown backend is refused", () => {
  expect(() => setKeccakBackend("sha3" as "wasm")).toThrow(RangeError);
});

for (const backend of ["wasm", "noble"] as const) {
  describe(`keccak256 on ${backend}`, () => {
    test("Keccak KATs (ShortMsgKAT_256 / LongMsgKAT_256)", () => {
      setKeccakBackend(backend);
      expect(KAT.vectors.length).toBeGreaterThan(5);
      for (const v of KAT.vectors) expect(bytesToHex(keccak256(hexToBytes(`0x${v.msg}`))).slice(2).toUpperCase()).toBe(v.md);
    });

    test("lengths 0..600 and a few large inputs, also through offset views", () => {
      setKeccakBackend(backend);
      const lengths = [...Array.from({ length: 601 }, (_, i) => i), 1000, 4095, 4096, 65537, 1 << 20];
      for (const len of lengths) {
        const d = new Uint8Array(len);
        for (let i = 0; i < len; i++) d[i] = (i * 131 + len * 7) & 255;
        const want = bytesToHex(keccak_256(d));
        expect(bytesToHex(keccak256(d))).toBe(want);
        const wrapped = new Uint8Array(len + 3);
        wrapped.set(d, 3);
        expect(bytesToHex(keccak256(wrapped.subarray(3)))).toBe(want);
      }
    });
  });
}

test("wasm agrees with @noble/hashes on 100,000 random inputs", () => {
  setKeccakBackend("wasm");
  const buf = new Uint8Array(1024);
  for (let i = 0; i < 100_000; i++) {
    // mostly short inputs (hashes, keys, trie nodes), one in 16 up to 1 KiB
    const len = i % 16 === 0 ? (i * 7919) % 1025 : (i * 31) % 160;
    const d = buf.subarray(0, len);
    crypto.getRandomValues(d);
    const a = keccak256(d);
    const b = keccak_256(d);
    if (a.some((x, j) => x !== b[j])) throw new Error(`mismatch at input ${i} (${len} bytes): ${bytesToHex(d)}`);
  }
});
