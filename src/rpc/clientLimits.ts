/**
 * What one client address may use of the server: WebSocket connections (in total and per address)
 * and a request rate. The address is the socket's, as the runtime adapter reports it; headers such
 * as X-Forwarded-For are never trusted, since any client can set them.
 * @module
 */
import { type RateLimiter, createRateLimiter } from "./rateLimiter.ts";

/** Limits of {@link createClientLimits}. */
export interface ClientLimitsOptions {
  wsMaxConnections: number;
  wsMaxPerIP: number;
  /** Requests per second per address; 0 = off. */
  rateLimitPerSec: number;
}

/** Counters for /metrics. */
export interface ClientLimitStats {
  wsConnections: number;
  /** Upgrades refused (or closed right after opening) for a connection cap. */
  wsRefused: number;
  /** Requests refused by the rate limit. */
  rateLimited: number;
}

/** Close code for a connection opened past a cap (RFC 6455 1013 "try again later"). */
export const WS_OVER_CAP_CODE = 1013;

/** The per-client limits of one server. */
export interface ClientLimits {
  /** A refusal to send instead of upgrading (429 for the address's cap, 503 for the total), or undefined. */
  refuseWebSocket(ip: string): Response | undefined;
  /** Count an opened connection; false when it is over a cap after all (upgrades raced): close it. */
  opened(ip: string): boolean;
  closed(ip: string): void;
  /** The dispatcher's `admit` for a client, or undefined when the rate limit is off. */
  admitFor(ip: string): ((calls: number) => boolean) | undefined;
  stats(): ClientLimitStats;
}

/** Create the limits. @throws {RangeError} for a negative rate. */
export function createClientLimits(opts: ClientLimitsOptions): ClientLimits {
  const limiter: RateLimiter = createRateLimiter({ perSecond: opts.rateLimitPerSec });
  const perIP = new Map<string, number>();
  let total = 0;
  let refused = 0;
  const refusal = (status: number, message: string) => {
    refused++;
    return new Response(`${message}\n`, { status, headers: { "retry-after": "1" } });
  };
  return {
    refuseWebSocket(ip) {
      if (total >= opts.wsMaxConnections) return refusal(503, `too many WebSocket connections (max ${opts.wsMaxConnections})`);
      if ((perIP.get(ip) ?? 0) >= opts.wsMaxPerIP) return refusal(429, `too many WebSocket connections from this address (max ${opts.wsMaxPerIP})`);
      return undefined;
    },
    opened(ip) {
      const mine = perIP.get(ip) ?? 0;
      if (total >= opts.wsMaxConnections || mine >= opts.wsMaxPerIP) {
        refused++;
        return false;
      }
      total++;
      perIP.set(ip, mine + 1);
      return true;
    },
    closed(ip) {
      const mine = perIP.get(ip) ?? 0;
      if (mine === 0) return;
      total--;
      if (mine > 1) perIP.set(ip, mine - 1);
      else perIP.delete(ip);
    },
    admitFor(ip) {
      return limiter.enabled ? (calls) => limiter.take(ip, calls) : undefined;
    },
    stats: () => ({ wsConnections: total, wsRefused: refused, rateLimited: limiter.refused() }),
  };
}
