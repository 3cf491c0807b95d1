/**
 * A bounded map with two generations: lookups hit the young map, then the old one (promoting the
 * entry); when the young generation's total weight passes the capacity it becomes the old one and the
 * previous old one is dropped. O(1), no per-hit reordering; at most 2 × capacity of weight alive.
 */
export class TwoGenerationCache<V> {
  #young = new Map<string, { v: V; w: number }>();
  #old = new Map<string, { v: V; w: number }>();
  #youngWeight = 0;
  readonly #capacity: number;

  /** @param capacity total weight per generation (entries, or bytes when weights are sizes). */
  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  get(key: string): V | undefined {
    const e = this.#young.get(key);
    if (e !== undefined) return e.v;
    const o = this.#old.get(key);
    if (o === undefined) return undefined;
    this.set(key, o.v, o.w);
    return o.v;
  }

  /** Insert with a weight (default 1). */
  set(key: string, value: V, weight = 1): void {
    if (this.#youngWeight >= this.#capacity) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#youngWeight = 0;
    }
    const prev = this.#young.get(key);
    if (prev !== undefined) this.#youngWeight -= prev.w;
    this.#young.set(key, { v: value, w: weight });
    this.#youngWeight += weight;
  }

  /** Entries held (both generations; a promoted key counts twice). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
    this.#youngWeight = 0;
  }
}
