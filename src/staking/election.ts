/**
 * The EPoS election (DESIGN §Staking): every eligible validator bids its total delegation spread evenly
 * over its BLS keys; the highest `slots` bids win; each winner's effective stake is its bid clamped
 * around the winners' median. Pure: the same candidates give the same slots on every node.
 * @module
 */
import { computeEffectiveStake, computeMedianStake } from "./effectiveStake.ts";

/** A validator that may be elected (eligibility is decided before: active, not banned, available). */
export interface ElectionCandidate {
  /** 20-byte validator (operator) address. */
  readonly address: Uint8Array;
  /** 48-byte compressed BLS public keys, in the validator's order. */
  readonly blsKeys: readonly Uint8Array[];
  /** Self-delegation plus every delegation, in wei. */
  readonly totalDelegation: bigint;
}

/** One elected slot. */
export interface ElectedSlot {
  readonly blsKey: Uint8Array;
  readonly validator: Uint8Array;
  /** The bid: total delegation / number of keys, rounded down. */
  readonly rawStake: bigint;
  readonly effectiveStake: bigint;
}

/** Result of {@link computeElection}. */
export interface ElectionResult {
  /** Winners by descending bid (ties: ascending key bytes). */
  readonly slots: readonly ElectedSlot[];
  /** Median raw stake of the winners (0 when nobody won). */
  readonly medianRawStake: bigint;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/**
 * Elect the top `slots` BLS keys.
 * @throws {RangeError} on a non-positive slot count, a candidate with no keys, a negative delegation,
 * or a BLS key offered twice (by one or two candidates).
 */
export function computeElection(candidates: readonly ElectionCandidate[], opts: { slots: number; bandBps: number }): ElectionResult {
  if (!Number.isInteger(opts.slots) || opts.slots <= 0) throw new RangeError(`election: slots must be a positive integer, got ${opts.slots}`);
  const bids: { blsKey: Uint8Array; validator: Uint8Array; rawStake: bigint }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.blsKeys.length === 0) throw new RangeError("election: a candidate has no BLS keys");
    if (c.totalDelegation < 0n) throw new RangeError("election: negative delegation");
    const rawStake = c.totalDelegation / BigInt(c.blsKeys.length);
    for (const k of c.blsKeys) {
      const id = k.join(",");
      if (seen.has(id)) throw new RangeError("election: a BLS key is offered twice");
      seen.add(id);
      bids.push({ blsKey: k, validator: c.address, rawStake });
    }
  }
  bids.sort((a, b) => (a.rawStake === b.rawStake ? compareBytes(a.blsKey, b.blsKey) : a.rawStake > b.rawStake ? -1 : 1));
  const winners = bids.slice(0, opts.slots).filter((b) => b.rawStake > 0n);
  if (winners.length === 0) return { slots: [], medianRawStake: 0n };
  const median = computeMedianStake(winners.map((w) => w.rawStake));
  const slots = winners.map((w) => ({ ...w, effectiveStake: computeEffectiveStake(median, w.rawStake, opts.bandBps) }));
  return { slots, medianRawStake: median };
}
