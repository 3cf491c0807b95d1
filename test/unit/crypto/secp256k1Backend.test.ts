// secp256k1 public-key recovery on every backend (native libsecp256k1 addon, libsecp256k1 in WASM,
// @noble/curves): each agrees with noble on 100,000 random inputs — signatures of random keys over
// random hashes with both recovery ids, plus random (r, s) pairs where most recover a key nobody
// holds and some none at all — and recoverPublicKey keeps its range and low-s rules on each.
import { afterAll, describe, expect, test } from "bun:test";
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
import type { AgreementSlice } from "./_secpAgreement.ts";

const noble = nobleSecp256k1();
afterAll(() => useSecp256k1Backend(noble));

const RANDOM_INPUTS = 100_000;

test("auto picks native where the addon loads (Bun on linux-x64)", async () => {
  expect((await createSecp256k1("auto")).name).toBe("native");
  expect(parseSecp256k1BackendName("wasm")).toBe("wasm");
  expect(() => parseSecp256k1BackendName("openssl")).toThrow(RangeError);
});

// Two slices in Workers, one per core: the check is CPU-bound (~0.7 ms per input, mostly the WASM
// recovery and noble's signing).
const SLICES = 2;

function runSlice(from: number, to: number): Promise<AgreementSlice> {
  const w = new Worker(new URL("./_secpAgreement.ts", import.meta.url).href);
  const done = new Promise<AgreementSlice>((resolve, reject) => {
    w.onmessage = (ev: MessageEvent<AgreementSlice>) => resolve(ev.data);
    w.onerror = (ev) => reject(new Error(`agreement worker failed: ${ev.message}`));
  });
  w.postMessage({ from, to });
  return done.finally(() => w.terminate());
}

test(`native and wasm agree with noble on ${RANDOM_INPUTS.toLocaleString("en")} random inputs`, async () => {
  const per = Math.ceil(RANDOM_INPUTS / SLICES);
  const slices = await Promise.all(Array.from({ length: SLICES }, (_, k) => runSlice(k * per, Math.min(RANDOM_INPUTS, (k + 1) * per))));
  for (const s of slices) {
    expect(s.error).toBeUndefined();
    expect(s.backends).toEqual(["native", "wasm"]);
  }
  const recovered = slices.reduce((n, s) => n + s.recovered, 0);
  const none = slices.reduce((n, s) => n + s.none, 0);
  expect(recovered + none).toBe(RANDOM_INPUTS);
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
