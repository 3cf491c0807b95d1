// Issue 11 target 1: public keys decoded once and kept as points, batches verified on points
// (BLS.verifyChecks). The caches must never change a verdict: invalid keys are never cached as
// valid, eviction keeps results right, and verifyChecks agrees with an independent per-check
// FastAggregateVerify (noble-curves, draft-irtf-cfrg-bls-signature-05 §3.3.4) on random checks that
// include wrong signatures, invalid keys and points outside the subgroup — on both backends.
import { describe, expect, test } from "bun:test";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { type AggregateCheck, type BLS, BLSError, BLSErrorCode, createBLS, G2_POINT_AT_INFINITY, SIGNATURE_DST } from "../../../src/crypto/bls/index.ts";
import { createNativeBLS, loadBlst } from "../../../src/crypto/bls/_native.ts";
import { createPointCache } from "../../../src/crypto/bls/_pointCache.ts";
import { createWasmBLS } from "../../../src/crypto/bls/_wasm.ts";
import { loadHerumi } from "../../../src/crypto/bls/_wasmLib.ts";
import { createWasmContext } from "../../../src/crypto/bls/_wasmPairing.ts";

const sigs = bls12_381.longSignatures;
const reference = await createBLS("native");
const sks = Array.from({ length: 12 }, (_, i) => reference.keygen(new Uint8Array(32).fill(i + 1)));
const pks = sks.map((sk) => reference.secretToPublic(sk));
// On the curve, outside the subgroup (the smallest x with x³ + 4 a square; x³ + 4(1+i) on G2).
const OFF_PK = Uint8Array.from([0x80, ...new Uint8Array(46), 0]);
const OFF_SIG = Uint8Array.from([0x80, ...new Uint8Array(94), 0]);
for (let x = 1; ; x++) {
  OFF_PK[47] = x;
  try {
    bls12_381.G1.Point.fromBytes(OFF_PK);
  } catch (e) {
    if (/subgroup/.test(String(e))) break;
  }
}
for (let x = 1; ; x++) {
  OFF_SIG[95] = x;
  try {
    bls12_381.G2.Point.fromBytes(OFF_SIG);
  } catch (e) {
    if (/subgroup/.test(String(e))) break;
  }
}

/** Fresh instances with tiny caches, so that eviction happens during the tests. */
async function freshBackends(size: number): Promise<BLS[]> {
  const opts = { publicKeys: size, signatures: size };
  return [createNativeBLS(await loadBlst(), opts), createWasmBLS(createWasmContext(await loadHerumi()), opts)];
}

// Independent FastAggregateVerify: KeyValidate of every key, subgroup check of the signature,
// no identity aggregate key, one pairing check.
function nobleFastAggregateVerify(c: AggregateCheck): boolean {
  try {
    if (c.publicKeys.length === 0) return false;
    const points = c.publicKeys.map((k) => {
      const p = bls12_381.G1.Point.fromBytes(k);
      if (p.is0()) throw new Error("identity key");
      return p;
    });
    const agg = points.reduce((a, p) => a.add(p));
    if (agg.is0()) return false;
    return sigs.verify(bls12_381.G2.Point.fromBytes(c.signature), sigs.hash(c.message, SIGNATURE_DST), agg);
  } catch {
    return false;
  }
}

