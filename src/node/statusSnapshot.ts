/**
 * The node's status snapshot (`hmy_getNodeStatus`, the status page at `GET /`): head and its age,
 * finality of recent blocks, epochs, the committee's signed/missed share, our keys, peers, sync,
 * consensus, txpool, shards, crosslinks and staking — computed in-process from the node's parts
 * ({@link StatusSnapshotSources}), so one answer replaces the dozens of RPC calls `harmony status`
 * otherwise makes. The shape and its units are documented in statusSnapshotTypes.ts.
 */
import type { Header } from "../core/index.ts";
import { type MethodHandler, RpcErrorCode, rpcError } from "../rpc/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import type { DriverStats } from "./driverStats.ts";
import type { DriverStatus } from "./driverTypes.ts";
import type {
  CommitteeKeyStatus, CrossLinkStatus, MyKeyStatus, NodeStatus, PeerStatus, RecentBlockStatus, StakingStatus,
} from "./statusSnapshotTypes.ts";

/** Blocks the snapshot counts signatures and finality over. */
export const STATUS_WINDOW = 32;
/** Newest blocks listed one by one in `finality.recent`. */
export const STATUS_RECENT_BLOCKS = 12;

/** The committee of one epoch as the snapshot reads it (an `EpochCommittee` fits). */
export interface StatusCommittee {
  readonly epoch: bigint;
  readonly committee: { readonly keys: readonly Uint8Array[]; readonly size: number };
  /** Validator address per slot. */
  readonly addresses: readonly Uint8Array[];
  /** Slots our keys hold. */
  readonly mySlots: readonly number[];
}

/** A connected peer as the snapshot reads it (p2p's `PeerInfo` fits). */
export interface StatusPeer {
  readonly id: string;
  readonly url: string;
  readonly direction: "inbound" | "outbound";
  readonly score: number;
  readonly head: { readonly number: bigint };
  readonly connectedAt: number;
}

/** Where the snapshot reads each fact, at call time; optional parts a node lacks are left out. */
export interface StatusSnapshotSources {
  readonly version: string;
  readonly networkId: number;
  readonly shardId: number;
  readonly chainId: bigint;
  readonly epochBlocks: number;
  /** Our BLS public keys (elected or not). */
  readonly myKeys: readonly Uint8Array[];
  /** Wall clock, ms. */
  now(): number;
  head(): Header;
  headerByNumber(n: bigint): Header | undefined;
  /** When this node committed block `n` (wall clock ms), if it saw that live. */
  committedAt(n: bigint): number | undefined;
  /** The committee of `epoch` when settled (a node without committees: always undefined). */
  committeeAt(epoch: bigint): StatusCommittee | undefined;
  /** The committee being decided (the block after the head's). */
  currentCommittee(): StatusCommittee | undefined;
  /** Epoch of the beacon chain's head (the head's own on the beacon shard). */
  beaconEpoch(): bigint;
  /** The consensus driver, when the node runs one. */
  consensus?(): { status: DriverStatus; stats: DriverStats } | undefined;
  peers(): readonly StatusPeer[];
  sync(): { syncing: boolean; startingBlock: bigint; currentBlock: bigint; highestBlock: bigint; blocksPerSecond?: number; etaSeconds?: number };
  txpool(): { pending: number; queued: number };
  /** Every shard this node runs, with its head. */
  shards(): readonly { shardId: number; head: Header }[];
  /** Last crosslink of each shard (beacon chain; several shards only). */
  crossLinks?(): readonly { shardId: number; blockNumber: bigint; epoch: bigint }[];
  /** Incoming cross-shard receipt proofs held, not yet credited (several shards only). */
  cxPending?(): number;
  staking?(): StakingStatus | undefined;
}

const n = (v: bigint): number => Number(v);
const round3 = (v: number): number => Math.round(v * 1000) / 1000;
const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : round3(xs.reduce((a, b) => a + b, 0) / xs.length));

function bitSet(bitmap: Uint8Array, slot: number): boolean {
  return ((bitmap[slot >> 3] ?? 0) & (1 << (slot & 7))) !== 0;
}

function countBits(bitmap: Uint8Array, size: number): number {
  let c = 0;
  for (let i = 0; i < size; i++) if (bitSet(bitmap, i)) c++;
  return c;
}

