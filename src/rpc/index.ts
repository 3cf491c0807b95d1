/**
 * Ethereum JSON-RPC over HTTP and WebSocket for the node (DESIGN §1, issue 3). The node wiring
 * implements {@link RpcBackend} over chain, state, txpool and execution, then calls
 * {@link createRPCServer}.
 * @module
 */
export { createRPCServer } from "./server.ts";
export type { RPCAppEnv, RPCBindings, RPCServer, RPCServerModules, RPCServerOptions } from "./server.ts";
export { UNKNOWN_METHOD } from "./jsonrpc.ts";
export type { RPCCallObserver } from "./jsonrpc.ts";
export { DEFAULT_PUBLIC_RATE_LIMIT, DEFAULT_RPC_LIMITS } from "./context.ts";
export type { MethodContext, MethodHandler, RPCLimits, RPCSettings } from "./context.ts";
export { createRateLimiter } from "./rateLimiter.ts";
export type { RateLimiter, RateLimiterOptions } from "./rateLimiter.ts";
export type { ClientLimitStats } from "./clientLimits.ts";
export { RpcError, RpcErrorCode, rpcError } from "./errors.ts";
export type { RpcErrorType } from "./errors.ts";
export { decodeRevertReason } from "./revert.ts";
export { ADMIN_METHOD_NAMES, isLoopbackAddress } from "./methods/admin.ts";
export { crossLinkJSON } from "./formatCrossLink.ts";
export type {
  RpcAccessListResult,
  RpcAccountOverride,
  RpcAccountProof,
  RpcAdminBackend,
  RpcAdminPeer,
  RpcBackend,
  RpcBlock,
  RpcCallOptions,
  RpcCallRequest,
  RpcCallResult,
  RpcHeader,
  RpcLog,
  RpcLogEntry,
  RpcLogQuery,
  RpcReceipt,
  RpcSyncStatus,
  RpcTransaction,
  RpcTxLocation,
  RpcTxPoolBackend,
  RpcDebugBackend,
  RpcTxPoolContent,
  RpcTxHistoryBackend,
  RpcTxHistoryType,
  Unsubscribe,
} from "./backend.ts";