// Deterministic pseudo-random choices (xorshift), so a failure reproduces.
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function randomChecks(count: number, seed: number): AggregateCheck[] {
  const r = rng(seed);
  const messages = [0, 1, 2].map((i) => new Uint8Array(32).fill(0xa0 + i));
  return Array.from({ length: count }, () => {
    const message = r(4) === 0 ? crypto.getRandomValues(new Uint8Array(8 + r(40))) : (messages[r(3)] as Uint8Array);
    const n = 1 + (r(3) === 0 ? r(5) : 0);
    const slots = Array.from({ length: n }, () => r(pks.length));
    const publicKeys = slots.map((s) => pks[s] as Uint8Array);
    let signature = reference.aggregateSignatures(slots.map((s) => reference.sign(sks[s] as Uint8Array, message)));
    switch (r(10)) {
      case 0: // signed by another key
        signature = reference.sign(sks[(slots[0] as number) + 1 === pks.length ? 0 : (slots[0] as number) + 1] as Uint8Array, message);
        break;
      case 1: // over another message
        signature = reference.sign(sks[slots[0] as number] as Uint8Array, Uint8Array.of(r(256)));
        break;
      case 2:
        signature = [OFF_SIG, G2_POINT_AT_INFINITY, signature.slice(0, 95), signature.map((b, i) => (i === 0 ? b ^ 0x80 : b))][r(4)] as Uint8Array;
        break;
      case 3:
        publicKeys[r(n)] = [OFF_PK, new Uint8Array(48), Uint8Array.from([0xc0, ...new Uint8Array(47)])][r(3)] as Uint8Array;
        break;
    }
    return { publicKeys, message, signature };
  });
}

describe("point cache", () => {
  test("bounded, exact on the bytes, keeps what is used", () => {
    const c = createPointCache<number>(8);
    const keys = Array.from({ length: 40 }, (_, i) => new Uint8Array(48).fill(i));
    keys.forEach((k, i) => c.set(k, i));
    expect(c.size).toBeLessThanOrEqual(8);
    expect(c.get(keys[39] as Uint8Array)).toBe(39);
    expect(c.get(keys[0] as Uint8Array)).toBeUndefined();
    const near = (keys[39] as Uint8Array).slice();
    near[47] = 0;
    expect(c.get(near)).toBeUndefined();
    // A key read in every round survives any number of insertions.
    const hot = keys[38] as Uint8Array;
    for (let i = 0; i < 100; i++) {
      c.set(new Uint8Array(48).fill(100 + i).fill(i, 0, 1), i);
      expect(c.get(hot)).toBe(38);
    }
    expect(c.size).toBeLessThanOrEqual(8);
    expect(c.stats.hits).toBeGreaterThan(100);
    expect(() => createPointCache(1)).toThrow(RangeError);
  });
});

