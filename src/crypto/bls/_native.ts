/**
 * Native backend: `@chainsafe/blst` (supranational/blst through N-API). Loaded with a dynamic import
 * so that a runtime without N-API support can still fall back to the wasm backend. Decoded keys and
 * signatures live in the instance's point caches (`_pointCache.ts`) as blst objects, which blst's
 * calls take directly.
 */
import type * as Blst from "@chainsafe/blst";
import { BLSError, BLSErrorCode } from "./errors.ts";
import { type PointOps, verifyChecksOnPoints } from "./_batchVerify.ts";
import { classifyEncoding, INFINITY_BIT, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, SIGNATURE_LENGTH, verifiedOrFalse } from "./_encoding.ts";
import { MIN_IKM_LENGTH, randomIKM } from "./_keygen.ts";
import { blsCacheStats, createPointCache } from "./_pointCache.ts";
import { popProveNoble, popVerifyNoble } from "./_pop.ts";
import type { BLS, BLSCacheOptions, SignatureSet } from "./types.ts";

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

/** A decompressed signature and, once computed, whether it is in the r-order subgroup. */
interface NativeSig {
  readonly sig: Blst.Signature;
  subgroup?: boolean;
}

/** Build the {@link BLS} interface over a loaded blst module. */
export function createNativeBLS(blst: BlstLib, cacheOpts: BLSCacheOptions = {}): BLS {
  const pkCache = createPointCache<Blst.PublicKey>(cacheOpts.publicKeys ?? 4096);
  const sigCache = createPointCache<NativeSig>(cacheOpts.signatures ?? 2048);
  const counters = { pairings: 0 };
  const secretKeyOf = (bytes: Uint8Array): Blst.SecretKey => {
    try {
      if (bytes.length !== SECRET_KEY_LENGTH) throw new RangeError("secret key must be 32 bytes");
      return blst.SecretKey.fromBytes(bytes); // rejects zero and values ≥ r
    } catch (e) {
      throw new BLSError({ code: BLSErrorCode.INVALID_SECRET_KEY, length: bytes.length }, undefined, { cause: e });
    }
  };
  // KeyValidate: canonical encoding, on curve, in G1, not the identity. Only valid keys are cached.
  const publicKeyOrNull = (bytes: Uint8Array): Blst.PublicKey | null => {
    const hit = pkCache.get(bytes);
    if (hit) return hit;
    if (classifyEncoding(bytes, PUBLIC_KEY_LENGTH) !== "point") return null;
    try {
      const pk = blst.PublicKey.fromBytes(bytes, true);
      pkCache.set(bytes, pk);
      return pk;
    } catch {
      return null;
    }
  };
  // Decompression only (on the curve by construction); the subgroup check is separate and remembered.
  const decompressed = (bytes: Uint8Array): NativeSig | null => {
    const hit = sigCache.get(bytes);
    if (hit) return hit;
    if (classifyEncoding(bytes, SIGNATURE_LENGTH) === "invalid") return null;
    try {
      const entry: NativeSig = { sig: blst.Signature.fromBytes(bytes, false, false) };
      sigCache.set(bytes, entry);
      return entry;
    } catch {
      return null;
    }
  };
  const subgroupOk = (sig: Blst.Signature): boolean => {
    try {
      sig.sigValidate(false); // the identity is a valid signature point
      return true;
    } catch {
      return false;
    }
  };
  const inSubgroup = (e: NativeSig): boolean => {
    if (e.subgroup === undefined) e.subgroup = subgroupOk(e.sig);
    return e.subgroup;
  };
  // signature_to_point with subgroup check.
  const signatureOrNull = (bytes: Uint8Array): Blst.Signature | null => {
    const e = decompressed(bytes);
    return e !== null && inSubgroup(e) ? e.sig : null;
  };
  const publicKeysOrNull = (list: readonly Uint8Array[]): Blst.PublicKey[] | null => {
    const out: Blst.PublicKey[] = [];
    for (const bytes of list) {
      const pk = publicKeyOrNull(bytes);
      if (!pk) return null;
      out.push(pk);
    }
    return out;
  };
  const ops: PointOps<Blst.PublicKey, NativeSig> = {
    publicKey: publicKeyOrNull,
    signature: decompressed,
    sumPublicKeys(pks) {
      const agg = blst.aggregatePublicKeys(pks, false);
      return ((agg.toBytes(true)[0] ?? 0) & INFINITY_BIT) === 0 ? agg : null;
    },
    verifySum(pks, message, sigs) {
      const one = sigs.length === 1 ? (sigs[0] as NativeSig) : null;
      const sig = one ? one.sig : blst.aggregateSignatures(sigs.map((e) => e.sig), false);
      if (!(one ? inSubgroup(one) : subgroupOk(sig))) return false;
      // blst rejects an identity aggregate key (KeyValidate inside CoreVerify).
      return pks.length === 1 ? blst.verify(message, pks[0] as Blst.PublicKey, sig, false, false) : blst.fastAggregateVerify(message, pks, sig, false);
    },
    inSubgroup,
    verifyMany: (sets) => blst.verifyMultipleAggregateSignatures(sets.map((s) => ({ msg: s.message, pk: s.pk, sig: s.sig.sig })), false, false),
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
        const sig = pk && signatureOrNull(signature);
        return pk !== null && !!sig && blst.verify(message, pk, sig, false, false);
      }),
    aggregateSignatures(signatures) {
      if (signatures.length === 0) throw new BLSError({ code: BLSErrorCode.EMPTY_AGGREGATE, what: "signatures" });
      const entries = signatures.map((bytes, index) => {
        const e = decompressed(bytes);
        if (!e) throw new BLSError({ code: BLSErrorCode.INVALID_SIGNATURE, index });
        return e;
      });
      // One subgroup check of the sum (CoreVerify's); only a failed sum checks each to name the bad one.
      const agg = entries.length === 1 ? (entries[0] as NativeSig).sig : blst.aggregateSignatures(entries.map((e) => e.sig), false);
      if (!subgroupOk(agg)) throw new BLSError({ code: BLSErrorCode.INVALID_SIGNATURE, index: Math.max(0, entries.findIndex((e) => !inSubgroup(e))) });
      return agg.toBytes();
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
        const sig = pks && signatureOrNull(signature);
        // blst rejects an identity aggregate key (KeyValidate inside CoreVerify).
        return pks !== null && !!sig && blst.fastAggregateVerify(message, pks, sig, false);
      }),
    aggregateVerify: (publicKeys, messages, signature) =>
      guard(() => {
        if (publicKeys.length === 0 || publicKeys.length !== messages.length) return false;
        const pks = publicKeysOrNull(publicKeys);
        const sig = pks && signatureOrNull(signature);
        return pks !== null && !!sig && blst.aggregateVerify(messages, pks, sig, false, false);
      }),
    verifyMultipleSignatures: (sets: SignatureSet[]) =>
      guard(() => {
        if (sets.length === 0) return false;
        const items: Blst.SignatureSet[] = [];
        for (const set of sets) {
          const pk = publicKeyOrNull(set.publicKey);
          const sig = pk && signatureOrNull(set.signature);
          if (!pk || !sig) return false;
          items.push({ msg: set.message, pk, sig });
        }
        return blst.verifyMultipleAggregateSignatures(items, false, false);
      }),
    verifyChecks: (checks) => verifyChecksOnPoints(ops, checks, counters),
    exportSignaturePoints: (signatures) => signatures.map((b) => decompressed(b)?.sig.toBytes(false) ?? new Uint8Array(0)),
    importSignaturePoints(signatures, points) {
      signatures.forEach((bytes, i) => {
        const point = points[i];
        if (point === undefined || point.length !== 2 * SIGNATURE_LENGTH) return;
        try {
          sigCache.set(bytes, { sig: blst.Signature.fromBytes(point, false, false) });
        } catch {
          // not on the curve: leave it to be decompressed from its own bytes
        }
      });
    },
    cacheStats: () => blsCacheStats(pkCache, sigCache, counters.pairings),
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
