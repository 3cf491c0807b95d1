/**
 * Error 3 "execution reverted" with the revert bytes in `data`, and the reason in the message when
 * the bytes are Solidity's `Error(string)` or `Panic(uint256)` (as geth's `abi.UnpackRevert`).
 * @module
 */
import { RpcErrorCode, rpcError, type RpcError } from "./errors.ts";
import { bytesToBigInt, toData } from "./hex.ts";

const ERROR_SELECTOR = "0x08c379a0";
const PANIC_SELECTOR = "0x4e487b71";

// Solidity panic codes, https://docs.soliditylang.org/en/latest/control-structures.html#panic-via-assert-and-error-via-require
const PANIC_REASONS: Record<string, string> = {
  "0": "generic panic",
  "1": "assert(false)",
  "17": "arithmetic underflow or overflow",
  "18": "division or modulo by zero",
  "33": "enum overflow",
  "34": "invalid encoded storage byte array accessed",
  "49": "out-of-bounds array access; popping on an empty array",
  "50": "out-of-bounds access of an array or bytesN",
  "65": "out of memory",
  "81": "uninitialized function",
};

/** The human reason of revert bytes, or undefined when they are not Error(string)/Panic(uint256). */
export function decodeRevertReason(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined;
  const selector = toData(data.subarray(0, 4));
  const body = data.subarray(4);
  if (selector === PANIC_SELECTOR && body.length === 32) {
    const code = bytesToBigInt(body);
    return PANIC_REASONS[code.toString()] ?? `unknown panic code: 0x${code.toString(16)}`;
  }
  if (selector !== ERROR_SELECTOR || body.length < 64) return undefined;
  const offset = bytesToBigInt(body.subarray(0, 32));
  if (offset + 32n > BigInt(body.length)) return undefined;
  const o = Number(offset);
  const len = bytesToBigInt(body.subarray(o, o + 32));
  if (BigInt(o) + 32n + len > BigInt(body.length)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body.subarray(o + 32, o + 32 + Number(len)));
  } catch {
    return undefined;
  }
}

/** The error 3 for a revert with `data`. */
export function revertError(data: Uint8Array): RpcError {
  const reason = decodeRevertReason(data);
  const message = reason === undefined ? "execution reverted" : `execution reverted: ${reason}`;
  return rpcError(RpcErrorCode.EXECUTION_REVERTED, message, toData(data));
}
