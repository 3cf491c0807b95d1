/**
 * Native backend: `@chainsafe/blst` (supranational/blst through N-API). Loaded with a dynamic import
 * so that a runtime without N-API support can still fall back to the wasm backend.
 */
import type * as Blst from "@chainsafe/blst";
import { BLSError, BLSErrorCode } from "./errors.ts";
import { classifyEncoding, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, SIGNATURE_LENGTH, verifiedOrFalse } from "./_encoding.ts";
import { MIN_IKM_LENGTH, randomIKM } from "./_keygen.ts";
import { popProveNoble, popVerifyNoble } from "./_pop.ts";
import type { BLS, SignatureSet } from "./types.ts";

type BlstLib = typeof Blst;

/**
 * Import `@chainsafe/blst` and return its exports (CommonJS: Bun and Deno expose them as `default`).
 * @throws {BLSError} BACKEND_UNAVAILABLE when the addon cannot be loaded.
 */
export async function loadBlst(): Promise<BlstLib> {
  try {
    const mod = (await import("@chainsafe/blst")) as BlstLib & { default?: BlstLib };
    const lib = mod.default ?? mod;
    lib.SecretKey.fromKeygen(new Uint8Array(32)); // fail here, not on first use, if the addon is broken
    return lib;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new BLSError({ code: BLSErrorCode.BACKEND_UNAVAILABLE, backend: "native", reason }, `native BLS unavailable: ${reason}`, { cause: e });
  }
}

/** Build the {@link BLS} interface over a loaded blst module. */
export function createNativeBLS(blst: BlstLib): BLS {
  const secretKeyOf = (bytes: Uint8Array): Blst.SecretKey => {
    try {
      if (bytes.length !== SECRET_KEY_LENGTH) throw new RangeError("secret key must be 32 bytes");
      return blst.SecretKey.fromBytes(bytes); // rejects zero and values ≥ r
    } catch (e) {
      throw new BLSError({ code: BLSErrorCode.INVALID_SECRET_KEY, length: bytes.length }, undefined, { cause: e });
    }
  };
  // KeyValidate: canonical encoding, on curve, in G1, not the identity.
  const publicKeyOrNull = (bytes: Uint8Array): Blst.PublicKey | null => {
    if (classifyEncoding(bytes, PUBLIC_KEY_LENGTH) !== "point") return null;
    try {
      return blst.PublicKey.fromBytes(bytes, true);
    } catch {
      return null;
    }
  };
  // signature_to_point with subgroup check; the identity is a valid signature point.
  const signatureOrNull = (bytes: Uint8Array): Blst.Signature | null => {
    if (classifyEncoding(bytes, SIGNATURE_LENGTH) === "invalid") return null;
    try {
      return blst.Signature.fromBytes(bytes, true, false);
    } catch {
      return null;
    }
  };
  const publicKeysOrNull = (list: Uint8Array[]): Blst.PublicKey[] | null => {
    const out: Blst.PublicKey[] = [];
    for (const bytes of list) {
      const pk = publicKeyOrNull(bytes);
      if (!pk) return null;
      out.push(pk);
    }
    return out;
  };
  const guard = verifiedOrFalse;

  return {
    backend: "native",
    keygen(ikm) {
      const seed = ikm ?? randomIKM();
      if (seed.length < MIN_IKM_LENGTH) throw new BLSError({ code: BLSErrorCode.INVALID_IKM, length: seed.length });
      return blst.SecretKey.deriveMasterEip2333(seed).toBytes();
    },
    secretToPublic: (sk) => secretKeyOf(sk).toPublicKey().toBytes(),
    sign: (sk, message) => secretKeyOf(sk).sign(message).toBytes(),
    verify: (publicKey, message, signature) =>
      guard(() => {
        const pk = publicKeyOrNull(publicKey);
        const sig = signatureOrNull(signature);
        return pk !== null && sig !== null && blst.verify(message, pk, sig, false, false);
      }),
    aggregateSignatures(signatures) {
      if (signatures.length === 0) throw new BLSError({ code: BLSErrorCode.EMPTY_AGGREGATE, what: "signatures" });
      const points = signatures.map((bytes, index) => {
        const sig = signatureOrNull(bytes);
        if (!sig) throw new BLSError({ code: BLSErrorCode.INVALID_SIGNATURE, index });
        return sig;
      });
      return blst.aggregateSignatures(points, false).toBytes();
    },
    aggregatePublicKeys(publicKeys) {
      if (publicKeys.length === 0) throw new BLSError({ code: BLSErrorCode.EMPTY_AGGREGATE, what: "publicKeys" });
      const points = publicKeys.map((bytes, index) => {
        const pk = publicKeyOrNull(bytes);
        if (!pk) throw new BLSError({ code: BLSErrorCode.INVALID_PUBLIC_KEY, index });
        return pk;
      });
      return blst.aggregatePublicKeys(points, false).toBytes();
    },
    fastAggregateVerify: (publicKeys, message, signature) =>
      guard(() => {
        if (publicKeys.length === 0) return false;
        const pks = publicKeysOrNull(publicKeys);
        const sig = signatureOrNull(signature);
        // blst rejects an identity aggregate key (KeyValidate inside CoreVerify).
        return pks !== null && sig !== null && blst.fastAggregateVerify(message, pks, sig, false);
      }),
    aggregateVerify: (publicKeys, messages, signature) =>
      guard(() => {
        if (publicKeys.length === 0 || publicKeys.length !== messages.length) return false;
        const pks = publicKeysOrNull(publicKeys);
        const sig = signatureOrNull(signature);
        return pks !== null && sig !== null && blst.aggregateVerify(messages, pks, sig, false, false);
      }),
    verifyMultipleSignatures: (sets: SignatureSet[]) =>
      guard(() => {
        if (sets.length === 0) return false;
        const items: Blst.SignatureSet[] = [];
        for (const set of sets) {
          const pk = publicKeyOrNull(set.publicKey);
          const sig = signatureOrNull(set.signature);
          if (!pk || !sig) return false;
          items.push({ msg: set.message, pk, sig });
        }
        return blst.verifyMultipleAggregateSignatures(items, false, false);
      }),
    popProve(sk) {
      const publicKey = secretKeyOf(sk).toPublicKey().toBytes();
      return popProveNoble(sk, publicKey);
    },
    popVerify: (publicKey, proof) =>
      guard(() => publicKeyOrNull(publicKey) !== null && signatureOrNull(proof) !== null && popVerifyNoble(publicKey, proof)),
    isValidPublicKey: (publicKey) => publicKeyOrNull(publicKey) !== null,
    isValidSignature: (signature) => signatureOrNull(signature) !== null,
  };
}
