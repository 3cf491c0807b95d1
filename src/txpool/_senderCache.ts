/**
 * Senders recovered from signatures, remembered by transaction hash, so that block execution and
 * re-submissions reuse them.
 */
import type { RecoveredSender } from "./recoverSender.ts";

/** Bounded map hash → sender; the oldest entry goes first when full. */
export class SenderCache {
  private readonly map = new Map<string, RecoveredSender>();
  private readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
    if (!(capacity > 0)) throw new RangeError(`sender cache capacity must be positive, got ${capacity}`);
  }
  get(hash: string): RecoveredSender | undefined {
    return this.map.get(hash);
  }
  set(hash: string, sender: RecoveredSender): void {
    if (this.map.has(hash)) return;
    if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(hash, sender);
  }
  get size(): number {
    return this.map.size;
  }
}
