// Keystores: the published vectors of EIP-2335 ("Test Cases") and of the Web3 Secret Storage Definition
// (via go-ethereum's testdata) decrypt to their published secrets and re-encrypt byte for byte; round
// trips for both kinds; typed errors for a wrong passphrase and malformed files.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  KDF_LIGHT,
  KeystoreError,
  KeystoreErrorCode,
  decryptAccountKeystore,
  decryptBLSKeystore,
  encryptAccountKeystore,
  encryptBLSKeystore,
  getKeystoreKind,
  normalizeEIP2335Passphrase,
  parseAccountKeystore,
  parseBLSKeystore,
} from "../../../src/crypto/keystore/index.ts";
import type { BLSKeystore, ScryptParams } from "../../../src/crypto/keystore/index.ts";
import { BLSError, createBLS } from "../../../src/crypto/bls/index.ts";
import { generatePrivateKey } from "../../../src/crypto/secp256k1.ts";
import { privateKeyToAddress } from "../../../src/crypto/address.ts";
import { NodeError } from "../../../src/util/errors.ts";
import { bytesToHex, hexToBytes } from "../../../src/util/bytes.ts";

const DIR = resolve(import.meta.dir, "../../vectors/keystore");
const read = (f: string) => readFileSync(join(DIR, f), "utf8");
const cases = JSON.parse(read("cases.json")) as {
  bls: { file: string; password: string; encodedPassword: string; secret: string }[];
};
const gethV3 = JSON.parse(read("geth-v3_test_vector.json")) as Record<string, { json: unknown; password: string; priv: string }>;
const SLOW = 60_000;

async function rejection(p: Promise<unknown>): Promise<KeystoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KeystoreError);
    expect(e).toBeInstanceOf(NodeError);
    return e as KeystoreError;
  }
  throw new Error("expected a KeystoreError");
}

function thrown(fn: () => unknown): KeystoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeystoreError);
    return e as KeystoreError;
  }
  throw new Error("expected a KeystoreError");
}

describe("EIP-2335 password requirements", () => {
  test("the vectors' password encodes to the published bytes", () => {
    for (const c of cases.bls) expect(bytesToHex(normalizeEIP2335Passphrase(c.password))).toBe(`0x${c.encodedPassword}`);
  });
  test("C0, DEL and C1 control codes are stripped; space stays; NFKD applied", () => {
    expect(new TextDecoder().decode(normalizeEIP2335Passphrase("a\u0000b\u001fc\u007fd\u0080e\u009ff g"))).toBe("abcdef g");
    expect(normalizeEIP2335Passphrase("\u00e9")).toEqual(normalizeEIP2335Passphrase("e\u0301")); // é → e + ◌́
    expect(normalizeEIP2335Passphrase("\ufb01")).toEqual(new TextEncoder().encode("fi")); // ligature → "fi"
  });
});

describe("EIP-2335 test vectors", () => {
  for (const c of cases.bls) {
    test(
      `${c.file}: decrypts to the published secret; pubkey matches our BLS layer (both backends)`,
      async () => {
        const json = read(c.file);
        expect(getKeystoreKind(json)).toBe("bls");
        const wasm = await createBLS("wasm");
        const secret = await decryptBLSKeystore(json, c.password, { bls: wasm });
        expect(bytesToHex(secret)).toBe(`0x${c.secret}`);
        const ks = parseBLSKeystore(json);
        expect(bytesToHex(wasm.secretToPublic(secret))).toBe(`0x${ks.pubkey}`);
        const native = await createBLS("auto");
        expect(bytesToHex(native.secretToPublic(secret))).toBe(`0x${ks.pubkey}`);
      },
      SLOW,
    );

    test(
      `${c.file}: re-encrypting with its salt, IV and parameters reproduces the file`,
      async () => {
        const published = JSON.parse(read(c.file)) as BLSKeystore;
        const kdf = published.crypto.kdf;
        const ks = await encryptBLSKeystore(hexToBytes(c.secret), c.password, {
          kdf: kdf.function === "scrypt" ? { kdf: "scrypt", n: kdf.params.n, r: kdf.params.r, p: kdf.params.p } : { kdf: "pbkdf2", c: kdf.params.c },
          salt: hexToBytes(kdf.params.salt),
          iv: hexToBytes(published.crypto.cipher.params.iv),
          uuid: published.uuid,
          path: published.path,
          ...(published.description !== undefined ? { description: published.description } : {}),
        });
        expect(ks).toEqual(published);
      },
      SLOW,
    );
  }

  test(
    "a wrong passphrase is KEYSTORE_WRONG_PASSPHRASE with a clear message",
    async () => {
      const e = await rejection(decryptBLSKeystore(read("eip2335-pbkdf2.json"), "testpassword"));
      expect(e.code).toBe(KeystoreErrorCode.WRONG_PASSPHRASE);
      expect(e.message).toContain("wrong passphrase");
      expect(e.toObject()).toMatchObject({ code: "KEYSTORE_WRONG_PASSPHRASE", id: "64625def-3331-4eea-ab6f-782f3ed16a83" });
    },
    SLOW,
  );
});

