// The sum of secret keys (mod r) signs exactly what each key's signatures aggregate to
// (draft-irtf-cfrg-bls-signature-05 §2.6 Sign is linear in SK, §2.8 Aggregate is the point sum),
// on both backends; keys that cancel have no sum; bad input gets a typed error.
import { describe, expect, test } from "bun:test";
import { BLSError, BLSErrorCode, aggregateSecretKeys, createBLS } from "../../../src/crypto/bls/index.ts";

const R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
const toBytes = (v: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * (31 - i))) & 0xffn));
const toBig = (b: Uint8Array) => b.reduce((a, x) => (a << 8n) | BigInt(x), 0n);
const msg = new TextEncoder().encode("commit payload");

function codeOf(op: () => unknown): string {
  try {
    op();
  } catch (e) {
    expect(e).toBeInstanceOf(BLSError);
    return (e as BLSError).code;
  }
  return "no error";
}

describe("aggregateSecretKeys", () => {
  for (const backend of ["native", "wasm"] as const) {
    test(`${backend}: signing with the sum = aggregating each key's signature, for 1, 2 and 63 keys`, async () => {
      const bls = await createBLS(backend);
      const sks = Array.from({ length: 63 }, (_, i) => bls.keygen(new Uint8Array(32).fill(i + 7)));
      for (const n of [1, 2, 63]) {
        const part = sks.slice(0, n);
        const sum = aggregateSecretKeys(part) as Uint8Array;
        const expected = n === 1 ? bls.sign(part[0] as Uint8Array, msg) : bls.aggregateSignatures(part.map((sk) => bls.sign(sk, msg)));
        expect(bls.sign(sum, msg)).toEqual(expected);
        expect(bls.verify(bls.aggregatePublicKeys(part.map((sk) => bls.secretToPublic(sk))), msg, bls.sign(sum, msg))).toBe(true);
      }
    });
  }

  test("the sum wraps modulo r, and keys that cancel have none", () => {
    expect(toBig(aggregateSecretKeys([toBytes(R - 1n), toBytes(5n)]) as Uint8Array)).toBe(4n);
    expect(toBig(aggregateSecretKeys([toBytes(R - 1n), toBytes(R - 1n)]) as Uint8Array)).toBe(R - 2n);
    expect(aggregateSecretKeys([toBytes(R - 3n), toBytes(3n)])).toBeNull();
    expect(aggregateSecretKeys([toBytes(1n), toBytes(R - 2n), toBytes(1n)])).toBeNull();
  });

  test("an empty list, a zero key, a key ≥ r or of the wrong length is refused", () => {
    expect(codeOf(() => aggregateSecretKeys([]))).toBe(BLSErrorCode.EMPTY_AGGREGATE);
    expect(codeOf(() => aggregateSecretKeys([toBytes(1n), new Uint8Array(32)]))).toBe(BLSErrorCode.INVALID_SECRET_KEY);
    expect(codeOf(() => aggregateSecretKeys([toBytes(R)]))).toBe(BLSErrorCode.INVALID_SECRET_KEY);
    expect(codeOf(() => aggregateSecretKeys([new Uint8Array(31).fill(1)]))).toBe(BLSErrorCode.INVALID_SECRET_KEY);
  });
});
