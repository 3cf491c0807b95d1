// secp256k1 ECDSA against go-ethereum's crypto/signature_test.go vectors, the EIP-155 signing example
// (deterministic RFC 6979 nonce, recovery id) and EIP-2 low-s.
import { describe, expect, test } from "bun:test";
import {
  SECP256K1_N,
  Secp256k1Error,
  Secp256k1ErrorCode,
  decodeSignature,
  encodeSignature,
  generatePrivateKey,
  isHighS,
  isValidPrivateKey,
  privateKeyToPublicKey,
  publicKeyToUncompressed,
  recoverPublicKey,
  signHash,
  verifySignature,
} from "../../../src/crypto/secp256k1.ts";
import { keccak256 } from "../../../src/crypto/hash.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/bytes.ts";

// go-ethereum crypto/signature_test.go
const GETH_MSG = hexToBytes("0xce0677bb30baa8cf067c88db9811f4333d131bf8bcf12fe7065d211dce971008");
const GETH_SIG = hexToBytes(
  "0x90f27b8b488db00b00606796d2987f6a5f59ae62ea05effe84fef5b8b0e549984a691139ad57a3f0b906637673aa2f63d1f55cb1a69199d4009eea23ceaddc9301",
);
const GETH_PUB =
  "0x04e32df42865e97135acfb65f3bae71bdc86f4d49150ad6a440b6f15878109880a0a2b2667f7e725ceea70c673093bf67663e0312623c8e091b13cf2c0f11ef652";
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

const GETH_PUB_C = "0x02e32df42865e97135acfb65f3bae71bdc86f4d49150ad6a440b6f15878109880a";

describe("secp256k1", () => {
  test("go-ethereum Ecrecover vector", () => {
    expect(bytesToHex(recoverPublicKey(GETH_MSG, GETH_SIG))).toBe(GETH_PUB);
    expect(verifySignature(GETH_MSG, GETH_SIG, hexToBytes(GETH_PUB))).toBe(true);
    expect(verifySignature(GETH_MSG, GETH_SIG, hexToBytes(GETH_PUB_C))).toBe(true);
    expect(bytesToHex(publicKeyToUncompressed(hexToBytes(GETH_PUB_C)))).toBe(GETH_PUB);
  });

  test("EIP-155 example: deterministic r, s and recovery id for key 0x46…46", () => {
    const sk = new Uint8Array(32).fill(0x46);
    const hash = hexToBytes("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    const sig = signHash(hash, sk);
    expect(sig.r).toBe(18515461264373351373200002665853028612451056578545711640558177340181847433846n);
    expect(sig.s).toBe(46948507304638947509940763649030358759909902576025900602547168820602576006531n);
    expect(sig.recovery).toBe(0); // v = 37 = 0 + 35 + 2·chainId(1)
  });

  test("sign → 65-byte r‖s‖v → recover, for random keys", () => {
    for (let i = 0; i < 8; i++) {
      const sk = generatePrivateKey();
      expect(isValidPrivateKey(sk)).toBe(true);
      const pub = privateKeyToPublicKey(sk);
      expect(pub.length).toBe(65);
      expect(pub[0]).toBe(4);
      const hash = keccak256(new Uint8Array([i]));
      const sig = signHash(hash, sk);
      expect(isHighS(sig)).toBe(false);
      const bytes = encodeSignature(sig);
      expect(bytes.length).toBe(65);
      expect(bytes[64]).toBe(sig.recovery);
      expect(decodeSignature(bytes)).toEqual(sig);
      expect(recoverPublicKey(hash, bytes)).toEqual(pub);
      expect(recoverPublicKey(hash, sig)).toEqual(pub);
      expect(verifySignature(hash, bytes, pub)).toBe(true);
      expect(verifySignature(keccak256(hash), bytes, pub)).toBe(false);
    }
  });

  test("v = 27/28 accepted on decode; anything else is a RangeError", () => {
    const legacy = GETH_SIG.slice();
    legacy[64] = 28;
    expect(bytesToHex(recoverPublicKey(GETH_MSG, legacy))).toBe(GETH_PUB);
    legacy[64] = 2;
    expect(() => decodeSignature(legacy)).toThrow(RangeError);
    expect(() => decodeSignature(new Uint8Array(64))).toThrow(RangeError);
  });

  test("EIP-2: high-s rejected unless allowed, and it recovers the same key", () => {
    const sig = decodeSignature(GETH_SIG);
    const high = { r: sig.r, s: SECP256K1_N - sig.s, recovery: sig.recovery ^ 1 };
    expect(isHighS(high)).toBe(true);
    const e = thrown(() => recoverPublicKey(GETH_MSG, high));
    expect(e).toBeInstanceOf(Secp256k1Error);
    expect((e as Secp256k1Error).code).toBe(Secp256k1ErrorCode.HIGH_S);
    expect(bytesToHex(recoverPublicKey(GETH_MSG, high, { allowHighS: true }))).toBe(GETH_PUB);
    expect(verifySignature(GETH_MSG, high, hexToBytes(GETH_PUB))).toBe(false);
  });

  test("r or s out of range is a typed INVALID_SIGNATURE error", () => {
    const zeroR = { r: 0n, s: 1n, recovery: 0 };
    expect(() => recoverPublicKey(GETH_MSG, zeroR)).toThrow(Secp256k1Error);
    const bigR = { r: SECP256K1_N, s: 1n, recovery: 0 };
    const e = thrown(() => recoverPublicKey(GETH_MSG, bigR));
    expect(e).toBeInstanceOf(Secp256k1Error);
    expect((e as Secp256k1Error).type.code).toBe(Secp256k1ErrorCode.INVALID_SIGNATURE);
    // r = 5 is in range, but 5³ + 7 has no square root mod p: no point R, nothing to recover.
    const e2 = thrown(() => recoverPublicKey(GETH_MSG, { r: 5n, s: 1n, recovery: 0 }));
    expect((e2 as Secp256k1Error).code).toBe(Secp256k1ErrorCode.INVALID_SIGNATURE);
    expect(verifySignature(GETH_MSG, zeroR, hexToBytes(GETH_PUB))).toBe(false);
  });

  test("bad private keys and hashes are argument errors", () => {
    expect(isValidPrivateKey(new Uint8Array(32))).toBe(false);
    expect(() => privateKeyToPublicKey(new Uint8Array(32))).toThrow(RangeError);
    expect(() => privateKeyToPublicKey(new Uint8Array(31).fill(1))).toThrow(RangeError);
    expect(() => signHash(new Uint8Array(31), new Uint8Array(32).fill(1))).toThrow(RangeError);
    expect(() => publicKeyToUncompressed(new Uint8Array(65).fill(4))).toThrow(RangeError);
  });
});
