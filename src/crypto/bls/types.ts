/**
 * BLS12-381, Ethereum proof-of-possession ciphersuite
 * (BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_): 32-byte secret keys, 48-byte compressed G1 public keys,
 * 96-byte compressed G2 signatures. One interface, two backends (DESIGN §2).
 */

export type BLSBackendName = "native" | "wasm";

/** One (public key, message, signature) triple of a batch verification. */
export interface SignatureSet {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/**
 * Every operation takes and returns serialized bytes so the two backends are interchangeable.
 * Verification functions return `false` for any invalid input (bad encoding, point not in subgroup,
 * infinity public key) and never throw; the rest throw `BLSError` on bad input.
 */
export interface BLS {
  readonly backend: BLSBackendName;
  /** Derive a secret key from ≥32 bytes of input keying material (EIP-2333 KeyGen). */
  keygen(ikm?: Uint8Array): Uint8Array;
  secretToPublic(secretKey: Uint8Array): Uint8Array;
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  aggregateSignatures(signatures: Uint8Array[]): Uint8Array;
  aggregatePublicKeys(publicKeys: Uint8Array[]): Uint8Array;
  fastAggregateVerify(publicKeys: Uint8Array[], message: Uint8Array, signature: Uint8Array): boolean;
  aggregateVerify(publicKeys: Uint8Array[], messages: Uint8Array[], signature: Uint8Array): boolean;
  /** True only if every set verifies (random-linear-combination batch check). */
  verifyMultipleSignatures(sets: SignatureSet[]): boolean;
  /** Proof of possession: a signature over the public key with the POP domain tag. */
  popProve(secretKey: Uint8Array): Uint8Array;
  popVerify(publicKey: Uint8Array, proof: Uint8Array): boolean;
  /** Deserialize with subgroup check; false when invalid. */
  isValidPublicKey(publicKey: Uint8Array): boolean;
  isValidSignature(signature: Uint8Array): boolean;
}
