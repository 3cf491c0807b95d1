/**
 * Batched verification of many aggregate checks on decoded points, shared by both backends
 * (DESIGN §2: verify the aggregate of a set first, bisect only when it fails).
 *
 * Checks over one message (the votes of a phase) are summed: Σσᵢ against Σ PKᵢ, one pairing check.
 * Only the sum is subgroup-checked, as CoreVerify does for an `Aggregate` (draft-irtf-cfrg-bls-
 * signature-05 §2.8–2.9): each signature is decompressed (so on the curve) but not checked on its own
 * until a bisection reaches it alone, which is what makes 250 votes cost 250 decompressions and not
 * 250 subgroup checks as well. A plain sum can be satisfied by two colluding signers whose
 * signatures err by +X and −X; their sum is then exactly the valid aggregate of both, so no
 * signature is forged (the same property the byte-level verifier had). Checks over distinct
 * messages use the backend's random-linear-combination batch, where every signature is
 * subgroup-checked first (small-order components could otherwise cancel under the random scalars).
 */
import type { AggregateCheck } from "./types.ts";

/** Point-level primitives of a backend; every method returns `false`/`null` instead of throwing. */
export interface PointOps<PK, SIG> {
  /** KeyValidate, from the point cache where possible. */
  publicKey(bytes: Uint8Array): PK | null;
  /** Decompressed signature (on the curve, canonical encoding), not yet subgroup-checked. */
  signature(bytes: Uint8Array): SIG | null;
  /** Sum of ≥ 2 keys; null when it is the identity (KeyValidate of the aggregate fails). */
  sumPublicKeys(pks: PK[]): PK | null;
  /** e(Σ pks, H(msg)) = e(g1, Σ sigs), with Σ sigs subgroup-checked and Σ pks not the identity. */
  verifySum(pks: PK[], message: Uint8Array, sigs: SIG[]): boolean;
  /** Subgroup check of one signature. */
  inSubgroup(sig: SIG): boolean;
  /** Random-linear-combination check of sets whose signatures passed {@link inSubgroup}. */
  verifyMany(sets: { pk: PK; message: Uint8Array; sig: SIG }[]): boolean;
}

/** Pairing checks made by {@link verifyChecksOnPoints}. */
export interface BatchCounters {
  pairings: number;
}

function messageKey(m: Uint8Array): string {
  let s = `${m.length}:`;
  for (let i = 0; i < m.length; i++) s += String.fromCharCode(m[i] as number);
  return s;
}

/** Verdicts on `checks`, `out[i]` for `checks[i]`. Never throws. */
export function verifyChecksOnPoints<PK, SIG>(ops: PointOps<PK, SIG>, checks: readonly AggregateCheck[], counters: BatchCounters): boolean[] {
  const out = checks.map(() => false);
  const pks: PK[] = [];
  const sigs: SIG[] = [];
  const byMessage = new Map<string, number[]>();
  const decode = (c: AggregateCheck, i: number): void => {
    const n = c.publicKeys.length;
    if (n === 0) return;
    let pk: PK | null;
    if (n === 1) pk = ops.publicKey(c.publicKeys[0] as Uint8Array);
    else {
      const points: PK[] = [];
      for (const k of c.publicKeys) {
        const p = ops.publicKey(k);
        if (p === null) return;
        points.push(p);
      }
      pk = ops.sumPublicKeys(points);
    }
    const sig = pk === null ? null : ops.signature(c.signature);
    if (pk === null || sig === null) return;
    pks[i] = pk;
    sigs[i] = sig;
    const key = messageKey(c.message);
    const group = byMessage.get(key);
    if (group) group.push(i);
    else byMessage.set(key, [i]);
  };
  checks.forEach((c, i) => {
    try {
      decode(c, i);
    } catch {
      // a malformed check (not bytes where bytes belong) is false, like any other invalid input
    }
  });
  const attempt = (f: () => boolean): boolean => {
    try {
      return f();
    } catch {
      return false;
    }
  };

  const bisectSame = (idx: number[], message: Uint8Array): void => {
    counters.pairings++;
    if (attempt(() => ops.verifySum(idx.map((i) => pks[i] as PK), message, idx.map((i) => sigs[i] as SIG)))) {
      for (const i of idx) out[i] = true;
      return;
    }
    if (idx.length === 1) return;
    const mid = idx.length >> 1;
    bisectSame(idx.slice(0, mid), message);
    bisectSame(idx.slice(mid), message);
  };
  const bisectMany = (idx: number[]): void => {
    counters.pairings++;
    const first = idx[0] as number;
    const ok = attempt(() =>
      idx.length === 1
        ? ops.verifySum([pks[first] as PK], (checks[first] as AggregateCheck).message, [sigs[first] as SIG])
        : ops.verifyMany(idx.map((i) => ({ pk: pks[i] as PK, message: (checks[i] as AggregateCheck).message, sig: sigs[i] as SIG }))),
    );
    if (ok) {
      for (const i of idx) out[i] = true;
      return;
    }
    if (idx.length === 1) return;
    const mid = idx.length >> 1;
    bisectMany(idx.slice(0, mid));
    bisectMany(idx.slice(mid));
  };

  const singles: number[] = [];
  for (const group of byMessage.values()) {
    if (group.length === 1) singles.push(group[0] as number);
    else bisectSame(group, (checks[group[0] as number] as AggregateCheck).message);
  }
  // A signature outside the subgroup is false on its own; it must not enter the random combination.
  const many = singles.filter((i) => attempt(() => ops.inSubgroup(sigs[i] as SIG)));
  if (many.length > 0) bisectMany(many);
  return out;
}
