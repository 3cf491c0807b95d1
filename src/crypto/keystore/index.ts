/**
 * Encrypted key files: Web3 Secret Storage v3 for secp256k1 account keys and EIP-2335 for BLS keys.
 * Pure (no file system): functions take and return JSON values; the CLI reads and writes the files.
 * @module
 */
export { decryptAccountKeystore, encryptAccountKeystore, parseAccountKeystore } from "./accountKeystore.ts";
export { decryptBLSKeystore, encryptBLSKeystore, parseBLSKeystore } from "./blsKeystore.ts";
export type { BLSEncryptOptions } from "./blsKeystore.ts";
export { getKeystoreKind } from "./keystoreKind.ts";
export type { KeystoreKind } from "./keystoreKind.ts";
export { KeystoreError, KeystoreErrorCode } from "./errors.ts";
export type { KeystoreErrorType } from "./errors.ts";
export { encodeV3Passphrase, normalizeEIP2335Passphrase } from "./passphrase.ts";
export { KDF_LIGHT, KDF_STANDARD } from "./_kdf.ts";
export type { AccountKeystore, BLSKeystore, EncryptOptions, KdfOptions, KdfParams, Pbkdf2Params, ScryptParams } from "./types.ts";
