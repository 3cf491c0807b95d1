/**
 * Options of the RPC server and the context every method handler receives.
 * @module
 */
import type { RpcBackend } from "./backend.ts";
import type { EventHub } from "./events.ts";
import type { FilterManager } from "./filterManager.ts";
import type { GasPriceOracle } from "./gasPrice.ts";

/** Limits that methods enforce. */
export interface RPCLimits {
  /** Most requests in one batch. */
  batchLimit: number;
  /** Largest request body (HTTP) or message (WebSocket) in bytes. */
  maxBodyBytes: number;
  /** Most blocks one eth_getLogs may span. */
  getLogsBlockRange: number;
  /** Most logs one eth_getLogs may return. */
  getLogsMaxResults: number;
  /** Gas limit cap of eth_call and eth_estimateGas. */
  callGasCap: bigint;
  /** Wall-clock limit of one eth_call / eth_estimateGas. */
  callTimeoutMs: number;
  /** A WebSocket whose unsent bytes exceed this is closed (1008 "subscriber too slow"). */
  wsMaxBufferedBytes: number;
  /** An installed filter not polled for this long is removed. */
  filterTimeoutMs: number;
  /** Most installed filters of one client address (the server holds at most 10,000 in all). */
  filtersPerClient: number;
  /** Most open WebSocket connections in all, and from one client address. */
  wsMaxConnections: number;
  wsMaxPerIP: number;
}

/**
 * The RPC settings an operator chooses (`--rpc-*` flags or the config file's `rpc` object): limits,
 * plus the per-address request rate (requests/s; 0 = off; absent = 100 when the server listens on
 * a non-loopback address, off on loopback).
 */
export type RPCSettings = Partial<RPCLimits> & {
  rateLimitPerSec?: number;
  /** Workers the node runs eth_call / eth_estimateGas on (0 = its own thread, time-sliced; default min(2, cores − 1), at least 1). */
  callWorkers?: number;
  /** Serve geth's `debug_trace*` methods (`--rpc-debug`; on by default with `--dev`, off on network nodes). */
  debug?: boolean;
  /** Keep the transaction history of addresses for `hmy_getTransactionsHistory` (`--rpc-tx-history`; off by default). */
  txHistory?: boolean;
};

/** Defaults of {@link RPCLimits}. */
export const DEFAULT_RPC_LIMITS: Readonly<RPCLimits> = Object.freeze({
  batchLimit: 100,
  maxBodyBytes: 5 * 1024 * 1024,
  getLogsBlockRange: 10_000,
  getLogsMaxResults: 10_000,
  callGasCap: 50_000_000n,
  callTimeoutMs: 5_000,
  wsMaxBufferedBytes: 16 * 1024 * 1024,
  filterTimeoutMs: 5 * 60 * 1000,
  filtersPerClient: 1000,
  wsMaxConnections: 1000,
  wsMaxPerIP: 64,
});

/** Requests per second per client address when the server listens on a non-loopback address. */
export const DEFAULT_PUBLIC_RATE_LIMIT = 100;

/** What a WebSocket connection offers to eth_subscribe / eth_unsubscribe. */
export interface SubscriptionHost {
  /**
   * Register a subscription and its teardown.
   * @throws {RpcError} when the connection has too many subscriptions.
   */
  add(id: string, unsubscribe: () => void): void;
  /** Remove and tear down a subscription; false when unknown. */
  remove(id: string): boolean;
  /** Send an `eth_subscription` notification. */
  notify(id: string, result: unknown): void;
}

/** Everything a method handler may use. */
export interface MethodContext {
  backend: RpcBackend;
  limits: RPCLimits;
  oracle: GasPriceOracle;
  filters: FilterManager;
  events: EventHub;
  /** web3_clientVersion. */
  clientVersion: string;
  /** Present on WebSocket requests only. */
  subscriptions?: SubscriptionHost;
  /**
   * Clock time (`Date.now()` ms) by which the calls of a batch must be done: one call timeout for the
   * whole batch, so that a batch of heavy calls cannot hold a connection for batchLimit timeouts.
   */
  deadline?: number;
  /** IP address of the client's socket as the runtime reports it ("unknown" when it cannot). */
  clientAddress?: string;
}

/** A JSON-RPC method: positional params in, a JSON-ready result out. */
export type MethodHandler = (params: unknown[], ctx: MethodContext) => unknown;
