// Bech32: the BIP-173 "Test vectors" appendix, and Harmony `one1…` addresses from harmony-one/harmony
// internal/common/address_test.go (TestAddressToBech32, TestIsBech32Address).
import { describe, expect, test } from "bun:test";
import {
  addressToBech32,
  bech32Decode,
  bech32Encode,
  bech32ToAddress,
  convertBits,
  isBech32Address,
  parseAnyAddress,
} from "../../../src/crypto/bech32.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/bytes.ts";

const VALID = [
  "A12UEL5L",
  "a12uel5l",
  "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
  "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
  "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
  "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
  "?1ezyfcl",
];

const INVALID: [string, string][] = [
  ["\x201nwldj5", "HRP character out of range"],
  ["\x7f1axkwrx", "HRP character out of range"],
  ["\x801eym55h", "HRP character out of range"],
  ["an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", "overall max length exceeded"],
  ["pzry9x0s0muk", "No separator character"],
  ["1pzry9x0s0muk", "Empty HRP"],
  ["x1b4n0q5v", "Invalid data character"],
  ["li1dgmt3", "Too short checksum"],
  ["de1lg7wt\xff", "Invalid character in checksum"],
  ["A1G7SGD8", "checksum calculated with uppercase form of HRP"],
  ["10a06t8", "empty HRP"],
  ["1qzzfhee", "empty HRP"],
];

// BIP-173 segwit examples: witness version word, then the program regrouped 5 → 8 bits.
const SEGWIT: [string, number, string][] = [
  ["BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", 0, "751e76e8199196d454941c45d1b3a323f1433bd6"],
  ["tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", 0, "1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"],
  ["BC1SW50QA3JX3S", 16, "751e"],
  ["bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj", 2, "751e76e8199196d454941c45d1b3a323"],
];

describe("bech32 (BIP-173 test vectors)", () => {
  test("valid strings decode and re-encode (lower case)", () => {
    for (const s of VALID) {
      const { hrp, words } = bech32Decode(s);
      expect(bech32Encode(hrp, words)).toBe(s.toLowerCase());
    }
  });

  test("invalid strings are rejected", () => {
    for (const [s, why] of INVALID) expect(() => bech32Decode(s), why).toThrow(SyntaxError);
  });

  test("segwit data regroups to the published programs", () => {
    for (const [addr, version, program] of SEGWIT) {
      const { words } = bech32Decode(addr);
      expect(words[0]).toBe(version);
      const bytes = convertBits(words.subarray(1), { from: 5, to: 8, pad: false });
      expect(bytesToHex(bytes)).toBe(`0x${program}`);
      expect(bech32Encode(addr.slice(0, 2).toLowerCase(), [version, ...convertBits(bytes, { from: 8, to: 5, pad: true })])).toBe(addr.toLowerCase());
    }
  });

  test("padding rules of the 5 → 8 conversion", () => {
    // "zero padding of more than 4 bits" and "non-zero padding in 8-to-5 conversion"
    const tooMuch = bech32Decode("bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du").words.subarray(1);
    expect(() => convertBits(tooMuch, { from: 5, to: 8, pad: false })).toThrow(SyntaxError);
    const nonZero = bech32Decode("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv").words.subarray(1);
    expect(() => convertBits(nonZero, { from: 5, to: 8, pad: false })).toThrow(SyntaxError);
  });

  test("encode rejects bad words and over-long results", () => {
    expect(() => bech32Encode("one", [32])).toThrow(RangeError);
    expect(() => bech32Encode("a", new Array(83).fill(0))).toThrow(RangeError);
    expect(() => bech32Encode("", [])).toThrow(SyntaxError);
  });
});

describe("Harmony one1… addresses", () => {
  test("harmony-one/harmony TestAddressToBech32 pair", () => {
    const hex = "0x15a128e599b74842bccba860311efa92991bffb5";
    const one = "one1zksj3evekayy90xt4psrz8h6j2v3hla4qwz4ur";
    expect(addressToBech32(hexToBytes(hex))).toBe(one);
    expect(addressToBech32("0x15a128e599b74842BCcBa860311Efa92991bffb5")).toBe(one);
    expect(bytesToHex(bech32ToAddress(one))).toBe(hex);
    expect(bytesToHex(parseAnyAddress(one))).toBe(hex);
    expect(bytesToHex(parseAnyAddress(hex))).toBe(hex);
  });

  test("harmony-one/harmony TestIsBech32Address cases", () => {
    expect(isBech32Address("one1ay37rp2pc3kjarg7a322vu3sa8j9puahg679z3")).toBe(true);
    expect(isBech32Address("one1fdv7u7rll9epgcqv9xxh9lhwq427nsqldp8ua9")).toBe(true);
    expect(isBech32Address("tone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5", "tone")).toBe(true);
    expect(isBech32Address("tone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca1", "tone")).toBe(false);
    expect(isBech32Address("xone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5")).toBe(false);
    // same payload under the testnet prefix is not a "one" address
    expect(isBech32Address("tone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5")).toBe(false);
  });

  test("wrong prefix, wrong length and garbage are SyntaxErrors", () => {
    expect(() => bech32ToAddress("helloworldone1zksj3evekayy90xt4psrz8h6j2v3hla4qwz4ufdfsrfasdfadfas")).toThrow(SyntaxError);
    expect(() => bech32ToAddress(bech32Encode("one", convertBits(new Uint8Array(19), { from: 8, to: 5, pad: true })))).toThrow(SyntaxError);
    expect(() => parseAnyAddress("0x15a128e599b74842bccba860311efa92991bffb")).toThrow(SyntaxError);
  });
});
