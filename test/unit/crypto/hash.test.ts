// Keccak-256 (original Keccak padding, as in the Keccak team's and Ethereum's vectors) and SHA-256
// (FIPS 180-2 appendix B examples).
import { describe, expect, test } from "bun:test";
import { keccak256, sha256 } from "../../../src/crypto/hash.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("keccak256", () => {
  test("empty input (the empty-code hash of every EOA)", () => {
    expect(bytesToHex(keccak256(new Uint8Array()))).toBe("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });
  test("'abc' differs from FIPS-202 SHA3-256", () => {
    expect(bytesToHex(keccak256(utf8("abc")))).toBe("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  });
  test("the quick brown fox", () => {
    expect(bytesToHex(keccak256(utf8("The quick brown fox jumps over the lazy dog")))).toBe(
      "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
    );
  });
  test("rejects non-bytes", () => {
    expect(() => keccak256("abc" as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe("sha256 (FIPS 180-2)", () => {
  test("empty input", () => {
    expect(bytesToHex(sha256(new Uint8Array()))).toBe("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
  test("one block: 'abc'", () => {
    expect(bytesToHex(sha256(utf8("abc")))).toBe("0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  test("two blocks: 448-bit message", () => {
    expect(bytesToHex(sha256(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "0x248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });
  test("one million 'a'", () => {
    expect(bytesToHex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe("0xcdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });
  test("rejects non-bytes", () => {
    expect(() => sha256(null as unknown as Uint8Array)).toThrow(TypeError);
  });
});
