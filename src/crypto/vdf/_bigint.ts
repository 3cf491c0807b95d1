/** BigInt helpers of the VDF host code: fixed-width encodings and small modular arithmetic. */

/** Big-endian bytes → non-negative bigint. */
export function bytesToBigInt(b: Uint8Array): bigint {
  let hex = "";
  for (const v of b) hex += v.toString(16).padStart(2, "0");
  return hex.length === 0 ? 0n : BigInt(`0x${hex}`);
}

/**
 * Non-negative bigint → big-endian bytes of exactly `length` bytes.
 * @throws {RangeError} when x is negative or does not fit.
 */
export function bigIntToBytes(x: bigint, length: number): Uint8Array {
  if (x < 0n) throw new RangeError("negative integer");
  const hex = x.toString(16);
  if (hex.length > 2 * length) throw new RangeError(`integer does not fit in ${length} bytes`);
  const padded = hex.padStart(2 * length, "0");
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** base^e mod m by square-and-multiply (for the 128-bit challenge arithmetic). */
export function modPow(base: bigint, e: bigint, m: bigint): bigint {
  let result = 1n % m;
  let b = base % m;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

/** The representative of the class {v, -v} in the quotient group Z_N^× / {±1}: min(v, N - v), for 0 ≤ v < N. */
export function canonical(v: bigint, n: bigint): bigint {
  return v > n - v ? n - v : v;
}
