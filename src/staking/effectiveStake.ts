/**
 * Effective stake (DESIGN §Staking, Harmony's EPoS): the raw stake of an elected slot clamped to
 * [(1−c)·median, (1+c)·median] of the elected slots' raw stakes, so that no slot's voting power strays
 * far from the median whatever its bid. c = 15%, 35% after the EPoS v2 fork (`effectiveStakeBand*Bps`).
 * @module
 */
import { BPS_ONE, mulBps } from "./decimal.ts";

/**
 * Median of raw stakes; for an even count the mean of the two middle values, rounded down.
 * (Harmony's Go code takes the wrong pair for even counts; this is the textbook median.)
 * @throws {RangeError} when `stakes` is empty or holds a negative value.
 */
export function computeMedianStake(stakes: readonly bigint[]): bigint {
  if (stakes.length === 0) throw new RangeError("median of no stakes");
  const sorted = [...stakes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if ((sorted[0] as bigint) < 0n) throw new RangeError("negative stake");
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid] as bigint;
  return ((sorted[mid - 1] as bigint) + (sorted[mid] as bigint)) / 2n;
}

/**
 * Effective stake of a slot with raw stake `raw`: clamp(raw, (1−c)·median, (1+c)·median), bounds rounded down.
 * @throws {RangeError} on a band outside [0, 10000] basis points or a negative input.
 */
export function computeEffectiveStake(median: bigint, raw: bigint, bandBps: number): bigint {
  if (bandBps < 0 || bandBps > Number(BPS_ONE) || !Number.isInteger(bandBps)) throw new RangeError(`effective stake band ${bandBps} bps outside [0, 10000]`);
  if (median < 0n || raw < 0n) throw new RangeError("negative stake");
  const low = mulBps(median, BPS_ONE - BigInt(bandBps));
  const high = mulBps(median, BPS_ONE + BigInt(bandBps));
  return raw < low ? low : raw > high ? high : raw;
}
