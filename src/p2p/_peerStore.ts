/**
 * Known peers and persisted blocks in the node's KV store (under `prefix`, default "p2p/"):
 * `prefix + "peer/" + url → RLP[nodeId | "", lastSeenMs, failures]` and
 * `prefix + "block/" + entry → RLP[kind, untilMs | 0]`. Without a store everything lives in memory.
 * Bootnodes are kept forever; other addresses are dropped after too many consecutive failures, and
 * the table is bounded (the stalest entries go first).
 */
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, hexToBytes } from "../util/bytes.ts";
import type { PeerId, PeerStoreKV } from "./types.ts";

/** One known address. */
export interface PeerRecord {
  url: string;
  /** Known once a handshake with it succeeded. */
  nodeId?: PeerId;
  lastSeen: number;
  failures: number;
  bootnode: boolean;
}

/** A persisted block (operator block or score ban). */
export interface StoredBlock {
  entry: string;
  kind: "operator" | "ban";
  /** Expiry in ms since the epoch; undefined = until unblocked. */
  until?: number;
}

const MAX_PEERS = 2_000;
const enc = new TextEncoder();
const dec = new TextDecoder();

function toNum(b: Uint8Array): number {
  let n = 0;
  for (const x of b) n = n * 256 + x;
  return n;
}

/** The peer table, optionally persisted. */
export class PeerStore {
  private readonly peers = new Map<string, PeerRecord>();
  private readonly peerPrefix: Uint8Array;
  private readonly blockPrefix: Uint8Array;

  constructor(
    private readonly kv: PeerStoreKV | undefined,
    prefix: string,
    private readonly maxFailures: number,
  ) {
    this.peerPrefix = enc.encode(`${prefix}peer/`);
    this.blockPrefix = enc.encode(`${prefix}block/`);
  }

  /** Load persisted peers; returns persisted blocks for the blocklist. Corrupt records are deleted. */
  load(): StoredBlock[] {
    if (!this.kv) return [];
    for (const [k, v] of [...this.kv.iterate({ prefix: this.peerPrefix })]) {
      const url = dec.decode(k.subarray(this.peerPrefix.length));
      try {
        const [id, seen, fails] = RLP.decode(v) as Uint8Array[];
        if (!(id instanceof Uint8Array) || !(seen instanceof Uint8Array) || !(fails instanceof Uint8Array)) throw new TypeError("shape");
        const rec: PeerRecord = { url, lastSeen: toNum(seen), failures: toNum(fails), bootnode: false };
        if (id.length === 20) rec.nodeId = bytesToHex(id);
        this.peers.set(url, rec);
      } catch {
        this.kv.del(k);
      }
    }
    const blocks: StoredBlock[] = [];
    for (const [k, v] of [...this.kv.iterate({ prefix: this.blockPrefix })]) {
      const entry = dec.decode(k.subarray(this.blockPrefix.length));
      try {
        const [kind, until] = RLP.decode(v) as Uint8Array[];
        if (!(kind instanceof Uint8Array) || !(until instanceof Uint8Array)) throw new TypeError("shape");
        const k2 = dec.decode(kind);
        if (k2 !== "operator" && k2 !== "ban") throw new TypeError("kind");
        const u = toNum(until);
        blocks.push(u === 0 ? { entry, kind: k2 } : { entry, kind: k2, until: u });
      } catch {
        this.kv.del(k);
      }
    }
    return blocks;
  }

  /** Add an address if unknown (bootnodes are marked so they are never forgotten). */
  add(url: string, bootnode = false): PeerRecord {
    let rec = this.peers.get(url);
    if (rec) {
      if (bootnode && !rec.bootnode) rec.bootnode = true;
      return rec;
    }
    rec = { url, lastSeen: 0, failures: 0, bootnode };
    this.peers.set(url, rec);
    this.evict();
    this.save(rec);
    return rec;
  }

  get(url: string): PeerRecord | undefined {
    return this.peers.get(url);
  }

  all(): PeerRecord[] {
    return [...this.peers.values()];
  }

  /** A handshake with `url` succeeded as `nodeId`. */
  markSuccess(url: string, nodeId: PeerId, now: number): void {
    const rec = this.add(url);
    rec.nodeId = nodeId;
    rec.lastSeen = now;
    rec.failures = 0;
    this.save(rec);
  }

  /** A dial or handshake with `url` failed; forgets it after `maxFailures` unless it is a bootnode (then true). */
  markFailure(url: string): boolean {
    const rec = this.peers.get(url);
    if (!rec) return false;
    rec.failures++;
    if (!rec.bootnode && rec.failures >= this.maxFailures) {
      this.remove(url);
      return true;
    }
    this.save(rec);
    return false;
  }

  remove(url: string): void {
    this.peers.delete(url);
    this.kv?.del(this.peerKey(url));
  }

  /** Up to `limit` addresses that handshook recently, freshest first (for peer exchange). */
  goodUrls(limit: number, exclude: Set<string>): string[] {
    return this.all()
      .filter((r) => r.nodeId !== undefined && r.failures === 0 && !exclude.has(r.url) && !exclude.has(r.nodeId))
      .sort((a, b) => b.lastSeen - a.lastSeen)
      .slice(0, limit)
      .map((r) => r.url);
  }

  saveBlock(b: StoredBlock): void {
    this.kv?.put(this.blockKey(b.entry), RLP.encode([enc.encode(b.kind), b.until ?? 0]));
  }

  deleteBlock(entry: string): void {
    this.kv?.del(this.blockKey(entry));
  }

  private save(rec: PeerRecord): void {
    const id = rec.nodeId ? hexToBytes(rec.nodeId) : new Uint8Array(0);
    this.kv?.put(this.peerKey(rec.url), RLP.encode([id, rec.lastSeen, rec.failures]));
  }

  private evict(): void {
    if (this.peers.size <= MAX_PEERS) return;
    const victims = this.all()
      .filter((r) => !r.bootnode)
      .sort((a, b) => a.lastSeen - b.lastSeen || b.failures - a.failures);
    for (const r of victims.slice(0, this.peers.size - MAX_PEERS)) this.remove(r.url);
  }

  private peerKey(url: string): Uint8Array {
    return concat(this.peerPrefix, enc.encode(url));
  }

  private blockKey(entry: string): Uint8Array {
    return concat(this.blockPrefix, enc.encode(entry));
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
