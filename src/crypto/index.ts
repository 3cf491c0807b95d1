/**
 * The crypto layer (DESIGN §2): hashing, secp256k1 account keys and addresses (`0x…` EIP-55 and
 * Harmony's bech32 `one1…`), BLS12-381 (native and wasm backends behind one interface), and encrypted
 * keystores (Web3 Secret Storage v3 for accounts, EIP-2335 for BLS keys). Imports nothing of ours
 * but `util`.
 * @module
 */
export { getKeccakBackend, keccak256, setKeccakBackend, sha256 } from "./hash.ts";
export type { KeccakBackendName } from "./hash.ts";
export { createSecp256k1, getSecp256k1Backend, nobleSecp256k1, parseSecp256k1BackendName, useSecp256k1Backend } from "./secp256k1Backend.ts";
export type { Secp256k1Backend, Secp256k1BackendName } from "./secp256k1Backend.ts";
export {
  SECP256K1_N,
  Secp256k1Error,
  Secp256k1ErrorCode,
  decodeSignature,
  encodeSignature,
  generatePrivateKey,
  isHighS,
  isValidPrivateKey,
  privateKeyToPublicKey,
  publicKeyToUncompressed,
  recoverPublicKey,
  signHash,
  verifySignature,
} from "./secp256k1.ts";
export type { ECDSASignature, Secp256k1ErrorType } from "./secp256k1.ts";
export { ADDRESS_LENGTH, isValidAddress, parseAddress, privateKeyToAddress, publicKeyToAddress, toChecksumAddress } from "./address.ts";
export {
  HARMONY_HRP,
  addressToBech32,
  bech32Decode,
  bech32Encode,
  bech32ToAddress,
  convertBits,
  isBech32Address,
  parseAnyAddress,
} from "./bech32.ts";
export {
  BLSError,
  BLSErrorCode,
  G2_POINT_AT_INFINITY,
  POP_DST,
  PUBLIC_KEY_LENGTH,
  SECRET_KEY_LENGTH,
  SIGNATURE_DST,
  SIGNATURE_LENGTH,
  aggregateSecretKeys,
  createBLS,
  ethAggregatePublicKeys,
  ethFastAggregateVerify,
} from "./bls/index.ts";
export type { AggregateCheck, BLS, BLSBackendName, BLSCacheStats, BLSErrorType, SignatureSet } from "./bls/index.ts";
export {
  KDF_LIGHT,
  KDF_STANDARD,
  KeystoreError,
  KeystoreErrorCode,
  decryptAccountKeystore,
  decryptBLSKeystore,
  encodeV3Passphrase,
  encryptAccountKeystore,
  encryptBLSKeystore,
  getKeystoreKind,
  normalizeEIP2335Passphrase,
  parseAccountKeystore,
  parseBLSKeystore,
} from "./keystore/index.ts";
export type {
  AccountKeystore,
  BLSEncryptOptions,
  BLSKeystore,
  EncryptOptions,
  KdfOptions,
  KdfParams,
  KeystoreErrorType,
  KeystoreKind,
  Pbkdf2Params,
  ScryptParams,
} from "./keystore/index.ts";
