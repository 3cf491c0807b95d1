/**
 * WebAssembly backend: `bls-eth-wasm` (herumi). Runs wherever WebAssembly does (Bun, Deno, edge).
 * Herumi's own calls cover keys, signing, decompression and single verification; sums of cached
 * points and their verification run in one wasm frame (`_wasmPoints.ts`); aggregate verification,
 * batch verification and proof of possession go through the pairing helpers of `_wasmPairing.ts`.
 * Decoded keys and signatures live in the instance's point caches (`_pointCache.ts`).
 */
import { BLSError, BLSErrorCode } from "./errors.ts";
import { classifyEncoding, POP_DST, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, SIGNATURE_DST, SIGNATURE_LENGTH, verifiedOrFalse } from "./_encoding.ts";
import { deriveMasterSecretKey, randomIKM } from "./_keygen.ts";
import { type PointOps, verifyChecksOnPoints } from "./_batchVerify.ts";
import { blsCacheStats, createPointCache } from "./_pointCache.ts";
import { g2InSubgroup, sumG1, sumG2, verifySumWords } from "./_wasmPoints.ts";
import type { HerumiPublicKey, HerumiSecretKey, HerumiSignature } from "./_wasmLib.ts";
import { hashToG2, multiVerifySameLength, mulG2, pairingProductIsOne, type WasmContext } from "./_wasmPairing.ts";
import type { BLS, BLSCacheOptions, SignatureSet } from "./types.ts";

const SIG_DST = new TextEncoder().encode(SIGNATURE_DST);
const POP_DST_BYTES = new TextEncoder().encode(POP_DST);

/** A decompressed signature and, once computed, whether it is in the r-order subgroup. */
interface WasmSig {
  readonly sig: HerumiSignature;
  subgroup?: boolean;
}

