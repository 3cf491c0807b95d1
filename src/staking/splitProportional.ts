/**
 * Exact division of an amount by weights, the one rounding rule of every payout (rewards, slashes):
 * each share is rounded down, then the wei left over go one each to the largest fractional remainders
 * (ties to the lower index). The shares always add up to the amount — rounding never creates or loses
 * a wei — and the rule depends only on the inputs' order, so every node computes the same split.
 * @module
 */

/**
 * Split `total` over `weights` in proportion (largest-remainder method). All weights zero: the whole
 * amount goes to index 0, so nothing is lost (callers pass the party that should absorb it first).
 * @throws {RangeError} on a negative total, a negative weight, or no weights with a non-zero total.
 */
export function splitProportional(total: bigint, weights: readonly bigint[]): bigint[] {
  if (total < 0n) throw new RangeError(`splitProportional: negative total ${total}`);
  if (weights.length === 0) {
    if (total === 0n) return [];
    throw new RangeError("splitProportional: nothing to split over");
  }
  let sum = 0n;
  for (const w of weights) {
    if (w < 0n) throw new RangeError(`splitProportional: negative weight ${w}`);
    sum += w;
  }
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0n));
  const shares = new Array<bigint>(weights.length);
  const rems = new Array<bigint>(weights.length);
  let paid = 0n;
  for (let i = 0; i < weights.length; i++) {
    const num = total * (weights[i] as bigint);
    shares[i] = num / sum;
    rems[i] = num % sum;
    paid += shares[i] as bigint;
  }
  let left = total - paid; // < weights.length
  if (left > 0n) {
    const order = weights.map((_, i) => i).sort((a, b) => {
      const ra = rems[a] as bigint;
      const rb = rems[b] as bigint;
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
    for (const i of order) {
      if (left === 0n) break;
      shares[i] = (shares[i] as bigint) + 1n;
      left--;
    }
  }
  return shares;
}
