/**
 * Bounded, time-limited caches of gossip: ids already seen (so each message is handled and relayed
 * once), and recent full messages (served to IWANT, announced by IHAVE). Both rely on insertion order
 * being time order, so expiry only ever looks at the oldest entries.
 */
import type { IClock } from "./types.ts";

/** A set of keys with a TTL and a size bound (oldest evicted first). */
export class SeenCache {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly clock: IClock,
  ) {}

  has(key: string): boolean {
    const at = this.seen.get(key);
    if (at === undefined) return false;
    if (at + this.ttlMs <= this.clock.now()) {
      this.seen.delete(key);
      return false;
    }
    return true;
  }

  add(key: string): void {
    const now = this.clock.now();
    this.seen.delete(key);
    this.seen.set(key, now);
    for (const [k, at] of this.seen) {
      if (this.seen.size <= this.max && at + this.ttlMs > now) break;
      this.seen.delete(k);
    }
  }

  get size(): number {
    return this.seen.size;
  }
}

/** A message kept for IWANT. */
export interface CachedMessage {
  topic: string;
  id: Uint8Array;
  data: Uint8Array;
  at: number;
}

/** Recent full messages, bounded by age and total bytes. */
export class MessageHistory {
  private readonly msgs = new Map<string, CachedMessage>();
  private bytes = 0;
  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes: number,
    private readonly clock: IClock,
  ) {}

  add(key: string, msg: Omit<CachedMessage, "at">): void {
    if (this.msgs.has(key)) return;
    this.msgs.set(key, { ...msg, at: this.clock.now() });
    this.bytes += msg.data.length;
    this.prune();
  }

  get(key: string): CachedMessage | undefined {
    return this.msgs.get(key);
  }

  /** Ids of `topic` added in the last `windowMs`, oldest first. */
  recentIds(topic: string, windowMs: number): Uint8Array[] {
    const since = this.clock.now() - windowMs;
    const out: Uint8Array[] = [];
    for (const m of this.msgs.values()) if (m.at >= since && m.topic === topic) out.push(m.id);
    return out;
  }

  /** Drop what is too old, then the oldest until under the byte bound. */
  prune(): void {
    const now = this.clock.now();
    for (const [k, m] of this.msgs) {
      if (m.at + this.ttlMs > now && this.bytes <= this.maxBytes) break;
      this.msgs.delete(k);
      this.bytes -= m.data.length;
    }
  }
}
