/**
 * BLS12-381, Ethereum proof-of-possession ciphersuite
 * (BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_): 32-byte secret keys, 48-byte compressed G1 public keys,
 * 96-byte compressed G2 signatures. One interface, two backends (DESIGN §2).
 */

/** Names of the two implementations of {@link BLS}. */
export type BLSBackendName = "native" | "wasm";

/** One (public key, message, signature) triple of a batch verification. */
export interface SignatureSet {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/**
 * One `FastAggregateVerify`: every key in `publicKeys` signed `message` and `signature` is their
 * aggregate (a vote is the case of one key). The shape of the consensus layer's `SignatureCheck`.
 */
export interface AggregateCheck {
  readonly publicKeys: readonly Uint8Array[];
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** Sizes of the point caches of a backend instance. */
export interface BLSCacheOptions {
  /** Decoded public keys kept (a few committees). Default 4096. */
  publicKeys?: number;
  /** Decompressed signatures kept (the votes of recent rounds). Default 2048. */
  signatures?: number;
}

/** Counters of the decoded-point caches and pairing checks of one {@link BLS} instance. */
export interface BLSCacheStats {
  /** Public keys found decoded and subgroup-checked in the cache / decoded now (then cached if valid). */
  publicKeyHits: number;
  publicKeyMisses: number;
  /** Signatures found decompressed in the cache / decompressed now. */
  signatureHits: number;
  signatureMisses: number;
  /** Pairing checks run by {@link BLS.verifyChecks}. */
  pairings: number;
}

/**
 * Every operation takes and returns serialized bytes so the two backends are interchangeable.
 * Verification functions return `false` for any invalid input (bad encoding, point not in subgroup,
 * infinity public key, empty or mismatched lists) and never throw; the rest throw `BLSError` on bad
 * input. A public key is valid when it passes KeyValidate (canonical compressed encoding, on the
 * curve, in G1, not the identity); a signature when it is a canonical compressed G2 point in the
 * subgroup, the identity (`0xc0` then zeros) included. Messages are arbitrary byte strings.
 * Decoded public keys (valid ones only) and recently seen signatures are kept in bounded caches keyed
 * by their exact encoding, so a committee's keys are decompressed and subgroup-checked once.
 */
export interface BLS {
  readonly backend: BLSBackendName;
  /**
   * Derive a secret key from ≥32 bytes of input keying material (EIP-2333 `derive_master_SK`);
   * without `ikm`, 32 random bytes from `crypto.getRandomValues`.
   * @throws {BLSError} INVALID_IKM when `ikm` is shorter than 32 bytes.
   */
  keygen(ikm?: Uint8Array): Uint8Array;
  /** @throws {BLSError} INVALID_SECRET_KEY unless 32 bytes encoding an integer in [1, r). */
  secretToPublic(secretKey: Uint8Array): Uint8Array;
  /** `Sign` of the POP ciphersuite. @throws {BLSError} INVALID_SECRET_KEY. */
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /**
   * `Aggregate` (draft-irtf-cfrg-bls-signature-05 §2.8) on decompressed points; the sum is
   * subgroup-checked, and only when it fails is each signature checked to name the bad one.
   * @throws {BLSError} EMPTY_AGGREGATE on `[]`, INVALID_SIGNATURE with the bad index.
   */
  aggregateSignatures(signatures: Uint8Array[]): Uint8Array;
  /**
   * Sum of public keys, each passing KeyValidate (as `eth_aggregate_pubkeys`).
   * @throws {BLSError} EMPTY_AGGREGATE on `[]`, INVALID_PUBLIC_KEY with the bad index.
   */
  aggregatePublicKeys(publicKeys: Uint8Array[]): Uint8Array;
  /** `FastAggregateVerify`: every key signed `message`; `false` for an empty key list. */
  fastAggregateVerify(publicKeys: Uint8Array[], message: Uint8Array, signature: Uint8Array): boolean;
  /** `AggregateVerify` (POP scheme: messages need not be distinct); `false` for empty lists. */
  aggregateVerify(publicKeys: Uint8Array[], messages: Uint8Array[], signature: Uint8Array): boolean;
  /** True only if every set verifies (random-linear-combination batch check); `false` for `[]`. */
  verifyMultipleSignatures(sets: SignatureSet[]): boolean;
  /**
   * Proof of possession: a signature over the 48-byte public key with the POP domain tag
   * `BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`. @throws {BLSError} INVALID_SECRET_KEY.
   */
  popProve(secretKey: Uint8Array): Uint8Array;
  popVerify(publicKey: Uint8Array, proof: Uint8Array): boolean;
  /**
   * Verdicts on many checks at once, `result[i]` for `checks[i]`, on decoded points: checks over one
   * message are verified as one sum, others as a random-linear-combination batch, and a failed
   * batch is bisected to find the bad ones. Same verdicts as `fastAggregateVerify` on each check,
   * except that a set of signatures whose errors cancel in their sum passes as a set (the sum is
   * then a valid aggregate of the same keys). Never throws.
   */
  verifyChecks(checks: readonly AggregateCheck[]): boolean[];
  /**
   * The uncompressed (192-byte) forms of signatures, from the signature cache where possible; an
   * empty array for a signature that does not decompress. With {@link importSignaturePoints} a
   * verifier on another thread hands the points it decompressed to the thread that aggregates.
   */
  exportSignaturePoints(signatures: readonly Uint8Array[]): Uint8Array[];
  /**
   * Put `points[i]`, the uncompressed form of `signatures[i]` made by {@link exportSignaturePoints}
   * of this process, into the signature cache, so that aggregating them needs no decompression.
   * Only the points' curve equation is checked: callers pass what their own workers exported.
   */
  importSignaturePoints(signatures: readonly Uint8Array[], points: readonly Uint8Array[]): void;
  /** Counters of the point caches (public keys by their 48 bytes, recent signatures by their 96). */
  cacheStats(): BLSCacheStats;
  /** Deserialize with subgroup check (KeyValidate); false when invalid or the identity. */
  isValidPublicKey(publicKey: Uint8Array): boolean;
  /** Deserialize with subgroup check; false when invalid (the identity is valid). */
  isValidSignature(signature: Uint8Array): boolean;
}
