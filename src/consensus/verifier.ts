/**
 * Signature checks of the consensus layer run outside the state machine (STYLE §3): `step` emits
 * {@link SignatureCheck}s in a `verify` action and gets the verdicts back as a `verified` event. A
 * {@link VoteVerifier} does the checking. {@link createVoteVerifier} is the synchronous one over the
 * BLS interface (the simulator uses it; the node runs the same algorithm on a worker pool).
 *
 * Batching (DESIGN §2, issue 4): checks over the same message (the votes of one phase) are verified
 * as one aggregate; only when that fails is the set bisected, so one bad vote among n costs about
 * 2·log2(n) extra checks instead of n. Checks over distinct messages are batched with
 * `verifyMultipleSignatures` and bisected the same way.
 */
import type { BLS } from "../crypto/index.ts";
import { keccak256 } from "../crypto/index.ts";
import { hexKey } from "./_hex.ts";

/** One FastAggregateVerify: every key in `publicKeys` signed `message`; `signature` is their aggregate. */
export interface SignatureCheck {
  readonly publicKeys: readonly Uint8Array[];
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** Checks signatures; `results[i]` is the verdict on `checks[i]`. Never throws for bad input. */
export interface VoteVerifier {
  verify(checks: readonly SignatureCheck[]): boolean[];
}

/** Counters of a verifier, for tests and metrics. */
export interface VerifierStats {
  /** Pairing checks run (one per aggregate verify or per batch call). */
  checks: number;
  /** Key validations and aggregations served from the cache. */
  cacheHits: number;
}

/** Options of {@link createVoteVerifier}. */
export interface VoteVerifierOptions {
  /** Aggregated public keys kept (keyed by the exact key list); default 512. */
  cacheSize?: number;
}

/**
 * A synchronous verifier over `bls`. Aggregated public keys of a key set are cached (a committee's
 * bitmaps repeat every round), which is exact: the cache key is the hash of the full key list.
 */
export function createVoteVerifier(bls: BLS, opts: VoteVerifierOptions = {}): VoteVerifier & { readonly stats: VerifierStats } {
  const cacheSize = opts.cacheSize ?? 512;
  const cache = new Map<string, Uint8Array | null>();
  const valid = new Map<string, boolean>();
  const stats: VerifierStats = { checks: 0, cacheHits: 0 };

  function aggregateKey(keys: readonly Uint8Array[]): Uint8Array | null {
    if (keys.length === 0) return null;
    if (keys.length === 1) {
      const k = keys[0] as Uint8Array;
      const id = hexKey(k);
      let ok = valid.get(id);
      if (ok === undefined) {
        ok = bls.isValidPublicKey(k);
        if (valid.size >= 4 * cacheSize) valid.delete(valid.keys().next().value as string);
        valid.set(id, ok);
      } else stats.cacheHits++;
      return ok ? k : null;
    }
    const buf = new Uint8Array(keys.length * 48);
    keys.forEach((k, i) => buf.set(k.subarray(0, 48), i * 48));
    const id = hexKey(keccak256(buf)) + keys.length;
    if (cache.has(id)) {
      stats.cacheHits++;
      return cache.get(id) ?? null;
    }
    let agg: Uint8Array | null;
    try {
      agg = bls.aggregatePublicKeys([...keys]);
    } catch {
      agg = null;
    }
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(id, agg);
    return agg;
  }

  function verifySame(pk: Uint8Array[], message: Uint8Array, sigs: Uint8Array[]): boolean {
    stats.checks++;
    try {
      const key = pk.length === 1 ? (pk[0] as Uint8Array) : bls.aggregatePublicKeys(pk);
      const sig = sigs.length === 1 ? (sigs[0] as Uint8Array) : bls.aggregateSignatures(sigs);
      return bls.verify(key, message, sig);
    } catch {
      return false;
    }
  }

  // Bisect a list of indices whose checks share one message.
  function bisectSame(idx: number[], keys: Uint8Array[], checks: readonly SignatureCheck[], out: boolean[]): void {
    const msg = (checks[idx[0] as number] as SignatureCheck).message;
    if (verifySame(idx.map((i) => keys[i] as Uint8Array), msg, idx.map((i) => (checks[i] as SignatureCheck).signature))) {
      for (const i of idx) out[i] = true;
      return;
    }
    if (idx.length === 1) return;
    const mid = idx.length >> 1;
    bisectSame(idx.slice(0, mid), keys, checks, out);
    bisectSame(idx.slice(mid), keys, checks, out);
  }

  // Bisect a list of indices with distinct messages through the random-linear-combination batch.
  function bisectMulti(idx: number[], keys: Uint8Array[], checks: readonly SignatureCheck[], out: boolean[]): void {
    stats.checks++;
    const sets = idx.map((i) => ({ publicKey: keys[i] as Uint8Array, message: (checks[i] as SignatureCheck).message, signature: (checks[i] as SignatureCheck).signature }));
    const ok = sets.length === 1 ? bls.verify(sets[0]!.publicKey, sets[0]!.message, sets[0]!.signature) : bls.verifyMultipleSignatures(sets);
    if (ok) {
      for (const i of idx) out[i] = true;
      return;
    }
    if (idx.length === 1) return;
    const mid = idx.length >> 1;
    bisectMulti(idx.slice(0, mid), keys, checks, out);
    bisectMulti(idx.slice(mid), keys, checks, out);
  }

  return {
    stats,
    verify(checks: readonly SignatureCheck[]): boolean[] {
      const out = checks.map(() => false);
      const keys: Uint8Array[] = [];
      const byMessage = new Map<string, number[]>();
      checks.forEach((c, i) => {
        const k = aggregateKey(c.publicKeys);
        if (!k) return; // invalid or empty key set: false
        keys[i] = k;
        const m = hexKey(c.message);
        const group = byMessage.get(m);
        if (group) group.push(i);
        else byMessage.set(m, [i]);
      });
      const singles: number[] = [];
      for (const group of byMessage.values()) {
        if (group.length === 1) singles.push(group[0] as number);
        else bisectSame(group, keys, checks, out);
      }
      if (singles.length > 0) bisectMulti(singles, keys, checks, out);
      return out;
    },
  };
}