// The window's headers, oldest first, ending at the head (fewer near genesis or after a gap).
function windowHeaders(src: StatusSnapshotSources, head: Header): Header[] {
  const out: Header[] = [head];
  for (let i = 1n; i <= BigInt(STATUS_WINDOW) && head.number - i >= 0n; i++) {
    const h = src.headerByNumber(head.number - i);
    if (h === undefined) break;
    out.unshift(h);
  }
  return out;
}

interface Signatures {
  /** Key → signed/missed/lastSigned over the window. */
  byKey: Map<string, { signed: number; missed: number; lastSigned: number | null }>;
  /** Block number → signers count and committee size. */
  byBlock: Map<bigint, { signers: number; size: number }>;
}

// Header h's lastCommitBitmap records who signed block h-1, over the committee of h-1's epoch.
function countSignatures(src: StatusSnapshotSources, headers: readonly Header[]): Signatures {
  const byKey: Signatures["byKey"] = new Map();
  const byBlock: Signatures["byBlock"] = new Map();
  for (let i = 1; i < headers.length; i++) {
    const parent = headers[i - 1] as Header;
    const child = headers[i] as Header;
    const c = committeeOrNone(() => src.committeeAt(parent.epoch));
    if (c === undefined || child.lastCommitBitmap.length === 0) continue;
    const size = c.committee.size;
    byBlock.set(parent.number, { signers: countBits(child.lastCommitBitmap, size), size });
    c.committee.keys.forEach((k, slot) => {
      const key = bytesToHex(k);
      const s = byKey.get(key) ?? { signed: 0, missed: 0, lastSigned: null };
      if (bitSet(child.lastCommitBitmap, slot)) {
        s.signed++;
        s.lastSigned = n(parent.number);
      } else s.missed++;
      byKey.set(key, s);
    });
  }
  return { byKey, byBlock };
}

function finalityOf(src: StatusSnapshotSources, headers: readonly Header[], sigs: Signatures): NodeStatus["finality"] {
  const intervals: number[] = [];
  const delays: number[] = [];
  const rows: RecentBlockStatus[] = [];
  headers.forEach((h, i) => {
    const at = src.committedAt(h.number);
    const delay = at === undefined ? null : round3(Math.max(0, at / 1000 - n(h.timestamp)));
    if (delay !== null) delays.push(delay);
    const prev = i > 0 ? (headers[i - 1] as Header) : undefined;
    let interval: number | null = null;
    // The genesis block's timestamp is the network's, not a production time: no interval to it.
    if (prev !== undefined && prev.number > 0n) {
      // Local commit times are to the millisecond; header timestamps only to the second.
      const prevAt = src.committedAt(prev.number);
      interval = round3(at !== undefined && prevAt !== undefined ? (at - prevAt) / 1000 : n(h.timestamp - prev.timestamp));
      intervals.push(interval);
    }
    const s = sigs.byBlock.get(h.number);
    rows.push({
      number: n(h.number), hash: bytesToHex(h.hash), timestamp: n(h.timestamp), intervalSeconds: interval, commitDelaySeconds: delay,
      signers: s?.signers ?? null, committeeSize: s?.size ?? committeeOrNone(() => src.committeeAt(h.epoch))?.committee.size ?? null,
    });
  });
  return { window: headers.length, meanIntervalSeconds: mean(intervals), meanCommitDelaySeconds: mean(delays), recent: rows.reverse().slice(0, STATUS_RECENT_BLOCKS) };
}

// Reasons of a view entered after a failed one; start, height and rotation are normal progress.
const VIEW_CHANGE_REASONS = ["timeout", "newview", "join"] as const;

function consensusOf(d: { status: DriverStatus; stats: DriverStats } | undefined, current: StatusCommittee | undefined): NodeStatus["consensus"] {
  if (d === undefined) return null;
  const { status, stats } = d;
  const leader = current?.committee.keys[status.leaderSlot];
  return {
    mode: status.mode, phase: status.phase, viewId: n(status.view), leaderSlot: status.leaderSlot, leaderKey: leader === undefined ? null : bytesToHex(leader),
    isLeader: status.isLeader, blocksCommitted: stats.blocksCommitted, viewsEntered: { ...stats.viewChanges },
    viewChangesTotal: VIEW_CHANGE_REASONS.reduce((a, r) => a + (stats.viewChanges[r] ?? 0), 0),
  };
}

