/**
 * WebAssembly backend: `bls-eth-wasm` (herumi). Runs wherever WebAssembly does (Bun, Deno, edge).
 * Herumi's own calls cover keys, signing and single verification; aggregate verification, batch
 * verification and proof of possession go through the pairing helpers of `_wasmPairing.ts`.
 */
import { BLSError, BLSErrorCode } from "./errors.ts";
import { classifyEncoding, POP_DST, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, SIGNATURE_DST, SIGNATURE_LENGTH, verifiedOrFalse } from "./_encoding.ts";
import { deriveMasterSecretKey, randomIKM } from "./_keygen.ts";
import type { HerumiPublicKey, HerumiSecretKey, HerumiSignature } from "./_wasmLib.ts";
import { hashToG2, multiVerifySameLength, mulG2, pairingProductIsOne, type WasmContext } from "./_wasmPairing.ts";
import type { BLS, SignatureSet } from "./types.ts";

const SIG_DST = new TextEncoder().encode(SIGNATURE_DST);
const POP_DST_BYTES = new TextEncoder().encode(POP_DST);

/** Build the {@link BLS} interface over an initialised herumi context. */
export function createWasmBLS(ctx: WasmContext): BLS {
  const { lib } = ctx;
  const secretKeyOf = (bytes: Uint8Array): HerumiSecretKey => {
    const sk = new lib.SecretKey();
    try {
      if (bytes.length !== SECRET_KEY_LENGTH) throw new RangeError("secret key must be 32 bytes");
      sk.deserialize(bytes); // rejects values ≥ r
    } catch (e) {
      throw new BLSError({ code: BLSErrorCode.INVALID_SECRET_KEY, length: bytes.length }, undefined, { cause: e });
    }
    if (sk.isZero()) throw new BLSError({ code: BLSErrorCode.INVALID_SECRET_KEY, length: bytes.length });
    return sk;
  };
  // KeyValidate: canonical encoding, on curve, in G1 (herumi checks the order), not the identity.
  const publicKeyOrNull = (bytes: Uint8Array): HerumiPublicKey | null => {
    if (classifyEncoding(bytes, PUBLIC_KEY_LENGTH) !== "point") return null;
    const pk = new lib.PublicKey();
    try {
      pk.deserialize(bytes);
    } catch {
      return null;
    }
    return pk.isZero() ? null : pk;
  };
  // signature_to_point with subgroup check; the identity is a valid signature point.
  const signatureOrNull = (bytes: Uint8Array): HerumiSignature | null => {
    if (classifyEncoding(bytes, SIGNATURE_LENGTH) === "invalid") return null;
    const sig = new lib.Signature();
    try {
      sig.deserialize(bytes);
    } catch {
      return null;
    }
    return sig;
  };
  const publicKeysOrNull = (list: Uint8Array[]): HerumiPublicKey[] | null => {
    const out: HerumiPublicKey[] = [];
    for (const bytes of list) {
      const pk = publicKeyOrNull(bytes);
      if (!pk) return null;
      out.push(pk);
    }
    return out;
  };
  const sumPublicKeys = (pks: HerumiPublicKey[]): HerumiPublicKey => {
    const acc = new lib.PublicKey(); // starts as the identity (all-zero words)
    for (const pk of pks) acc.add(pk);
    return acc;
  };
  const guard = verifiedOrFalse;

  return {
    backend: "wasm",
    keygen: (ikm) => deriveMasterSecretKey(ikm ?? randomIKM()),
    secretToPublic: (sk) => secretKeyOf(sk).getPublicKey().serialize(),
    sign: (sk, message) => secretKeyOf(sk).sign(message).serialize(),
    verify: (publicKey, message, signature) =>
      guard(() => {
        const pk = publicKeyOrNull(publicKey);
        const sig = signatureOrNull(signature);
        return pk !== null && sig !== null && pk.verify(sig, message);
      }),
    aggregateSignatures(signatures) {
      if (signatures.length === 0) throw new BLSError({ code: BLSErrorCode.EMPTY_AGGREGATE, what: "signatures" });
      const acc = new lib.Signature();
      signatures.forEach((bytes, index) => {
        const sig = signatureOrNull(bytes);
        if (!sig) throw new BLSError({ code: BLSErrorCode.INVALID_SIGNATURE, index });
        acc.add(sig);
      });
      return acc.serialize();
    },
    aggregatePublicKeys(publicKeys) {
      if (publicKeys.length === 0) throw new BLSError({ code: BLSErrorCode.EMPTY_AGGREGATE, what: "publicKeys" });
      const pks = publicKeys.map((bytes, index) => {
        const pk = publicKeyOrNull(bytes);
        if (!pk) throw new BLSError({ code: BLSErrorCode.INVALID_PUBLIC_KEY, index });
        return pk;
      });
      return sumPublicKeys(pks).serialize();
    },
    fastAggregateVerify: (publicKeys, message, signature) =>
      guard(() => {
        if (publicKeys.length === 0) return false;
        const pks = publicKeysOrNull(publicKeys);
        const sig = signatureOrNull(signature);
        if (!pks || !sig) return false;
        const aggregate = sumPublicKeys(pks);
        // CoreVerify runs KeyValidate on the aggregate: an identity key (e.g. P + (−P)) fails.
        return !aggregate.isZero() && aggregate.verify(sig, message);
      }),
    aggregateVerify: (publicKeys, messages, signature) =>
      guard(() => {
        if (publicKeys.length === 0 || publicKeys.length !== messages.length) return false;
        const pks = publicKeysOrNull(publicKeys);
        const sig = signatureOrNull(signature);
        if (!pks || !sig) return false;
        // e(−g1, σ) · ∏ e(PKᵢ, H(mᵢ)) = 1; messages may differ in length (herumi's own call needs one size).
        const g1s = [...pks.map((pk) => pk.a_), ctx.negG1Generator];
        const g2s = [...messages.map((m) => hashToG2(ctx, m, SIG_DST)), sig.a_];
        return pairingProductIsOne(ctx, g1s, g2s);
      }),
    verifyMultipleSignatures: (sets: SignatureSet[]) =>
      guard(() => {
        if (sets.length === 0) return false;
        // herumi's multiVerify takes one message size per call: batch each size separately.
        const bySize = new Map<number, { pub: Uint32Array; sig: Uint32Array; msg: Uint8Array }[]>();
        for (const set of sets) {
          const pk = publicKeyOrNull(set.publicKey);
          const sig = signatureOrNull(set.signature);
          if (!pk || !sig) return false;
          const group = bySize.get(set.message.length) ?? [];
          group.push({ pub: pk.a_, sig: sig.a_, msg: set.message });
          bySize.set(set.message.length, group);
        }
        for (const [size, group] of bySize) if (!multiVerifySameLength(ctx, group, size)) return false;
        return true;
      }),
    popProve(sk) {
      const key = secretKeyOf(sk);
      const h = hashToG2(ctx, key.getPublicKey().serialize(), POP_DST_BYTES);
      const proof = new lib.Signature();
      proof.a_ = mulG2(ctx, h, key.a_);
      return proof.serialize();
    },
    popVerify: (publicKey, proof) =>
      guard(() => {
        const pk = publicKeyOrNull(publicKey);
        const sig = signatureOrNull(proof);
        if (!pk || !sig) return false;
        const h = hashToG2(ctx, publicKey, POP_DST_BYTES);
        return pairingProductIsOne(ctx, [pk.a_, ctx.negG1Generator], [h, sig.a_]);
      }),
    isValidPublicKey: (publicKey) => publicKeyOrNull(publicKey) !== null,
    isValidSignature: (signature) => signatureOrNull(signature) !== null,
  };
}
