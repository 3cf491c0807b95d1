/**
 * Blocked node ids and URLs: operator blocks (config and `block()`, until unblocked), score bans
 * (with expiry) and short cooldowns after a score disconnect. Operator blocks and bans are persisted
 * through the peer store; cooldowns live in memory only. The list is bounded: when full, expired
 * entries go first, then cooldowns (oldest first), then the bans that expire soonest; operator blocks
 * are never evicted, so a new one beyond a bound full of them is refused.
 */
import { tryNormalizeUrl } from "./_handshake.ts";
import type { PeerStore } from "./_peerStore.ts";
import type { IClock } from "./types.ts";

type Kind = "operator" | "ban" | "cooldown";
const NODE_ID = /^0x[0-9a-fA-F]{40}$/;

/**
 * The canonical form of a block entry: a lowercase node id, or a normalized URL.
 * @throws {TypeError} when `entry` is neither.
 */
export function normalizeBlockEntry(entry: string): string {
  if (NODE_ID.test(entry)) return entry.toLowerCase();
  const url = tryNormalizeUrl(entry);
  if (url === undefined) throw new TypeError(`blocklist entry is neither a 0x node id nor a ws:// URL: ${String(entry).slice(0, 80)}`);
  return url;
}

/** The set of blocked entries with their kind and expiry. */
export class Blocklist {
  private readonly entries = new Map<string, { kind: Kind; until?: number }>();
  constructor(
    private readonly store: PeerStore,
    private readonly clock: IClock,
    readonly maxEntries: number,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxBlocklistEntries must be a positive integer, got ${maxEntries}`);
  }

  /**
   * Add an entry (normalized); an operator block is never downgraded to a ban or cooldown.
   * Without `durationMs` it lasts until removed; `persist` (default true) saves operator blocks and bans.
   * Returns the kind the entry had before (undefined when it was not blocked). A ban or cooldown that
   * finds the list full of operator blocks is not recorded.
   * @throws {TypeError} when `entry` is neither a node id nor a ws/wss URL.
   * @throws {RangeError} for an operator block when the list is full of operator blocks.
   */
  add(entry: string, kind: Kind, opts: { durationMs?: number; persist?: boolean } = {}): Kind | undefined {
    const { durationMs, persist = true } = opts;
    const key = normalizeBlockEntry(entry);
    const old = this.isBlocked(key) ? this.entries.get(key) : undefined;
    if (old?.kind === "operator" && kind !== "operator") return old.kind;
    if (old === undefined && !this.makeRoom()) {
      if (kind === "operator") throw new RangeError(`blocklist is full: ${this.maxEntries} operator blocks; unblock some first`);
      return undefined;
    }
    const until = durationMs === undefined ? undefined : this.clock.now() + durationMs;
    this.entries.set(key, until === undefined ? { kind } : { kind, until });
    if (persist && kind !== "cooldown") this.store.saveBlock(until === undefined ? { entry: key, kind } : { entry: key, kind, until });
    return old?.kind;
  }

  /** Restore a persisted entry with an absolute expiry (expired ones, and any beyond the bound, are dropped). */
  restore(entry: string, kind: "operator" | "ban", until: number | undefined): void {
    if ((until !== undefined && until <= this.clock.now()) || (!this.entries.has(entry) && !this.makeRoom())) {
      this.store.deleteBlock(entry);
      return;
    }
    this.entries.set(entry, until === undefined ? { kind } : { kind, until });
  }

  /**
   * Lift any block of `entry` (operator, ban or cooldown); returns the kind it had, undefined when none.
   * @throws {TypeError} when `entry` is neither a node id nor a ws/wss URL.
   */
  remove(entry: string): Kind | undefined {
    const key = normalizeBlockEntry(entry);
    const old = this.isBlocked(key) ? this.entries.get(key)?.kind : undefined;
    this.entries.delete(key);
    this.store.deleteBlock(key);
    return old;
  }

  /** Entries blocked now: operator blocks and bans (cooldowns are short and not listed). */
  list(): { entry: string; kind: "operator" | "ban" }[] {
    this.purgeExpired();
    const out: { entry: string; kind: "operator" | "ban" }[] = [];
    for (const [entry, e] of this.entries) if (e.kind !== "cooldown") out.push({ entry, kind: e.kind });
    return out;
  }

  /** Entries held now, of every kind. */
  get size(): number {
    return this.entries.size;
  }

  /** Make room for one more entry; false when only operator blocks fill the list. */
  private makeRoom(): boolean {
    if (this.entries.size < this.maxEntries) return true;
    this.purgeExpired();
    if (this.entries.size < this.maxEntries) return true;
    let victim: string | undefined;
    let victimRank = Number.POSITIVE_INFINITY;
    for (const [key, e] of this.entries) {
      // Cooldowns first (in insertion order, so the oldest), then the ban that ends soonest.
      const rank = e.kind === "cooldown" ? Number.NEGATIVE_INFINITY : e.kind === "ban" ? (e.until ?? Number.MAX_VALUE) : Number.POSITIVE_INFINITY;
      if (rank < victimRank) [victim, victimRank] = [key, rank];
      if (rank === Number.NEGATIVE_INFINITY) break;
    }
    if (victim === undefined) return false;
    const e = this.entries.get(victim);
    this.entries.delete(victim);
    if (e?.kind !== "cooldown") this.store.deleteBlock(victim);
    return true;
  }

  private purgeExpired(): void {
    const now = this.clock.now();
    for (const [key, e] of [...this.entries]) {
      if (e.until === undefined || e.until > now) continue;
      this.entries.delete(key);
      if (e.kind !== "cooldown") this.store.deleteBlock(key);
    }
  }

  /** True when any of `keys` (node ids or URLs, any case/form) is blocked now. */
  isBlocked(...keys: (string | undefined)[]): boolean {
    const now = this.clock.now();
    for (const k of keys) {
      if (k === undefined) continue;
      let key: string;
      try {
        key = normalizeBlockEntry(k);
      } catch {
        continue;
      }
      const e = this.entries.get(key);
      if (!e) continue;
      if (e.until !== undefined && e.until <= now) {
        this.entries.delete(key);
        if (e.kind !== "cooldown") this.store.deleteBlock(key);
        continue;
      }
      return true;
    }
    return false;
  }
}
