/**
 * Blocked node ids and URLs: operator blocks (config and `block()`, until unblocked), score bans
 * (with expiry) and short cooldowns after a score disconnect. Operator blocks and bans are persisted
 * through the peer store; cooldowns live in memory only.
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
  ) {}

  /**
   * Add an entry (normalized); an operator block is never downgraded to a ban or cooldown.
   * Without `durationMs` it lasts until removed; `persist` (default true) saves operator blocks and bans.
   * Returns the kind the entry had before (undefined when it was not blocked).
   * @throws {TypeError} when `entry` is neither a node id nor a ws/wss URL.
   */
  add(entry: string, kind: Kind, opts: { durationMs?: number; persist?: boolean } = {}): Kind | undefined {
    const { durationMs, persist = true } = opts;
    const key = normalizeBlockEntry(entry);
    const old = this.isBlocked(key) ? this.entries.get(key) : undefined;
    if (old?.kind === "operator" && kind !== "operator") return old.kind;
    const until = durationMs === undefined ? undefined : this.clock.now() + durationMs;
    this.entries.set(key, until === undefined ? { kind } : { kind, until });
    if (persist && kind !== "cooldown") this.store.saveBlock(until === undefined ? { entry: key, kind } : { entry: key, kind, until });
    return old?.kind;
  }

  /** Restore a persisted entry with an absolute expiry (expired ones are dropped). */
  restore(entry: string, kind: "operator" | "ban", until: number | undefined): void {
    if (until !== undefined && until <= this.clock.now()) {
      this.store.deleteBlock(entry);
      return;
    }
    this.entries.set(entry, until === undefined ? { kind } : { kind, until });
  }

  remove(entry: string): void {
    const key = normalizeBlockEntry(entry);
    this.entries.delete(key);
    this.store.deleteBlock(key);
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