function peersOf(src: StatusSnapshotSources, now: number): PeerStatus[] {
  return src.peers().map((p) => ({
    id: p.id, url: p.url, direction: p.direction, score: round3(p.score), head: n(p.head.number), connectedSeconds: Math.max(0, Math.round((now - p.connectedAt) / 1000)),
  }));
}

/**
 * The snapshot now.
 * @throws only what a source throws for the required facts (head, peers, sync, txpool); optional
 * sources that fail leave their fact `null`.
 */
export function getNodeStatus(src: StatusSnapshotSources): NodeStatus {
  const now = src.now();
  const head = src.head();
  const headers = windowHeaders(src, head);
  const sigs = countSignatures(src, headers);
  const current = committeeOrNone(() => src.currentCommittee());
  const mine = new Set(current?.mySlots ?? []);
  const committee = current === undefined ? null : {
    epoch: n(current.epoch), size: current.committee.size,
    keys: current.committee.keys.map((k, slot): CommitteeKeyStatus => {
      const key = bytesToHex(k);
      const s = sigs.byKey.get(key);
      const addr = current.addresses[slot];
      return { slot, key, validator: addr === undefined ? "" : bytesToHex(addr), signed: s?.signed ?? 0, missed: s?.missed ?? 0, mine: mine.has(slot), lastSigned: s?.lastSigned ?? null };
    }),
  };
  const driver = src.consensus?.();
  const cons = consensusOf(driver, current);
  const stats = driver?.stats;
  const myKeys = src.myKeys.map((k): MyKeyStatus => {
    const key = bytesToHex(k);
    const slot = current?.committee.keys.findIndex((c) => bytesToHex(c) === key) ?? -1;
    return { key, slot: slot < 0 ? null : slot, lastSigned: sigs.byKey.get(key)?.lastSigned ?? null, signedSinceStart: stats?.signed[key] ?? 0, missedSinceStart: stats?.missed[key] ?? 0 };
  });
  const sync = src.sync();
  const home = src.shardId;
  return {
    version: src.version, networkId: src.networkId, shardId: src.shardId, chainId: n(src.chainId), now,
    head: { number: n(head.number), hash: bytesToHex(head.hash), timestamp: n(head.timestamp), ageSeconds: round3(Math.max(0, now / 1000 - n(head.timestamp))) },
    finality: finalityOf(src, headers, sigs),
    epoch: { current: n(head.epoch), beacon: n(src.beaconEpoch()), blocksPerEpoch: src.epochBlocks },
    consensus: cons,
    committee,
    myKeys,
    peers: (() => {
      const list = peersOf(src, now);
      return { count: list.length, list };
    })(),
    sync: {
      syncing: sync.syncing, startingBlock: n(sync.startingBlock), currentBlock: n(sync.currentBlock), highestBlock: n(sync.highestBlock),
      blocksPerSecond: sync.blocksPerSecond === undefined ? null : round3(sync.blocksPerSecond), etaSeconds: sync.etaSeconds === undefined ? null : Math.round(sync.etaSeconds),
    },
    txpool: src.txpool(),
    shards: src.shards().map((s) => ({ shardId: s.shardId, head: n(s.head.number), epoch: n(s.head.epoch), home: s.shardId === home })).sort((a, b) => a.shardId - b.shardId),
    crossLinks: optional(() => src.crossLinks?.().map((l): CrossLinkStatus => ({ shardId: l.shardId, blockNumber: n(l.blockNumber), epoch: n(l.epoch) }))),
    cxPending: optional(() => src.cxPending?.()),
    staking: optional(() => src.staking?.()),
  };
}

// A committee the chain cannot name (an epoch without our shard's slots) is shown as none.
function committeeOrNone(f: () => StatusCommittee | undefined): StatusCommittee | undefined {
  return optional(f) ?? undefined;
}

// An optional fact: absent or failing (e.g. read while a store closes) is null, not an error.
function optional<T>(f: () => T | undefined): T | null {
  try {
    return f() ?? null;
  } catch {
    return null;
  }
}

/** `hmy_getNodeStatus` (no params; see statusSnapshotTypes.ts), for `createRPCServer({ extraMethods })`. */
export function createStatusMethods(src: StatusSnapshotSources): Record<string, MethodHandler> {
  return {
    hmy_getNodeStatus: (params) => {
      if (params.length > 0) throw rpcError(RpcErrorCode.INVALID_PARAMS, `hmy_getNodeStatus takes no params, got ${params.length}`);
      return getNodeStatus(src);
    },
  };
}
