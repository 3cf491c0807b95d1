/**
 * Loading of `bls-eth-wasm` (herumi bls + mcl compiled to WebAssembly) and the typed slice of its
 * API this backend uses. The package's `.d.ts` omits the ETH-mode switches and the low-level `mod`
 * (wasm exports and stack helpers) needed for custom DSTs, pairings and batch verification.
 */
import { BLSError, BLSErrorCode } from "./errors.ts";

/** A herumi value: its words live in `a_`, copied to and from wasm memory around each call. */
export interface HerumiValue {
  a_: Uint32Array;
  deserialize(bytes: Uint8Array): void;
  serialize(): Uint8Array;
  isZero(): boolean;
}
export interface HerumiSignature extends HerumiValue {
  add(other: HerumiSignature): void;
  serializeUncompressed(): Uint8Array;
  deserializeUncompressed(bytes: Uint8Array): void;
}
export interface HerumiPublicKey extends HerumiValue {
  add(other: HerumiPublicKey): void;
  verify(signature: HerumiSignature, message: Uint8Array): boolean;
}
export interface HerumiSecretKey extends HerumiValue {
  getPublicKey(): HerumiPublicKey;
  sign(message: Uint8Array): HerumiSignature;
}

/** wasm exports (pointer arguments) and stack helpers of the instantiated module. */
export interface HerumiModule {
  readonly wasmMemory: WebAssembly.Memory;
  stackSave(): number;
  stackAlloc(size: number): number;
  stackRestore(pointer: number): void;
  _mclBnG1_neg(out: number, x: number): void;
  _mclBnG1_clear(x: number): void;
  _mclBnG1_add(out: number, x: number, y: number): void;
  _mclBnG1_isZero(x: number): number;
  _mclBnG2_clear(x: number): void;
  _mclBnG2_add(out: number, x: number, y: number): void;
  _mclBnG2_isValidOrder(x: number): number;
  _blsVerify(sig: number, pub: number, msg: number, msgSize: number): number;
  _mclBnG2_hashAndMapToWithDst(out: number, msg: number, msgSize: number, dst: number, dstSize: number): number;
  _mclBnG2_mulCT(out: number, x: number, scalar: number): void;
  _mclBn_millerLoopVec(out: number, g1s: number, g2s: number, n: number): void;
  _mclBn_finalExp(out: number, x: number): void;
  _mclBnGT_setInt32(out: number, v: number): void;
  _mclBnGT_mul(out: number, x: number, y: number): void;
  _mclBnGT_isOne(x: number): number;
  _blsMultiVerify(sigs: number, pubs: number, msgs: number, msgSize: number, rands: number, randSize: number, n: number, threads: number): number;
}

/** The `bls-eth-wasm` module object after `init`. */
export interface HerumiLib {
  BLS12_381: number;
  ETH_MODE_DRAFT_07: number;
  init(curve: number): Promise<void>;
  setETHmode(mode: number): void;
  verifyPublicKeyOrder(check: boolean): void;
  verifySignatureOrder(check: boolean): void;
  getGeneratorOfPublicKey(): HerumiPublicKey;
  SecretKey: new () => HerumiSecretKey;
  PublicKey: new () => HerumiPublicKey;
  Signature: new () => HerumiSignature;
  mod: HerumiModule;
}

/**
 * Import and initialise herumi for the Ethereum ciphersuite: BLS12-381, hash-to-curve of draft 07
 * (RFC 9380 `BLS12381G2_XMD:SHA-256_SSWU_RO_` with the `_POP_` signature DST), and subgroup checks
 * on every public key and signature deserialization.
 * @throws {BLSError} BACKEND_UNAVAILABLE when WebAssembly instantiation fails.
 */
export async function loadHerumi(): Promise<HerumiLib> {
  try {
    const mod = (await import("bls-eth-wasm")) as unknown as { default?: HerumiLib } & HerumiLib;
    const lib = mod.default ?? mod;
    await lib.init(lib.BLS12_381);
    lib.setETHmode(lib.ETH_MODE_DRAFT_07);
    lib.verifyPublicKeyOrder(true);
    lib.verifySignatureOrder(true);
    return lib;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new BLSError({ code: BLSErrorCode.BACKEND_UNAVAILABLE, backend: "wasm", reason }, `wasm BLS unavailable: ${reason}`, { cause: e });
  }
}
