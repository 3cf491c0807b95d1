/**
 * Web3 Secret Storage Definition v3 for secp256k1 account keys (the format of geth, ethers and Harmony's
 * `hmy keys`): KDF (scrypt or PBKDF2-HMAC-SHA256) → 32-byte derived key; AES-128-CTR under its first
 * 16 bytes; MAC = keccak256(derivedKey[16..32] ‖ ciphertext).
 * https://ethereum.org/en/developers/docs/data-structures-and-encoding/web3-secret-storage/
 */
import { keccak256 } from "../hash.ts";
import { isValidPrivateKey } from "../secp256k1.ts";
import { privateKeyToAddress } from "../address.ts";
import { concatBytes } from "../../util/bytes.ts";
import { KeystoreError, KeystoreErrorCode, malformed, unsupported, wrongPassphrase } from "./errors.ts";
import { KDF_STANDARD, aes128ctr, buildKdfParams, constantTimeEqual, deriveKey, hexField, parseKdfParams, randomBytes, toHex } from "./_kdf.ts";
import { encodeV3Passphrase } from "./passphrase.ts";
import { keystoreObject, objectField } from "./_json.ts";
import type { AccountKeystore, EncryptOptions, KdfParams } from "./types.ts";

function ivOf(opts: EncryptOptions): Uint8Array {
  const iv = opts.iv ?? randomBytes(16);
  if (iv.length !== 16) throw new RangeError(`iv must be 16 bytes, got ${iv.length}`);
  return iv;
}

/**
 * Encrypt a secp256k1 private key into a v3 keystore (with its `address`).
 * @throws {TypeError|RangeError} for an invalid private key, IV or KDF options.
 */
export async function encryptAccountKeystore(privateKey: Uint8Array, passphrase: string, opts: EncryptOptions = {}): Promise<AccountKeystore> {
  if (!isValidPrivateKey(privateKey)) throw new RangeError("private key must be 32 bytes in [1, n-1]");
  const password = encodeV3Passphrase(passphrase);
  const iv = ivOf(opts);
  const kdf = buildKdfParams(opts.kdf ?? KDF_STANDARD, opts.salt ?? randomBytes(32));
  const dk = await deriveKey(kdf, password);
  const ciphertext = await aes128ctr(dk.subarray(0, 16), iv, privateKey);
  const mac = keccak256(concatBytes(dk.subarray(16, 32), ciphertext));
  return {
    address: toHex(privateKeyToAddress(privateKey)),
    crypto: {
      cipher: "aes-128-ctr",
      ciphertext: toHex(ciphertext),
      cipherparams: { iv: toHex(iv) },
      kdf: kdf.function,
      kdfparams: kdf.params,
      mac: toHex(mac),
    },
    id: opts.uuid ?? crypto.randomUUID(),
    version: 3,
  };
}

/**
 * Check the structure of a v3 keystore (object or JSON text) without decrypting it.
 * @throws {KeystoreError} MALFORMED or UNSUPPORTED.
 */
export function parseAccountKeystore(json: unknown): AccountKeystore {
  const o = keystoreObject(json);
  if (o.version !== 3) throw o.version === undefined ? malformed("version", "is missing") : unsupported("version", o.version);
  // Early geth wrote "Crypto"; ethers and geth still read both.
  const c = objectField(o, o.crypto === undefined && o.Crypto !== undefined ? "Crypto" : "crypto", "crypto");
  if (c.cipher !== "aes-128-ctr") throw unsupported("crypto.cipher", c.cipher);
  const cp = objectField(c, "cipherparams", "crypto.cipherparams");
  hexField(cp.iv, "crypto.cipherparams.iv", 16);
  const ct = hexField(c.ciphertext, "crypto.ciphertext");
  if (ct.length === 0 || ct.length > 32) throw malformed("crypto.ciphertext", `must be 1..32 bytes, got ${ct.length}`);
  hexField(c.mac, "crypto.mac", 32);
  const kdf: KdfParams = parseKdfParams(c.kdf, c.kdfparams, { fn: "crypto.kdf", params: "crypto.kdfparams" });
  if (o.address !== undefined) hexField(o.address, "address", 20);
  if (typeof o.id !== "string") throw malformed("id", "must be a string");
  const out: AccountKeystore = {
    crypto: {
      cipher: "aes-128-ctr",
      ciphertext: c.ciphertext as string,
      cipherparams: { iv: cp.iv as string },
      kdf: kdf.function,
      kdfparams: kdf.params,
      mac: c.mac as string,
    },
    id: o.id,
    version: 3,
  };
  if (typeof o.address === "string") out.address = o.address;
  return out;
}

/**
 * Decrypt a v3 keystore to its 32-byte private key. A shorter plaintext (keys written by old tools
 * without leading zeros, go-ethereum's 30/31-byte vectors) is left-padded.
 * @throws {KeystoreError} WRONG_PASSPHRASE, MALFORMED, UNSUPPORTED, or MISMATCH when `address` is not
 * the decrypted key's.
 */
export async function decryptAccountKeystore(json: unknown, passphrase: string): Promise<Uint8Array> {
  const ks = parseAccountKeystore(json);
  const kdf = { function: ks.crypto.kdf, params: ks.crypto.kdfparams } as KdfParams;
  const dk = await deriveKey(kdf, encodeV3Passphrase(passphrase));
  const ciphertext = hexField(ks.crypto.ciphertext, "crypto.ciphertext");
  const mac = keccak256(concatBytes(dk.subarray(16, 32), ciphertext));
  if (!constantTimeEqual(mac, hexField(ks.crypto.mac, "crypto.mac"))) throw wrongPassphrase(ks.id);
  const plain = await aes128ctr(dk.subarray(0, 16), hexField(ks.crypto.cipherparams.iv, "iv"), ciphertext);
  const sk = new Uint8Array(32);
  sk.set(plain, 32 - plain.length);
  if (!isValidPrivateKey(sk)) throw malformed("crypto.ciphertext", "decrypts to a value that is not a secp256k1 private key");
  if (ks.address !== undefined) {
    const derived = toHex(privateKeyToAddress(sk));
    const stored = ks.address.replace(/^0x/, "").toLowerCase();
    if (derived !== stored) {
      throw new KeystoreError(
        { code: KeystoreErrorCode.MISMATCH, field: "address", stored, derived },
        `keystore ${ks.id}: stored address ${stored} is not the address of the decrypted key (${derived})`,
      );
    }
  }
  return sk;
}
