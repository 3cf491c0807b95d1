/**
 * Per-client request rate limit: a token bucket per client address that refills at `perSecond`
 * and holds at most `burst` tokens. A request takes one token per JSON-RPC call it carries (a batch
 * takes as many as it has calls); without enough tokens it is refused whole.
 * @module
 */

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Sustained requests per second per client; 0 = no limit. */
  perSecond: number;
  /** Most requests a client may send at once after being idle. Default: one second's worth (at least 1). */
  burst?: number;
  /** Buckets kept before idle (full) ones are dropped. Default 10,000. */
  maxClients?: number;
  /** Clock in ms (injectable for tests). */
  now?: () => number;
}

/** A rate limiter over client addresses. */
export interface RateLimiter {
  /** Whether the limit is on. */
  readonly enabled: boolean;
  /** Take `cost` tokens (at most the burst) for `client`; false (and nothing taken) when it has too few. */
  take(client: string, cost?: number): boolean;
  /** Requests refused so far. */
  refused(): number;
}

type Bucket = { tokens: number; at: number };

/** Create a limiter. @throws {RangeError} for a negative or non-finite rate or burst. */
export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const rate = opts.perSecond;
  if (!Number.isFinite(rate) || rate < 0) throw new RangeError(`perSecond must be a finite number ≥ 0, got ${rate}`);
  const burst = opts.burst ?? Math.max(1, rate);
  if (!Number.isFinite(burst) || burst < 1) throw new RangeError(`burst must be a finite number ≥ 1, got ${burst}`);
  const maxClients = opts.maxClients ?? 10_000;
  const now = opts.now ?? (() => performance.now());
  const buckets = new Map<string, Bucket>();
  let refused = 0;

  const refill = (b: Bucket, t: number) => {
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) * rate) / 1000);
    b.at = t;
  };
  // Full buckets carry no state worth keeping: a client seen again starts full anyway.
  const prune = (t: number) => {
    for (const [k, b] of buckets) {
      refill(b, t);
      if (b.tokens >= burst) buckets.delete(k);
    }
    // Still too many (a flood from many addresses): drop the oldest, which favours no one address.
    for (const k of buckets.keys()) {
      if (buckets.size < maxClients) break;
      buckets.delete(k);
    }
  };

  return {
    enabled: rate > 0,
    take(client, cost = 1) {
      if (rate === 0) return true;
      const t = now();
      let b = buckets.get(client);
      if (b === undefined) {
        if (buckets.size >= maxClients) prune(t);
        b = { tokens: burst, at: t };
        buckets.set(client, b);
      } else refill(b, t);
      // A batch larger than the burst is admitted from a full bucket, and empties it.
      const c = Math.min(cost, burst);
      if (b.tokens < c) {
        refused++;
        return false;
      }
      b.tokens -= c;
      return true;
    },
    refused: () => refused,
  };
}
