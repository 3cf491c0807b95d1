/**
 * EIP-2335 keystores (version 4) for BLS12-381 secret keys: KDF (scrypt or PBKDF2-HMAC-SHA256) on the
 * NFKD-normalized, control-stripped passphrase; checksum = sha256(derivedKey[16..32] ‖ cipher.message);
 * AES-128-CTR under derivedKey[0..16]. `pubkey` is derived with our BLS layer.
 * https://eips.ethereum.org/EIPS/eip-2335
 */
import { sha256 } from "../hash.ts";
import { createBLS } from "../bls/index.ts";
import type { BLS } from "../bls/types.ts";
import { concatBytes } from "../../util/bytes.ts";
import { KeystoreError, KeystoreErrorCode, malformed, unsupported, wrongPassphrase } from "./errors.ts";
import { KDF_STANDARD, aes128ctr, buildKdfParams, constantTimeEqual, deriveKey, hexField, parseKdfParams, randomBytes, toHex } from "./_kdf.ts";
import { keystoreObject, objectField } from "./_json.ts";
import { normalizeEIP2335Passphrase } from "./passphrase.ts";
import type { BLSKeystore, EncryptOptions } from "./types.ts";

/** Options of {@link encryptBLSKeystore}. */
export interface BLSEncryptOptions extends EncryptOptions {
  /** BLS implementation that derives `pubkey`; `createBLS()` when omitted. */
  bls?: BLS;
  /** EIP-2334 path the key was derived at; "" (default) when it was not. */
  path?: string;
  description?: string;
}

/**
 * Encrypt a 32-byte BLS secret key into an EIP-2335 keystore.
 * @throws {BLSError} INVALID_SECRET_KEY when `secretKey` is not a BLS secret key;
 * {RangeError} for a bad IV or KDF options.
 */
export async function encryptBLSKeystore(secretKey: Uint8Array, passphrase: string, opts: BLSEncryptOptions = {}): Promise<BLSKeystore> {
  const bls = opts.bls ?? (await createBLS());
  const pubkey = bls.secretToPublic(secretKey);
  const iv = opts.iv ?? randomBytes(16);
  if (iv.length !== 16) throw new RangeError(`iv must be 16 bytes, got ${iv.length}`);
  const kdf = buildKdfParams(opts.kdf ?? KDF_STANDARD, opts.salt ?? randomBytes(32));
  const dk = await deriveKey(kdf, normalizeEIP2335Passphrase(passphrase));
  const cipherMessage = await aes128ctr(dk.subarray(0, 16), iv, secretKey);
  const checksum = sha256(concatBytes(dk.subarray(16, 32), cipherMessage));
  const ks: BLSKeystore = {
    crypto: {
      kdf: kdf.function === "scrypt" ? { function: "scrypt", params: kdf.params, message: "" } : { function: "pbkdf2", params: kdf.params, message: "" },
      checksum: { function: "sha256", params: {}, message: toHex(checksum) },
      cipher: { function: "aes-128-ctr", params: { iv: toHex(iv) }, message: toHex(cipherMessage) },
    },
    pubkey: toHex(pubkey),
    path: opts.path ?? "",
    uuid: opts.uuid ?? crypto.randomUUID(),
    version: 4,
  };
  if (opts.description !== undefined) ks.description = opts.description;
  return ks;
}

/**
 * Check the structure of an EIP-2335 keystore (object or JSON text) without decrypting it.
 * @throws {KeystoreError} MALFORMED or UNSUPPORTED.
 */
export function parseBLSKeystore(json: unknown): BLSKeystore {
  const o = keystoreObject(json);
  if (o.version !== 4) throw o.version === undefined ? malformed("version", "is missing") : unsupported("version", o.version);
  const c = objectField(o, "crypto", "crypto");
  const kdfModule = objectField(c, "kdf", "crypto.kdf");
  const checksum = objectField(c, "checksum", "crypto.checksum");
  const cipher = objectField(c, "cipher", "crypto.cipher");
  const kdf = parseKdfParams(kdfModule.function, kdfModule.params, { fn: "crypto.kdf.function", params: "crypto.kdf.params" });
  if (checksum.function !== "sha256") throw unsupported("crypto.checksum.function", checksum.function);
  hexField(checksum.message, "crypto.checksum.message", 32);
  if (cipher.function !== "aes-128-ctr") throw unsupported("crypto.cipher.function", cipher.function);
  const cipherParams = objectField(cipher, "params", "crypto.cipher.params");
  hexField(cipherParams.iv, "crypto.cipher.params.iv", 16);
  hexField(cipher.message, "crypto.cipher.message", 32);
  hexField(o.pubkey, "pubkey", 48);
  if (typeof o.path !== "string") throw malformed("path", "must be a string");
  if (typeof o.uuid !== "string") throw malformed("uuid", "must be a string");
  if (o.description !== undefined && typeof o.description !== "string") throw malformed("description", "must be a string");
  const ks: BLSKeystore = {
    crypto: {
      kdf: kdf.function === "scrypt" ? { function: "scrypt", params: kdf.params, message: "" } : { function: "pbkdf2", params: kdf.params, message: "" },
      checksum: { function: "sha256", params: {}, message: checksum.message as string },
      cipher: { function: "aes-128-ctr", params: { iv: cipherParams.iv as string }, message: cipher.message as string },
    },
    pubkey: (o.pubkey as string).replace(/^0x/, "").toLowerCase(),
    path: o.path,
    uuid: o.uuid,
    version: 4,
  };
  if (typeof o.description === "string") ks.description = o.description;
  return ks;
}

/**
 * Decrypt an EIP-2335 keystore to its 32-byte secret. With `opts.bls`, also checks that `pubkey` is
 * the public key of the decrypted secret.
 * @throws {KeystoreError} WRONG_PASSPHRASE, MALFORMED, UNSUPPORTED, or MISMATCH.
 */
export async function decryptBLSKeystore(json: unknown, passphrase: string, opts: { bls?: BLS } = {}): Promise<Uint8Array> {
  const ks = parseBLSKeystore(json);
  const dk = await deriveKey(ks.crypto.kdf, normalizeEIP2335Passphrase(passphrase));
  const cipherMessage = hexField(ks.crypto.cipher.message, "crypto.cipher.message");
  const checksum = sha256(concatBytes(dk.subarray(16, 32), cipherMessage));
  if (!constantTimeEqual(checksum, hexField(ks.crypto.checksum.message, "crypto.checksum.message"))) throw wrongPassphrase(ks.uuid);
  const secret = await aes128ctr(dk.subarray(0, 16), hexField(ks.crypto.cipher.params.iv, "iv"), cipherMessage);
  if (opts.bls) {
    let derived: string;
    try {
      derived = toHex(opts.bls.secretToPublic(secret));
    } catch (e) {
      throw malformed("crypto.cipher.message", `decrypts to a value that is not a BLS secret key (${e instanceof Error ? e.message : String(e)})`);
    }
    if (derived !== ks.pubkey) {
      throw new KeystoreError(
        { code: KeystoreErrorCode.MISMATCH, field: "pubkey", stored: ks.pubkey, derived },
        `keystore ${ks.uuid}: stored pubkey ${ks.pubkey} is not the public key of the decrypted secret (${derived})`,
      );
    }
  }
  return secret;
}
