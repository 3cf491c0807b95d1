/**
 * A bounded map with two generations: lookups hit the young map, then the old one (promoting the
 * entry); when the young map is full it becomes the old map and the previous old one is dropped.
 * O(1), no per-hit reordering, and at most 2 × capacity entries alive.
 */
export class TwoGenerationCache<V> {
  #young = new Map<string, V>();
  #old = new Map<string, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  get(key: string): V | undefined {
    const v = this.#young.get(key);
    if (v !== undefined) return v;
    const o = this.#old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  set(key: string, value: V): void {
    if (this.#young.size >= this.#capacity) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }

  /** Entries held (both generations; a promoted key counts twice). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
  }
}
