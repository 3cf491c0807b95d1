// secp256k1 public-key recovery on every backend (native libsecp256k1 addon, libsecp256k1 in WASM,
// @noble/curves): each agrees with noble on 100,000 random inputs — signatures of random keys over
// random hashes with both recovery ids, plus random (r, s) pairs where most recover a key nobody
// holds and some none at all — and recoverPublicKey keeps its range and low-s rules on each.
import { afterAll, describe, expect, test } from "bun:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import {
  Secp256k1Error,
  SECP256K1_N,
  createSecp256k1,
  encodeSignature,
  getSecp256k1Backend,
  nobleSecp256k1,
  parseSecp256k1BackendName,
  privateKeyToPublicKey,
  recoverPublicKey,
  signHash,
  useSecp256k1Backend,
} from "../../../src/crypto/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";

const noble = nobleSecp256k1();
afterAll(() => useSecp256k1Backend(noble));

const RANDOM_INPUTS = 100_000;

test("auto picks native where the addon loads (Bun on linux-x64)", async () => {
  expect((await createSecp256k1("auto")).name).toBe("native");
  expect(parseSecp256k1BackendName("wasm")).toBe("wasm");
  expect(() => parseSecp256k1BackendName("openssl")).toThrow(RangeError);
});

test(`native and wasm agree with noble on ${RANDOM_INPUTS.toLocaleString("en")} random inputs`, async () => {
  const backends = [await createSecp256k1("native"), await createSecp256k1("wasm")];
  expect(backends.map((b) => b.name)).toEqual(["native", "wasm"]);
  const hash = new Uint8Array(32);
  const compact = new Uint8Array(64);
  let recovered = 0;
  let none = 0;
  for (let i = 0; i < RANDOM_INPUTS; i++) {
    crypto.getRandomValues(hash);
    let rec: number;
    let want: Uint8Array | null;
    if (i % 4 !== 0) {
      // a real signature by a random key: noble's answer is that key
      const sk = secp256k1.utils.randomSecretKey();
      const sig = secp256k1.Signature.fromBytes(secp256k1.sign(hash, sk, { prehash: false, format: "recovered" }), "recovered");
      compact.set(sig.toBytes("compact"));
      rec = sig.recovery ?? 0;
      want = secp256k1.getPublicKey(sk, false);
    } else {
      // random r‖s: about half the x-coordinates are on the curve; noble recovers or refuses
      crypto.getRandomValues(compact);
      rec = i & 1;
      want = noble.recover(hash, compact, rec);
    }
    if (want === null) none++;
    else recovered++;
    for (const b of backends) {
      const got = b.recover(hash, compact, rec);
      if ((want === null) !== (got === null) || (want && got && bytesToHex(want) !== bytesToHex(got))) {
        throw new Error(`${b.name} disagrees with noble at input ${i}: hash ${bytesToHex(hash)} sig ${bytesToHex(compact)} rec ${rec}`);
      }
    }
  }
  expect(recovered).toBeGreaterThan(RANDOM_INPUTS / 2);
  expect(none).toBeGreaterThan(RANDOM_INPUTS / 20);
}, 900_000);

for (const name of ["native", "wasm"] as const) {
  describe(`${name} backend`, () => {
    test("recoverPublicKey on it: the signer's key, range and low-s rules", async () => {
      useSecp256k1Backend(await createSecp256k1(name));
      expect(getSecp256k1Backend().name).toBe(name);
      const sk = new Uint8Array(32).fill(0x42);
      const hash = new Uint8Array(32).fill(0x17);
      const sig = signHash(hash, sk);
      expect(recoverPublicKey(hash, sig)).toEqual(privateKeyToPublicKey(sk));
      expect(recoverPublicKey(hash, encodeSignature(sig))).toEqual(privateKeyToPublicKey(sk));
      const high = { ...sig, s: SECP256K1_N - sig.s, recovery: sig.recovery ^ 1 };
      expect(() => recoverPublicKey(hash, high)).toThrow(Secp256k1Error);
      expect(recoverPublicKey(hash, high, { allowHighS: true })).toEqual(privateKeyToPublicKey(sk));
      expect(() => recoverPublicKey(hash, { ...sig, r: SECP256K1_N })).toThrow(Secp256k1Error);
      useSecp256k1Backend(noble);
    });
  });
}