/** Build the {@link BLS} interface over an initialised herumi context. */
export function createWasmBLS(ctx: WasmContext, cacheOpts: BLSCacheOptions = {}): BLS {
  const { lib } = ctx;
  const pkCache = createPointCache<HerumiPublicKey>(cacheOpts.publicKeys ?? 4096);
  const sigCache = createPointCache<WasmSig>(cacheOpts.signatures ?? 2048);
  const counters = { pairings: 0 };
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
  // Only valid keys are cached.
  const publicKeyOrNull = (bytes: Uint8Array): HerumiPublicKey | null => {
    const hit = pkCache.get(bytes);
    if (hit) return hit;
    if (classifyEncoding(bytes, PUBLIC_KEY_LENGTH) !== "point") return null;
    const pk = new lib.PublicKey();
    try {
      pk.deserialize(bytes);
    } catch {
      return null;
    }
    if (pk.isZero()) return null;
    pkCache.set(bytes, pk);
    return pk;
  };
  // Decompression only; herumi's order check is switched off around it and done separately, once.
  const decompressed = (bytes: Uint8Array): WasmSig | null => {
    const hit = sigCache.get(bytes);
    if (hit) return hit;
    if (classifyEncoding(bytes, SIGNATURE_LENGTH) === "invalid") return null;
    const sig = new lib.Signature();
    lib.verifySignatureOrder(false);
    try {
      sig.deserialize(bytes);
    } catch {
      return null;
    } finally {
      lib.verifySignatureOrder(true);
    }
    const entry: WasmSig = { sig };
    sigCache.set(bytes, entry);
    return entry;
  };
  const inSubgroup = (e: WasmSig): boolean => {
    if (e.subgroup === undefined) e.subgroup = g2InSubgroup(ctx, e.sig.a_);
    return e.subgroup;
  };
  // signature_to_point with subgroup check; the identity is a valid signature point.
  const signatureOrNull = (bytes: Uint8Array): HerumiSignature | null => {
    const e = decompressed(bytes);
    return e !== null && inSubgroup(e) ? e.sig : null;
  };
  const publicKeysOrNull = (list: readonly Uint8Array[]): HerumiPublicKey[] | null => {
    const out: HerumiPublicKey[] = [];
    for (const bytes of list) {
      const pk = publicKeyOrNull(bytes);
      if (!pk) return null;
      out.push(pk);
    }
    return out;
  };
  const asKey = (words: Uint32Array): HerumiPublicKey => {
    const pk = new lib.PublicKey();
    pk.a_ = words;
    return pk;
  };
  const ops: PointOps<HerumiPublicKey, WasmSig> = {
    publicKey: publicKeyOrNull,
    signature: decompressed,
    sumPublicKeys(pks) {
      const sum = sumG1(ctx, pks.map((p) => p.a_));
      return sum === null ? null : asKey(sum);
    },
    verifySum(pks, message, sigs) {
      const one = sigs.length === 1 ? (sigs[0] as WasmSig) : null;
      if (one && !inSubgroup(one)) return false;
      return verifySumWords(ctx, pks.map((p) => p.a_), message, sigs.map((e) => e.sig.a_), one !== null);
    },
    inSubgroup,
    verifyMany(sets) {
      const bySize = new Map<number, { pub: Uint32Array; sig: Uint32Array; msg: Uint8Array }[]>();
      for (const s of sets) {
        const group = bySize.get(s.message.length) ?? [];
        group.push({ pub: s.pk.a_, sig: s.sig.sig.a_, msg: s.message });
        bySize.set(s.message.length, group);
      }
      for (const [size, group] of bySize) if (!multiVerifySameLength(ctx, group, size)) return false;
      return true;
    },
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
      const entries = signatures.map((bytes, index) => {
        const e = decompressed(bytes);
        if (!e) throw new BLSError({ code: BLSErrorCode.INVALID_SIGNATURE, index });
        return e;
      });
      // One subgroup check of the sum (CoreVerify's); only a failed sum checks each to name the bad one.
      const { sum, subgroup } = sumG2(ctx, entries.map((e) => e.sig.a_));
      if (!subgroup) throw new BLSError({ code: BLSErrorCode.INVALID_SIGNATURE, index: Math.max(0, entries.findIndex((e) => !inSubgroup(e))) });
      const acc = new lib.Signature();
      acc.a_ = sum;
      return acc.serialize();
    },
    aggregatePublicKeys(publicKeys) {
      if (publicKeys.length === 0) throw new BLSError({ code: BLSErrorCode.EMPTY_AGGREGATE, what: "publicKeys" });
      const pks = publicKeys.map((bytes, index) => {
        const pk = publicKeyOrNull(bytes);
        if (!pk) throw new BLSError({ code: BLSErrorCode.INVALID_PUBLIC_KEY, index });
        return pk;
      });
      const sum = sumG1(ctx, pks.map((p) => p.a_));
      return sum === null ? new lib.PublicKey().serialize() : asKey(sum).serialize();
    },
    fastAggregateVerify: (publicKeys, message, signature) =>
      guard(() => {
        if (publicKeys.length === 0) return false;
        const pks = publicKeysOrNull(publicKeys);
        const sig = pks && signatureOrNull(signature);
        // CoreVerify runs KeyValidate on the aggregate: an identity key (e.g. P + (−P)) fails.
        return pks !== null && !!sig && verifySumWords(ctx, pks.map((p) => p.a_), message, [sig.a_], true);
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
    verifyChecks: (checks) => verifyChecksOnPoints(ops, checks, counters),
    exportSignaturePoints: (signatures) => signatures.map((b) => decompressed(b)?.sig.serializeUncompressed() ?? new Uint8Array(0)),
    importSignaturePoints(signatures, points) {
      signatures.forEach((bytes, i) => {
        const point = points[i];
        if (point === undefined || point.length !== 2 * SIGNATURE_LENGTH) return;
        const sig = new lib.Signature();
        lib.verifySignatureOrder(false);
        try {
          sig.deserializeUncompressed(point);
          sigCache.set(bytes, { sig });
        } catch {
          // not on the curve: leave it to be decompressed from its own bytes
        } finally {
          lib.verifySignatureOrder(true);
        }
      });
    },
    cacheStats: () => blsCacheStats(pkCache, sigCache, counters.pairings),
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
