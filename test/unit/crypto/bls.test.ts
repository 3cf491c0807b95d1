// Cross-checks of the two BLS backends (DESIGN §2): what one signs or aggregates the other verifies,
// byte-identical outputs, random-linear-combination batches, proof of possession
// (draft-irtf-cfrg-bls-signature-05 §3.3) and rejection of invalid encodings without throwing.
import { describe, expect, test } from "bun:test";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { type BLS, BLSError, BLSErrorCode, createBLS, G2_POINT_AT_INFINITY, type SignatureSet } from "../../../src/crypto/bls/index.ts";

const native = await createBLS("native");
const wasm = await createBLS("wasm");
const PAIRS: [BLS, BLS][] = [
  [native, wasm],
  [wasm, native],
];
const enc = (s: string) => new TextEncoder().encode(s);
const ikm = (i: number) => new Uint8Array(32).fill(i);
const sks = Array.from({ length: 6 }, (_, i) => native.keygen(ikm(i + 1)));
const pks = sks.map((sk) => native.secretToPublic(sk));
const MSG = enc("harmony block 42");

function expectBLSError(op: () => unknown, code: BLSErrorCode): void {
  try {
    op();
  } catch (e) {
    expect(e).toBeInstanceOf(BLSError);
    expect((e as BLSError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

// Points on the curve but outside the r-order subgroup: x is the smallest small integer for which
// x³ + b is a square (b = 4 on G1, 4(1+i) on G2); the cofactor makes such points non-subgroup.
function nonSubgroupPoints(): { pk: Uint8Array; sig: Uint8Array } {
  const { Fp, Fp2 } = bls12_381.fields;
  let x = 1n;
  while (!isSquare(() => Fp.sqrt(Fp.add(Fp.pow(x, 3n), 4n)))) x++;
  let x2 = 1n;
  const b2 = Fp2.fromBigTuple([4n, 4n]);
  while (!isSquare(() => Fp2.sqrt(Fp2.add(Fp2.pow(Fp2.fromBigTuple([x2, 0n]), 3n), b2)))) x2++;
  const pk = new Uint8Array(48);
  pk[0] = 0x80;
  pk[47] = Number(x);
  const sig = new Uint8Array(96); // x = x2 + 0·i: c1 (zero, with the flag) then c0
  sig[0] = 0x80;
  sig[95] = Number(x2);
  expect(() => bls12_381.G1.Point.fromBytes(pk)).toThrow(/subgroup/);
  expect(() => bls12_381.G2.Point.fromBytes(sig)).toThrow(/subgroup/);
  return { pk, sig };
}
function isSquare(sqrt: () => unknown): boolean {
  try {
    sqrt();
    return true;
  } catch {
    return false;
  }
}

describe("createBLS", () => {
  test("caches one instance per backend; auto picks native on Bun", async () => {
    expect(await createBLS("native")).toBe(native);
    expect(await createBLS("wasm")).toBe(wasm);
    expect(await createBLS()).toBe(native);
    expect(native.backend).toBe("native");
    expect(wasm.backend).toBe("wasm");
  });
});

describe("keygen (EIP-2333 derive_master_SK)", () => {
  test("EIP-2333 test cases 0 and 1, both backends", () => {
    const cases = [
      ["c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04", 6083874454709270928345386274498605044986640685124978867557563392430687146096n],
      ["3141592653589793238462643383279502884197169399375105820974944592", 29757020647961307431480504535336562678282505419141012933316116377660817309383n],
    ] as const;
    for (const [seed, sk] of cases) {
      for (const bls of [native, wasm]) expect(BigInt(`0x${Buffer.from(bls.keygen(Buffer.from(seed, "hex"))).toString("hex")}`)).toBe(sk);
    }
  });
  test("same IKM, same key on both; random keys differ; short IKM rejected", () => {
    expect(wasm.keygen(ikm(9))).toEqual(native.keygen(ikm(9)));
    for (const bls of [native, wasm]) {
      expect(bls.keygen()).not.toEqual(bls.keygen());
      expectBLSError(() => bls.keygen(new Uint8Array(31)), BLSErrorCode.INVALID_IKM);
    }
  });
  test("invalid secret keys throw INVALID_SECRET_KEY", () => {
    const r = Buffer.from("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", "hex");
    for (const bls of [native, wasm]) {
      for (const sk of [new Uint8Array(32), new Uint8Array(r), new Uint8Array(31).fill(1), new Uint8Array(33).fill(1)]) {
        expectBLSError(() => bls.sign(sk, MSG), BLSErrorCode.INVALID_SECRET_KEY);
        expectBLSError(() => bls.secretToPublic(sk), BLSErrorCode.INVALID_SECRET_KEY);
        expectBLSError(() => bls.popProve(sk), BLSErrorCode.INVALID_SECRET_KEY);
      }
    }
  });
});

describe("cross-backend", () => {
  test("identical public keys, signatures and aggregates", () => {
    for (const sk of sks) {
      expect(wasm.secretToPublic(sk)).toEqual(native.secretToPublic(sk));
      expect(wasm.sign(sk, MSG)).toEqual(native.sign(sk, MSG));
    }
    const sigs = sks.map((sk) => native.sign(sk, MSG));
    expect(wasm.aggregateSignatures(sigs)).toEqual(native.aggregateSignatures(sigs));
    expect(wasm.aggregatePublicKeys(pks)).toEqual(native.aggregatePublicKeys(pks));
  });

  for (const [a, b] of PAIRS) {
    test(`${a.backend} signs, ${b.backend} verifies`, () => {
      for (const message of [new Uint8Array(0), MSG, new Uint8Array(1000).fill(7)]) {
        const sig = a.sign(sks[0] as Uint8Array, message);
        expect(b.verify(pks[0] as Uint8Array, message, sig)).toBe(true);
        expect(b.verify(pks[1] as Uint8Array, message, sig)).toBe(false);
        expect(b.verify(pks[0] as Uint8Array, enc("other"), sig)).toBe(false);
      }
    });
    test(`${a.backend} aggregates, ${b.backend} fast-aggregate-verifies`, () => {
      const agg = a.aggregateSignatures(sks.map((sk) => a.sign(sk, MSG)));
      expect(b.fastAggregateVerify(pks, MSG, agg)).toBe(true);
      expect(b.fastAggregateVerify(pks.slice(1), MSG, agg)).toBe(false);
      expect(b.verify(a.aggregatePublicKeys(pks), MSG, agg)).toBe(true);
    });
    test(`${a.backend} aggregates, ${b.backend} aggregate-verifies messages of different lengths`, () => {
      const msgs = sks.map((_, i) => enc("m".repeat(i * 7)));
      const agg = a.aggregateSignatures(sks.map((sk, i) => a.sign(sk, msgs[i] as Uint8Array)));
      expect(b.aggregateVerify(pks, msgs, agg)).toBe(true);
      expect(b.aggregateVerify(pks, [...msgs].reverse(), agg)).toBe(false);
      expect(b.aggregateVerify(pks.slice(1), msgs.slice(1), agg)).toBe(false);
      expect(b.aggregateVerify(pks, msgs.slice(1), agg)).toBe(false); // length mismatch
    });
    test(`${a.backend} proves possession, ${b.backend} verifies; POP and signature DSTs are separate`, () => {
      const sk = sks[2] as Uint8Array;
      const pk = pks[2] as Uint8Array;
      const proof = a.popProve(sk);
      expect(proof).toEqual(b.popProve(sk));
      expect(b.popVerify(pk, proof)).toBe(true);
      expect(b.popVerify(pks[3] as Uint8Array, proof)).toBe(false);
      expect(b.popVerify(pk, a.sign(sk, pk))).toBe(false); // same message, signature DST
      expect(b.verify(pk, pk, proof)).toBe(false);
    });
  }
});

describe("verifyMultipleSignatures", () => {
  const many = (n: number): SignatureSet[] =>
    Array.from({ length: n }, (_, i) => {
      const sk = sks[i % sks.length] as Uint8Array;
      const message = enc(`set ${i}`.repeat(1 + (i % 3))); // three message lengths
      return { publicKey: pks[i % sks.length] as Uint8Array, message, signature: native.sign(sk, message) };
    });
  for (const bls of [native, wasm]) {
    test(`${bls.backend}: valid batch true; one bad set false; empty false`, () => {
      const sets = many(70); // > one wasm chunk of 64
      expect(bls.verifyMultipleSignatures(sets)).toBe(true);
      for (const bad of [0, 35, 69]) {
        const swapped = sets.map((s, i) => (i === bad ? { ...s, signature: (sets[(i + 1) % sets.length] as SignatureSet).signature } : s));
        expect(bls.verifyMultipleSignatures(swapped)).toBe(false);
        const wrongKey = sets.map((s, i) => (i === bad ? { ...s, publicKey: pks[(i + 1) % pks.length] as Uint8Array } : s));
        expect(bls.verifyMultipleSignatures(wrongKey)).toBe(false);
      }
      const infinityKey = sets.map((s, i) => (i === 3 ? { ...s, publicKey: pkInfinity() } : s));
      expect(bls.verifyMultipleSignatures(infinityKey)).toBe(false);
      expect(bls.verifyMultipleSignatures([])).toBe(false);
    });
  }
});

function pkInfinity(): Uint8Array {
  const pk = new Uint8Array(48);
  pk[0] = 0xc0;
  return pk;
}

describe("invalid inputs", () => {
  const { pk: pkOffGroup, sig: sigOffGroup } = nonSubgroupPoints();
  const sig = native.sign(sks[0] as Uint8Array, MSG);
  const pk = pks[0] as Uint8Array;
  const flip = (b: Uint8Array, i: number, mask: number) => b.map((v, j) => (j === i ? v ^ mask : v));
  const badPks: Record<string, Uint8Array> = {
    empty: new Uint8Array(0),
    truncated: pk.slice(0, 47),
    uncompressedFlagCleared: flip(pk, 0, 0x80),
    infinity: pkInfinity(),
    nonCanonicalInfinity: (() => {
      const b = pkInfinity();
      b[47] = 1;
      return b;
    })(),
    xAboveModulus: new Uint8Array(48).fill(0xff).map((v, i) => (i === 0 ? 0x9f : v)),
    notInSubgroup: pkOffGroup,
  };
  const badSigs: Record<string, Uint8Array> = {
    empty: new Uint8Array(0),
    truncated: sig.slice(0, 95),
    uncompressedFlagCleared: flip(sig, 0, 0x80),
    nonCanonicalInfinity: (() => {
      const b = G2_POINT_AT_INFINITY.slice();
      b[95] = 1;
      return b;
    })(),
    notInSubgroup: sigOffGroup,
  };
  for (const bls of [native, wasm]) {
    test(`${bls.backend}: invalid public keys are rejected by every verifier`, () => {
      for (const [name, bad] of Object.entries(badPks)) {
        expect([name, bls.isValidPublicKey(bad)]).toEqual([name, false]);
        expect([name, bls.verify(bad, MSG, sig)]).toEqual([name, false]);
        expect([name, bls.fastAggregateVerify([pk, bad], MSG, sig)]).toEqual([name, false]);
        expect([name, bls.aggregateVerify([bad], [MSG], sig)]).toEqual([name, false]);
        expect([name, bls.verifyMultipleSignatures([{ publicKey: bad, message: MSG, signature: sig }])]).toEqual([name, false]);
        expect([name, bls.popVerify(bad, sig)]).toEqual([name, false]);
        expectBLSError(() => bls.aggregatePublicKeys([pk, bad]), BLSErrorCode.INVALID_PUBLIC_KEY);
      }
      expect(bls.isValidPublicKey(pk)).toBe(true);
    });
    test(`${bls.backend}: invalid signatures are rejected by every verifier`, () => {
      for (const [name, bad] of Object.entries(badSigs)) {
        expect([name, bls.isValidSignature(bad)]).toEqual([name, false]);
        expect([name, bls.verify(pk, MSG, bad)]).toEqual([name, false]);
        expect([name, bls.fastAggregateVerify([pk], MSG, bad)]).toEqual([name, false]);
        expect([name, bls.aggregateVerify([pk], [MSG], bad)]).toEqual([name, false]);
        expect([name, bls.verifyMultipleSignatures([{ publicKey: pk, message: MSG, signature: bad }])]).toEqual([name, false]);
        expect([name, bls.popVerify(pk, bad)]).toEqual([name, false]);
        expectBLSError(() => bls.aggregateSignatures([sig, bad]), BLSErrorCode.INVALID_SIGNATURE);
      }
      expect(bls.isValidSignature(sig)).toBe(true);
      expect(bls.isValidSignature(G2_POINT_AT_INFINITY)).toBe(true);
    });
    test(`${bls.backend}: empty lists and identity aggregates`, () => {
      expect(bls.fastAggregateVerify([], MSG, G2_POINT_AT_INFINITY)).toBe(false);
      expect(bls.aggregateVerify([], [], G2_POINT_AT_INFINITY)).toBe(false);
      expectBLSError(() => bls.aggregateSignatures([]), BLSErrorCode.EMPTY_AGGREGATE);
      expectBLSError(() => bls.aggregatePublicKeys([]), BLSErrorCode.EMPTY_AGGREGATE);
      // P + (−P) is the identity: CoreVerify's KeyValidate on the aggregate must fail.
      const negPk = flip(pk, 0, 0x20);
      expect(bls.isValidPublicKey(negPk)).toBe(true);
      expect(bls.fastAggregateVerify([pk, negPk], MSG, G2_POINT_AT_INFINITY)).toBe(false);
      expect(bls.verify(pkInfinity(), MSG, G2_POINT_AT_INFINITY)).toBe(false);
    });
  }
  test("BLSError serializes its code", () => {
    const err = (() => {
      try {
        native.aggregatePublicKeys([]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BLSError);
    expect((err as BLSError).toObject()).toMatchObject({ code: BLSErrorCode.EMPTY_AGGREGATE, what: "publicKeys" });
  });
});
