/** Per-peer token buckets (messages/s and bytes/s) with a burst capacity; refilled lazily from the clock. */
import type { IClock, RateLimits } from "./types.ts";

/** A token bucket: `rate` tokens per second up to `capacity`, starting full. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly capacity: number,
    private readonly clock: IClock,
  ) {
    this.tokens = capacity;
    this.last = clock.now();
  }

  /** Take `n` tokens if available; false (taking nothing) when not. */
  take(n: number): boolean {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
      this.last = now;
    }
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}

/** Both budgets of one peer connection. */
export class PeerRateLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  constructor(limits: RateLimits, maxMessageBytes: number, clock: IClock) {
    const burst = limits.burstSec ?? 2;
    this.messages = new TokenBucket(limits.messagesPerSec, Math.max(1, limits.messagesPerSec * burst), clock);
    // A single maximal frame must always fit, or a legal large message could never pass.
    this.bytes = new TokenBucket(limits.bytesPerSec, Math.max(maxMessageBytes, limits.bytesPerSec * burst), clock);
  }

  /** Account one frame of `size` bytes; false when it is over budget and must be dropped. */
  allow(size: number): boolean {
    if (!this.messages.take(1)) return false;
    return this.bytes.take(size);
  }
}