describe("Web3 Secret Storage v3 test vectors (go-ethereum testdata)", () => {
  for (const [name, v] of Object.entries(gethV3)) {
    test(
      `${name}: decrypts to the published private key`,
      async () => {
        expect(getKeystoreKind(v.json)).toBe("account");
        const sk = await decryptAccountKeystore(v.json, v.password);
        expect(sk.length).toBe(32);
        expect(bytesToHex(sk)).toBe(`0x${v.priv.padStart(64, "0")}`);
      },
      SLOW,
    );
  }

  test(
    "the wiki PBKDF2 vector re-encrypts byte for byte",
    async () => {
      const v = gethV3.wikipage_test_vector_pbkdf2 as { json: ReturnType<typeof parseAccountKeystore>; priv: string; password: string };
      const ks = await encryptAccountKeystore(hexToBytes(v.priv), v.password, {
        kdf: { kdf: "pbkdf2", c: 262144 },
        salt: hexToBytes(v.json.crypto.kdfparams.salt),
        iv: hexToBytes(v.json.crypto.cipherparams.iv),
        uuid: v.json.id,
      });
      expect(ks.crypto.ciphertext).toBe(v.json.crypto.ciphertext);
      expect(ks.crypto.mac).toBe(v.json.crypto.mac);
      expect(ks.address).toBe(bytesToHex(privateKeyToAddress(hexToBytes(v.priv))).slice(2));
    },
    SLOW,
  );

  test("very-light-scrypt.json: empty password, stored address checked", async () => {
    const sk = await decryptAccountKeystore(read("geth-very-light-scrypt.json"), "");
    expect(bytesToHex(privateKeyToAddress(sk))).toBe("0x45dea0fb0bba44f4fcf290bba71fd57d7117cbb8");
    const e = await rejection(decryptAccountKeystore(read("geth-very-light-scrypt.json"), "x"));
    expect(e.code).toBe(KeystoreErrorCode.WRONG_PASSPHRASE);
  });
});

