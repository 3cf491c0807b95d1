/** JSON shapes of the two keystore formats and the options for writing them. */

/** scrypt parameters (RFC 7914) as stored in both formats; `salt` is hex. */
export interface ScryptParams {
  dklen: number;
  n: number;
  r: number;
  p: number;
  salt: string;
}

/** PBKDF2-HMAC-SHA256 parameters (RFC 2898) as stored in both formats; `salt` is hex. */
export interface Pbkdf2Params {
  dklen: number;
  c: number;
  prf: "hmac-sha256";
  salt: string;
}

/** A key-derivation function with its parameters. */
export type KdfParams = { function: "scrypt"; params: ScryptParams } | { function: "pbkdf2"; params: Pbkdf2Params };

/** Which KDF to use when encrypting, and its cost. Omitted costs take the {@link KDF_STANDARD} values. */
export type KdfOptions = { kdf: "scrypt"; n?: number; r?: number; p?: number } | { kdf: "pbkdf2"; c?: number };

/** Options for encrypting either kind of keystore. Salt, IV and UUID are random unless given (tests). */
export interface EncryptOptions {
  kdf?: KdfOptions;
  /** 32 bytes by default. */
  salt?: Uint8Array;
  /** 16 bytes. */
  iv?: Uint8Array;
  uuid?: string;
}

/** Web3 Secret Storage Definition, version 3 (secp256k1 account keys; geth, ethers, Harmony `hmy`). */
export interface AccountKeystore {
  version: 3;
  id: string;
  /** Lowercase hex address without `0x`; optional in the spec, always written by us. */
  address?: string;
  crypto: {
    cipher: "aes-128-ctr";
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: "scrypt" | "pbkdf2";
    kdfparams: ScryptParams | Pbkdf2Params;
    /** keccak256(derivedKey[16..32] ‖ ciphertext), hex. */
    mac: string;
  };
}

/** EIP-2335 keystore, version 4 (BLS12-381 secret keys). */
export interface BLSKeystore {
  version: 4;
  uuid: string;
  /** EIP-2334 derivation path, or "" when the key was not derived from a seed. */
  path: string;
  /** Compressed 48-byte G1 public key, hex without `0x`. */
  pubkey: string;
  description?: string;
  crypto: {
    kdf: { function: "scrypt"; params: ScryptParams; message: "" } | { function: "pbkdf2"; params: Pbkdf2Params; message: "" };
    checksum: { function: "sha256"; params: Record<string, never>; message: string };
    cipher: { function: "aes-128-ctr"; params: { iv: string }; message: string };
  };
}
