/**
 * View-change timeout (DESIGN §Consensus): `timeout(k) = base · 2^min(k, 4)` where k is the number of
 * consecutive failed views at this height (0 in the first view of a height).
 */

/** Largest exponent of the back-off. */
export const MAX_TIMEOUT_EXPONENT = 4;

/**
 * Milliseconds a node waits for progress before it leaves the view.
 * @throws {RangeError} when `baseMs` is not positive or `failedViews` is not a non-negative integer.
 */
export function viewChangeTimeout(baseMs: number, failedViews: number): number {
  if (!(baseMs > 0) || !Number.isFinite(baseMs)) throw new RangeError(`view-change base ${baseMs} ms must be positive`);
  if (!Number.isInteger(failedViews) || failedViews < 0) throw new RangeError(`failed views ${failedViews} must be a non-negative integer`);
  return baseMs * 2 ** Math.min(failedViews, MAX_TIMEOUT_EXPONENT);
}
