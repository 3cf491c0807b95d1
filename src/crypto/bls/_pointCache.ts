/**
 * A bounded map from a point's compressed encoding to its decoded form (issue 11: committee keys are
 * decompressed and subgroup-checked once, not on every verification). Two generations instead of an
 * LRU list: entries are inserted into the young map; when it holds half the capacity it becomes the
 * old one and the previous old map is dropped; a hit in the old map moves the entry back. So a
 * committee that keeps signing stays cached across epochs while total memory stays ≤ capacity
 * entries, and a hit costs one bucket lookup with no reordering.
 *
 * Buckets are keyed by a seeded 32-bit hash of the encoding and hold the full bytes, which a hit must
 * equal exactly: a collision can cost a comparison, never a wrong point.
 */

interface Entry<P> {
  readonly bytes: Uint8Array;
  readonly point: P;
}

/** Hit and miss counters of a {@link PointCache}. */
export interface PointCacheStats {
  hits: number;
  misses: number;
}

/** The cache; `get` counts a hit or a miss, `set` stores a copy of the key bytes. */
export interface PointCache<P> {
  get(bytes: Uint8Array): P | undefined;
  set(bytes: Uint8Array, point: P): void;
  readonly size: number;
  readonly stats: PointCacheStats;
}

// Per-process seed, so that nobody can precompute encodings that share a bucket.
const SEED = crypto.getRandomValues(new Uint32Array(1))[0] as number;

function hashBytes(b: Uint8Array): number {
  let h = SEED ^ b.length;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  return h >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

function find<P>(gen: Map<number, Entry<P>[]>, h: number, bytes: Uint8Array): Entry<P> | undefined {
  const bucket = gen.get(h);
  if (bucket === undefined) return undefined;
  for (const e of bucket) if (sameBytes(e.bytes, bytes)) return e;
  return undefined;
}

/**
 * A cache of at most `capacity` points (≥ 2).
 * @throws {RangeError} when `capacity` is below 2.
 */
export function createPointCache<P>(capacity: number): PointCache<P> {
  if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`point cache capacity must be an integer ≥ 2, got ${capacity}`);
  const half = capacity >> 1;
  let young = new Map<number, Entry<P>[]>();
  let old = new Map<number, Entry<P>[]>();
  let youngCount = 0;
  let oldCount = 0;
  const stats: PointCacheStats = { hits: 0, misses: 0 };

  function insert(h: number, e: Entry<P>): void {
    if (youngCount >= half) {
      old = young;
      oldCount = youngCount;
      young = new Map();
      youngCount = 0;
    }
    const bucket = young.get(h);
    if (bucket) bucket.push(e);
    else young.set(h, [e]);
    youngCount++;
  }

  return {
    stats,
    get size() {
      return youngCount + oldCount;
    },
    get(bytes) {
      const h = hashBytes(bytes);
      const y = find(young, h, bytes);
      if (y) {
        stats.hits++;
        return y.point;
      }
      const o = find(old, h, bytes);
      if (o === undefined) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      // Promote; the stale copy in `old` goes when that generation is dropped.
      insert(h, o);
      return o.point;
    },
    set(bytes, point) {
      const h = hashBytes(bytes);
      if (find(young, h, bytes)) return;
      insert(h, { bytes: bytes.slice(), point });
    },
  };
}

/** The cache counters a BLS backend reports: its key and signature caches and the pairings it ran. */
export function blsCacheStats(keys: { stats: PointCacheStats }, sigs: { stats: PointCacheStats }, pairings: number) {
  return { publicKeyHits: keys.stats.hits, publicKeyMisses: keys.stats.misses, signatureHits: sigs.stats.hits, signatureMisses: sigs.stats.misses, pairings };
}
