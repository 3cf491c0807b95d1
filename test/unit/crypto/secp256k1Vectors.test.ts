// Wycheproof ECDSA secp256k1/SHA-256 valid signatures (test/vectors/secp256k1) through public-key
// recovery on every backend: one recovery id gives back the test group's key, and the high-s case
// (tcId 5) is refused unless high s is allowed, and recovers the key once normalised (EIP-2).
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SECP256K1_N, Secp256k1Error, createSecp256k1, nobleSecp256k1, recoverPublicKey, sha256, useSecp256k1Backend } from "../../../src/crypto/index.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/index.ts";

interface Vectors {
  groups: { publicKey: string; tests: { tcId: number; msg: string; sig: string }[] }[];
}
const V = JSON.parse(readFileSync(join(import.meta.dir, "../../vectors/secp256k1/wycheproof_ecdsa_secp256k1_sha256_valid.json"), "utf8")) as Vectors;

// DER SEQUENCE { INTEGER r, INTEGER s } with short lengths, as these vectors use.
function parseDER(der: Uint8Array): { r: bigint; s: bigint } {
  if (der[0] !== 0x30 || der[1] !== der.length - 2) throw new Error("not a DER sequence");
  const int = (at: number): [bigint, number] => {
    if (der[at] !== 0x02) throw new Error("not a DER integer");
    const len = der[at + 1] as number;
    return [BigInt(bytesToHex(der.subarray(at + 2, at + 2 + len))), at + 2 + len];
  };
  const [r, next] = int(2);
  const [s] = int(next);
  return { r, s };
}

afterAll(() => useSecp256k1Backend(nobleSecp256k1()));

for (const name of ["native", "wasm", "noble"] as const) {
  describe(`Wycheproof valid signatures on ${name}`, () => {
    test("one recovery id gives the group's public key", async () => {
      useSecp256k1Backend(await createSecp256k1(name));
      let checked = 0;
      for (const g of V.groups) {
        for (const t of g.tests) {
          const hash = sha256(hexToBytes(`0x${t.msg}`));
          const { r, s } = parseDER(hexToBytes(`0x${t.sig}`));
          const found = [0, 1].filter((recovery) => bytesToHex(recoverPublicKey(hash, { r, s, recovery }, { allowHighS: true })) === `0x${g.publicKey}`);
          expect({ tcId: t.tcId, ids: found.length }).toEqual({ tcId: t.tcId, ids: 1 });
          if (s > SECP256K1_N / 2n) {
            const recovery = found[0] as number;
            expect(() => recoverPublicKey(hash, { r, s, recovery })).toThrow(Secp256k1Error);
            expect(bytesToHex(recoverPublicKey(hash, { r, s: SECP256K1_N - s, recovery: recovery ^ 1 }))).toBe(`0x${g.publicKey}`);
          }
          checked++;
        }
      }
      expect(checked).toBe(6);
    });
  });
}
