/**
 * The gas search of eth_estimateGas: the smallest gas limit in [21000, cap] at which the call
 * succeeds, found by binary search over the backend's call primitive (geth's `DoEstimateGas`,
 * searched to the exact unit).
 * @module
 */
import { TX_GAS } from "../core/index.ts";
import type { RpcCallResult } from "./backend.ts";
import { RpcErrorCode, rpcError } from "./errors.ts";
import { revertError } from "./revert.ts";

/** Gas of a plain value transfer: the least any transaction needs (core's intrinsic-gas constant). */
export { TX_GAS };

function isOutOfGas(r: RpcCallResult): boolean {
  return r.revertData === undefined && /out of gas/i.test(r.error ?? "");
}

/**
 * Find the least gas limit ≤ `hi` at which `run` succeeds.
 * @throws {RpcError} 3 when the call reverts at `hi` (data = revert bytes); -32000 "gas required
 * exceeds allowance (hi)" when it runs out of gas even at `hi`; -32000 with the failure otherwise,
 * or "execution aborted" once `signal` fires.
 */
export async function searchGasLimit(run: (gas: bigint) => Promise<RpcCallResult>, hi: bigint, signal: AbortSignal): Promise<bigint> {
  const check = () => {
    if (signal.aborted) throw rpcError(RpcErrorCode.SERVER_ERROR, "execution aborted");
  };
  if (hi < TX_GAS) throw rpcError(RpcErrorCode.SERVER_ERROR, `gas required exceeds allowance (${hi})`);
  const first = await run(hi);
  if (!first.success) {
    if (first.revertData !== undefined) throw revertError(first.revertData);
    if (isOutOfGas(first)) throw rpcError(RpcErrorCode.SERVER_ERROR, `gas required exceeds allowance (${hi})`);
    throw rpcError(RpcErrorCode.SERVER_ERROR, first.error ?? "execution failed");
  }
  // Gas used after refunds is at most what execution consumed, so one less than it always fails.
  let lo = first.gasUsed - 1n > TX_GAS - 1n ? first.gasUsed - 1n : TX_GAS - 1n;
  // Most calls need exactly what they used (no refunds, no 63/64 reservation): one probe settles it.
  const probes = [lo + 1n, ((first.gasUsed + 2300n) * 64n) / 63n];
  for (const probe of probes) {
    if (probe <= lo || probe >= hi) continue;
    check();
    if ((await run(probe)).success) hi = probe;
    else lo = probe;
    if (lo + 1n >= hi) return hi;
  }
  while (lo + 1n < hi) {
    check();
    let mid = (lo + hi) / 2n;
    // Bias towards the low end, where the answer usually is (geth).
    if (mid > lo * 2n) mid = lo * 2n;
    if ((await run(mid)).success) hi = mid;
    else lo = mid;
  }
  return hi;
}
