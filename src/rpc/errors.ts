/**
 * JSON-RPC error codes and the typed error that carries one to the client.
 * @module
 */
import { NodeError } from "../util/errors.ts";

/** Error codes of JSON-RPC 2.0, EIP-1474 and geth's conventions. */
export const RpcErrorCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** geth's generic server error: rejected tx, missing state, unknown filter, timeout. */
  SERVER_ERROR: -32000,
  /** EIP-1474 "limit exceeded". */
  LIMIT_EXCEEDED: -32005,
  /** Execution reverted; `data` holds the revert bytes. */
  EXECUTION_REVERTED: 3,
} as const;

/** Metadata of an {@link RpcError}. */
export type RpcErrorType = { code: "RPC_ERROR"; rpcCode: number; data?: unknown };

/** An error that is sent to the client as `{ code: rpcCode, message, data }`. */
export class RpcError extends NodeError<RpcErrorType> {
  /** The JSON-RPC error code. */
  get rpcCode(): number {
    return this.type.rpcCode;
  }
  /** Optional `data` member of the error object. */
  get data(): unknown {
    return this.type.data;
  }
}

/** Build an {@link RpcError}. */
export function rpcError(rpcCode: number, message: string, data?: unknown): RpcError {
  return new RpcError(data === undefined ? { code: "RPC_ERROR", rpcCode } : { code: "RPC_ERROR", rpcCode, data }, message);
}

/** -32602 for argument `index` (geth's wording: "invalid argument 0: …"). */
export function invalidArgument(index: number, message: string): RpcError {
  return rpcError(RpcErrorCode.INVALID_PARAMS, `invalid argument ${index}: ${message}`);
}

/** The JSON error object of a response. */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * Map anything thrown by a method to the error object sent back. Typed node errors keep their
 * message (-32000); anything else is an internal error whose details go to the log, never the client.
 */
export function toErrorObject(err: unknown, log: (e: unknown) => void): JsonRpcErrorObject {
  if (err instanceof RpcError) {
    return err.data === undefined
      ? { code: err.rpcCode, message: err.message }
      : { code: err.rpcCode, message: err.message, data: err.data };
  }
  if (err instanceof NodeError) return { code: RpcErrorCode.SERVER_ERROR, message: err.message };
  log(err);
  return { code: RpcErrorCode.INTERNAL_ERROR, message: "internal error" };
}
