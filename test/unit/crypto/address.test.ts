// Addresses: go-ethereum crypto_test.go key → address, EIP-55 checksum examples (the EIP's own list).
import { describe, expect, test } from "bun:test";
import { isValidAddress, parseAddress, privateKeyToAddress, publicKeyToAddress, toChecksumAddress } from "../../../src/crypto/address.ts";
import { privateKeyToPublicKey } from "../../../src/crypto/secp256k1.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/bytes.ts";

// EIP-55 "Test cases": all caps, all lower, normal.
const EIP55 = [
  "0x52908400098527886E0F7030069857D2E4169EE7",
  "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
  "0xde709f2102306220921060314715629080e2fb77",
  "0x27b1fdb04752bbc536007a920d24acb045561c26",
  "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
  "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
  "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
];

describe("address", () => {
  test("go-ethereum crypto_test.go: private key → address", () => {
    const sk = hexToBytes("289c2857d4598e37fb9647507e47a309d6133539bf21a8b9cb6df88fd5232032");
    expect(bytesToHex(privateKeyToAddress(sk))).toBe("0x970e8128ab834e8eac17ab8e3812f010678cf791");
    const pub = privateKeyToPublicKey(sk);
    expect(publicKeyToAddress(pub)).toEqual(privateKeyToAddress(sk));
    expect(publicKeyToAddress(pub.subarray(1))).toEqual(privateKeyToAddress(sk)); // bare 64-byte X‖Y
    expect(publicKeyToAddress(privateKeyToPublicKey(sk, true))).toEqual(privateKeyToAddress(sk));
  });

  test("EIP-55 examples round-trip through the checksum", () => {
    for (const a of EIP55) {
      expect(isValidAddress(a)).toBe(true);
      const bytes = parseAddress(a);
      const mixed = toChecksumAddress(bytes);
      expect(mixed.toLowerCase()).toBe(a.toLowerCase());
      expect(isValidAddress(mixed)).toBe(true);
      expect(toChecksumAddress(a.toLowerCase())).toBe(mixed);
    }
    expect(toChecksumAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")).toBe("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  });

  test("a wrong checksum is rejected", () => {
    const bad = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
    expect(isValidAddress(bad)).toBe(false);
    expect(() => parseAddress(bad)).toThrow(SyntaxError);
  });

  test("malformed input", () => {
    for (const s of ["", "0x", "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", "0xG000000000000000000000000000000000000000"]) {
      expect(isValidAddress(s)).toBe(false);
      expect(() => parseAddress(s)).toThrow(SyntaxError);
    }
    expect(isValidAddress(42)).toBe(false);
    expect(() => parseAddress(42 as unknown as string)).toThrow(TypeError);
    expect(() => toChecksumAddress(new Uint8Array(19))).toThrow(RangeError);
  });
});