describe("round trips", () => {
  test("account keystore, scrypt (light) and pbkdf2", async () => {
    for (const kdf of [KDF_LIGHT, { kdf: "pbkdf2" as const, c: 1000 }]) {
      const sk = generatePrivateKey();
      const ks = await encryptAccountKeystore(sk, "correct horse", { kdf });
      expect(ks.version).toBe(3);
      expect(ks.crypto.kdf).toBe(kdf.kdf);
      expect(ks.address).toBe(bytesToHex(privateKeyToAddress(sk)).slice(2));
      const text = JSON.stringify(ks);
      expect(await decryptAccountKeystore(text, "correct horse")).toEqual(sk);
      expect((await rejection(decryptAccountKeystore(text, "correct horse "))).code).toBe(KeystoreErrorCode.WRONG_PASSPHRASE);
    }
  });

  test("BLS keystore, scrypt (light) and pbkdf2, pubkey from createBLS", async () => {
    const bls = await createBLS();
    for (const kdf of [KDF_LIGHT, { kdf: "pbkdf2" as const, c: 1000 }]) {
      const sk = bls.keygen();
      const ks = await encryptBLSKeystore(sk, "pässwörd\u0007", { kdf, bls, path: "m/12381/1666/0/0" });
      expect(ks.version).toBe(4);
      expect(ks.pubkey).toBe(bytesToHex(bls.secretToPublic(sk)).slice(2));
      expect(ks.pubkey).toMatch(/^[0-9a-f]{96}$/);
      expect(ks.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // control codes are stripped and NFKD applied, so these spell the same password
      expect(await decryptBLSKeystore(JSON.stringify(ks), "pa\u0308sswo\u0308rd", { bls })).toEqual(sk);
      expect((await rejection(decryptBLSKeystore(ks, "passwort"))).code).toBe(KeystoreErrorCode.WRONG_PASSPHRASE);
    }
  });

  test("the default BLS for encryption is createBLS()", async () => {
    const bls = await createBLS();
    const sk = bls.keygen();
    const ks = await encryptBLSKeystore(sk, "", { kdf: KDF_LIGHT });
    expect(ks.pubkey).toBe(bytesToHex(bls.secretToPublic(sk)).slice(2));
  });

  test("bad arguments to encrypt are RangeErrors (or BLSError for a bad BLS secret)", async () => {
    await expect(encryptAccountKeystore(new Uint8Array(32), "x", { kdf: KDF_LIGHT })).rejects.toThrow(RangeError);
    await expect(encryptAccountKeystore(generatePrivateKey(), "x", { kdf: { kdf: "scrypt", n: 1000 } })).rejects.toThrow(RangeError);
    await expect(encryptAccountKeystore(generatePrivateKey(), "x", { kdf: KDF_LIGHT, iv: new Uint8Array(8) })).rejects.toThrow(RangeError);
    await expect(encryptBLSKeystore(new Uint8Array(32), "x", { kdf: KDF_LIGHT })).rejects.toBeInstanceOf(BLSError);
  });
});

describe("malformed and tampered files", () => {
  const base = () => JSON.parse(read("geth-very-light-scrypt.json")) as Record<string, any>;

  test("not JSON, not an object, no crypto, wrong version", () => {
    expect(thrown(() => parseAccountKeystore("{not json")).code).toBe(KeystoreErrorCode.MALFORMED);
    expect(thrown(() => parseAccountKeystore("[]")).code).toBe(KeystoreErrorCode.MALFORMED);
    const noCrypto = base();
    delete noCrypto.crypto;
    expect(thrown(() => parseAccountKeystore(noCrypto)).type).toMatchObject({ code: KeystoreErrorCode.MALFORMED, field: "crypto" });
    expect(thrown(() => parseAccountKeystore({ ...base(), version: 1 })).code).toBe(KeystoreErrorCode.UNSUPPORTED);
    expect(thrown(() => getKeystoreKind({ version: 7 })).code).toBe(KeystoreErrorCode.UNSUPPORTED);
    expect(thrown(() => parseBLSKeystore(read("geth-very-light-scrypt.json"))).code).toBe(KeystoreErrorCode.UNSUPPORTED);
  });

  test("bad fields name themselves", () => {
    const badIv = base();
    badIv.crypto.cipherparams.iv = "00";
    expect(thrown(() => parseAccountKeystore(badIv)).type).toMatchObject({ field: "crypto.cipherparams.iv" });
    const badKdf = base();
    badKdf.crypto.kdf = "argon2id";
    expect(thrown(() => parseAccountKeystore(badKdf)).type).toMatchObject({ code: KeystoreErrorCode.UNSUPPORTED, field: "crypto.kdf" });
    const badCipher = base();
    badCipher.crypto.cipher = "aes-128-cbc";
    expect(thrown(() => parseAccountKeystore(badCipher)).code).toBe(KeystoreErrorCode.UNSUPPORTED);
    const notHex = base();
    notHex.crypto.mac = "zz";
    expect(thrown(() => parseAccountKeystore(notHex)).code).toBe(KeystoreErrorCode.MALFORMED);
    const bls = JSON.parse(read("eip2335-scrypt.json"));
    bls.crypto.checksum.function = "keccak256";
    expect(thrown(() => parseBLSKeystore(bls)).type).toMatchObject({ field: "crypto.checksum.function" });
    const noPub = JSON.parse(read("eip2335-scrypt.json"));
    delete noPub.pubkey;
    expect(thrown(() => parseBLSKeystore(noPub)).type).toMatchObject({ code: KeystoreErrorCode.MALFORMED, field: "pubkey" });
  });

  test("hostile KDF costs are refused before any work", () => {
    const huge = base();
    (huge.crypto.kdfparams as ScryptParams).n = 2 ** 24;
    expect(thrown(() => parseAccountKeystore(huge)).code).toBe(KeystoreErrorCode.UNSUPPORTED);
    const notPow2 = base();
    (notPow2.crypto.kdfparams as ScryptParams).n = 3;
    expect(thrown(() => parseAccountKeystore(notPow2)).code).toBe(KeystoreErrorCode.MALFORMED);
    const pb = JSON.parse(read("eip2335-pbkdf2.json"));
    pb.crypto.kdf.params.c = 2 ** 40;
    expect(thrown(() => parseBLSKeystore(pb)).code).toBe(KeystoreErrorCode.UNSUPPORTED);
  });

  test("a tampered ciphertext fails the MAC; a swapped address is a MISMATCH", async () => {
    const t = base();
    t.crypto.ciphertext = `00${(t.crypto.ciphertext as string).slice(2)}`;
    expect((await rejection(decryptAccountKeystore(t, ""))).code).toBe(KeystoreErrorCode.WRONG_PASSPHRASE);
    const a = base();
    a.address = "15a128e599b74842bccba860311efa92991bffb5";
    const e = await rejection(decryptAccountKeystore(a, ""));
    expect(e.type).toMatchObject({ code: KeystoreErrorCode.MISMATCH, field: "address", stored: a.address });
  });

  test("a BLS pubkey that is not the secret's is a MISMATCH when checked", async () => {
    const bls = await createBLS();
    const ks = await encryptBLSKeystore(bls.keygen(), "pw", { kdf: KDF_LIGHT, bls });
    ks.pubkey = bytesToHex(bls.secretToPublic(bls.keygen())).slice(2);
    expect(await decryptBLSKeystore(ks, "pw")).toHaveLength(32);
    expect((await rejection(decryptBLSKeystore(ks, "pw", { bls }))).code).toBe(KeystoreErrorCode.MISMATCH);
  });
});
