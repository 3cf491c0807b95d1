/**
 * Fixed-point rates as Harmony's `numeric.Dec` uses them: a bigint scaled by 1e18 (1e18 = 100%).
 * Commission rates travel in this form through the staking contract's ABI (`CommissionRates`).
 * @module
 */

/** 100% as a rate. */
export const DEC_ONE = 10n ** 18n;

/** Basis points (1/10,000), the unit of the chain config's staking rates. */
export const BPS_ONE = 10_000n;

/**
 * `amount × rate / 1e18`, rounded down (the payer keeps the fraction of a wei).
 * @throws {RangeError} on a negative amount or a rate outside [0, 1e18].
 */
export function mulDec(amount: bigint, rate: bigint): bigint {
  if (amount < 0n) throw new RangeError(`mulDec: negative amount ${amount}`);
  if (rate < 0n || rate > DEC_ONE) throw new RangeError(`mulDec: rate ${rate} outside [0, 1e18]`);
  return (amount * rate) / DEC_ONE;
}

/**
 * `amount × bps / 10,000`, rounded down.
 * @throws {RangeError} on a negative amount or negative basis points.
 */
export function mulBps(amount: bigint, bps: number | bigint): bigint {
  const b = BigInt(bps);
  if (amount < 0n || b < 0n) throw new RangeError(`mulBps: negative input (${amount}, ${b})`);
  return (amount * b) / BPS_ONE;
}
