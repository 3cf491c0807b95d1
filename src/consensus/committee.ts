/**
 * The committee of a shard for an epoch (DESIGN §Consensus): BLS public keys in slot order, each with
 * a voting power, and the validator each key belongs to (one validator may hold many keys). A quorum
 * is strictly more than 2/3 of the total power.
 */
import { PUBLIC_KEY_LENGTH } from "../crypto/index.ts";
import { bitmapLength, hasBit, isValidBitmap } from "./bitmap.ts";
import { hexKey } from "./_hex.ts";

/** Most slots a committee may have (the header's bitmap limit: 1024 bytes). */
export const MAX_COMMITTEE_SIZE = 8192;

/** An immutable committee. */
export interface Committee {
  /** 48-byte compressed BLS public keys, by slot. */
  readonly keys: readonly Uint8Array[];
  /** Voting power of each slot (> 0). */
  readonly power: readonly bigint[];
  /** Validator (operator) index of each slot; keys of one validator share it. */
  readonly validators: readonly number[];
  readonly totalPower: bigint;
  readonly size: number;
  /** Bytes of a bitmap over this committee. */
  readonly bitmapBytes: number;
}

/** Arguments of {@link createCommittee}. */
export interface CommitteeOptions {
  keys: readonly Uint8Array[];
  /** Power per slot; default 1 each (the genesis committee before staking: equal power per key). */
  power?: readonly bigint[];
  /** Validator of each slot; default each key its own validator. */
  validators?: readonly number[];
}

/**
 * Build and freeze a committee.
 * @throws {RangeError} on no keys, too many keys, a key of the wrong length, a duplicate key, a
 * non-positive power, or `power`/`validators` of the wrong length.
 */
export function createCommittee(opts: CommitteeOptions): Committee {
  const n = opts.keys.length;
  if (n === 0 || n > MAX_COMMITTEE_SIZE) throw new RangeError(`committee size ${n} outside 1..${MAX_COMMITTEE_SIZE}`);
  const seen = new Set<string>();
  for (const [i, k] of opts.keys.entries()) {
    if (k.length !== PUBLIC_KEY_LENGTH) throw new RangeError(`committee key ${i}: ${k.length} bytes, expected ${PUBLIC_KEY_LENGTH}`);
    const h = hexKey(k);
    if (seen.has(h)) throw new RangeError(`committee key ${i} is a duplicate`);
    seen.add(h);
  }
  const power = opts.power ?? opts.keys.map(() => 1n);
  const validators = opts.validators ?? opts.keys.map((_, i) => i);
  if (power.length !== n) throw new RangeError(`committee power has ${power.length} entries for ${n} keys`);
  if (validators.length !== n) throw new RangeError(`committee validators has ${validators.length} entries for ${n} keys`);
  let total = 0n;
  for (const [i, p] of power.entries()) {
    if (p <= 0n) throw new RangeError(`committee power of slot ${i} is ${p}, must be positive`);
    total += p;
  }
  for (const [i, v] of validators.entries()) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`committee validator of slot ${i} is ${v}`);
  }
  return Object.freeze({
    keys: Object.freeze(opts.keys.map((k) => k.slice())),
    power: Object.freeze([...power]),
    validators: Object.freeze([...validators]),
    totalPower: total,
    size: n,
    bitmapBytes: bitmapLength(n),
  });
}

/** True when `power` is a quorum of `total`: strictly more than 2/3 (`3·power > 2·total`). */
export function isQuorum(power: bigint, total: bigint): boolean {
  return power * 3n > total * 2n;
}

/** The smallest power that is a quorum of `total`. */
export function quorumThreshold(total: bigint): bigint {
  return (total * 2n) / 3n + 1n;
}

/** True when `power` is more than 1/3 of `total` (some honest node is among its holders). */
export function isOneThird(power: bigint, total: bigint): boolean {
  return power * 3n > total;
}

/** Sum of the power of the slots set in `bitmap` (0 for a bitmap of the wrong shape). */
export function bitmapPower(committee: Committee, bitmap: Uint8Array): bigint {
  if (!isValidBitmap(bitmap, committee.size)) return 0n;
  let p = 0n;
  for (let i = 0; i < committee.size; i++) if (hasBit(bitmap, i)) p += committee.power[i] as bigint;
  return p;
}

/** Sum of the power of `slots`. */
export function slotsPower(committee: Committee, slots: Iterable<number>): bigint {
  let p = 0n;
  for (const s of slots) p += committee.power[s] ?? 0n;
  return p;
}

/** Public keys of the slots set in `bitmap`, in slot order. */
export function keysOfBitmap(committee: Committee, bitmap: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < committee.size; i++) if (hasBit(bitmap, i)) out.push(committee.keys[i] as Uint8Array);
  return out;
}