describe("decoded-point caches of both backends", async () => {
  const [native, wasm] = await freshBackends(6);
  for (const bls of [native, wasm] as BLS[]) {
    test(`${bls.backend}: an invalid key is rejected every time and never cached as valid`, () => {
      for (const bad of [OFF_PK, new Uint8Array(48), Uint8Array.from([0xc0, ...new Uint8Array(47)]), (pks[0] as Uint8Array).slice(0, 47)]) {
        const before = bls.cacheStats();
        for (let i = 0; i < 3; i++) {
          expect(bls.isValidPublicKey(bad)).toBe(false);
          expect(bls.verifyChecks([{ publicKeys: [bad], message: Uint8Array.of(1), signature: reference.sign(sks[0] as Uint8Array, Uint8Array.of(1)) }])).toEqual([false]);
        }
        expect(bls.cacheStats().publicKeyHits).toBe(before.publicKeyHits);
      }
      // A valid key is decoded once, then hit.
      const pk = pks[5] as Uint8Array;
      expect(bls.isValidPublicKey(pk)).toBe(true);
      const hits = bls.cacheStats().publicKeyHits;
      expect(bls.isValidPublicKey(pk)).toBe(true);
      expect(bls.cacheStats().publicKeyHits).toBe(hits + 1);
    });

    test(`${bls.backend}: a signature outside the subgroup stays invalid though its decompression is cached`, () => {
      const sig = reference.sign(sks[0] as Uint8Array, Uint8Array.of(7));
      for (let i = 0; i < 2; i++) {
        expect(bls.isValidSignature(OFF_SIG)).toBe(false);
        expect(bls.verifyChecks([{ publicKeys: [pks[0] as Uint8Array], message: Uint8Array.of(7), signature: OFF_SIG }])).toEqual([false]);
      }
      try {
        bls.aggregateSignatures([sig, sig, OFF_SIG]);
        throw new Error("expected INVALID_SIGNATURE");
      } catch (e) {
        expect(e).toBeInstanceOf(BLSError);
        expect((e as BLSError).toObject()).toMatchObject({ code: BLSErrorCode.INVALID_SIGNATURE, index: 2 });
      }
    });
  }

  test("verifyChecks agrees with noble's per-check FastAggregateVerify on random checks, both backends, small caches", () => {
    const checks = randomChecks(48, 0x5eed);
    const expected = checks.map(nobleFastAggregateVerify);
    expect(expected.filter(Boolean).length).toBeGreaterThan(10);
    expect(expected.filter((x) => !x).length).toBeGreaterThan(5);
    for (const bls of [native, wasm] as BLS[]) {
      expect([bls.backend, bls.verifyChecks(checks)]).toEqual([bls.backend, expected]);
      // One check at a time, through the byte-level call, gives the same answers (cache warm now).
      expect([bls.backend, checks.map((c) => bls.fastAggregateVerify([...c.publicKeys], c.message, c.signature))]).toEqual([bls.backend, expected]);
      expect(bls.verifyChecks([])).toEqual([]);
      // Malformed checks (not bytes where bytes belong) are false, never a throw, and spoil nothing else.
      const good = checks[expected.indexOf(true)] as AggregateCheck;
      const malformed = [
        { ...good, signature: undefined },
        { ...good, publicKeys: [good.publicKeys[0], "ab"] },
        { ...good, publicKeys: undefined },
        { ...good, message: null },
      ] as unknown as AggregateCheck[];
      expect([bls.backend, bls.verifyChecks([good, ...malformed, good])]).toEqual([bls.backend, [true, false, false, false, false, true]]);
    }
  }, 60_000);

  test("a committee's votes: one bad vote among 12 is found by bisection, keys are hits the second time", async () => {
    for (const bls of await freshBackends(64)) {
      const message = new Uint8Array(32).fill(9);
      const votes = pks.map((pk, i) => ({ publicKeys: [pk], message, signature: reference.sign(sks[i] as Uint8Array, i === 7 ? Uint8Array.of(1) : message) }));
      const want = votes.map((_, i) => i !== 7);
      expect(bls.verifyChecks(votes)).toEqual(want);
      expect(bls.cacheStats().pairings).toBeLessThan(votes.length);
      const before = bls.cacheStats();
      expect(bls.verifyChecks(votes.slice(0, 5))).toEqual(want.slice(0, 5));
      expect(bls.cacheStats().publicKeyHits - before.publicKeyHits).toBe(5);
      expect(bls.cacheStats().publicKeyMisses).toBe(before.publicKeyMisses);
      // Bisection costs a few pairing checks, not one per vote.
      expect(bls.cacheStats().pairings - before.pairings).toBe(1);
    }
  });

  test("signature points exported by one backend and imported by either aggregate to the same bytes; bad points are ignored", async () => {
    const message = Uint8Array.of(42);
    const votes = sks.map((sk) => reference.sign(sk, message));
    const want = reference.aggregateSignatures(votes);
    for (const from of await freshBackends(64)) {
      for (const to of await freshBackends(64)) {
        const points = from.exportSignaturePoints(votes);
        expect(points.every((p) => p.length === 192)).toBe(true);
        // A point that is not on the curve, and one whose length is wrong, are not cached.
        const bent = (points[0] as Uint8Array).slice();
        bent[191] = (bent[191] as number) ^ 1;
        to.importSignaturePoints([votes[0] as Uint8Array, votes[1] as Uint8Array], [bent, new Uint8Array(3)]);
        to.importSignaturePoints(votes.slice(2), points.slice(2));
        const before = to.cacheStats();
        expect([from.backend, to.backend, to.aggregateSignatures(votes)]).toEqual([from.backend, to.backend, want]);
        expect(to.cacheStats().signatureHits - before.signatureHits).toBe(votes.length - 2);
        expect(to.verifyChecks([{ publicKeys: pks, message, signature: want }])).toEqual([true]);
      }
    }
    expect(reference.exportSignaturePoints([new Uint8Array(96)])).toEqual([new Uint8Array(0)]);
  });
});
