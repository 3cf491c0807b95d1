/**
 * The one-line status of a running devnet, printed every second: height, view, leader, peers and the
 * time since the last block, from `hmy_getNodeMetadata` of every node (and `hmy_getLeader` when no
 * node says it leads).
 */
import type { DevnetNodeEndpoints } from "./_devnetConfig.ts";
import { leaderKeyOf, normalizeKey, rpcCall, toNumber } from "./_devnetRPC.ts";

/** What one node reported (or that it did not answer). */
export interface NodeStatus {
  name: string;
  up: boolean;
  blockNumber?: number;
  viewId?: number;
  peerCount?: number;
  isLeader?: boolean;
  syncing?: boolean;
}

/** One poll of every node. */
export interface DevnetSnapshot {
  nodes: NodeStatus[];
  /** Name of the node holding the leader key (or a key prefix when no node of the devnet holds it). */
  leader?: string;
}

async function nodeStatus(e: DevnetNodeEndpoints, timeoutMs: number): Promise<NodeStatus> {
  try {
    const m = (await rpcCall(e.rpc, "hmy_getNodeMetadata", [], timeoutMs)) as Record<string, unknown>;
    const s: NodeStatus = { name: e.name, up: true };
    const bn = toNumber(m.blockNumber);
    const view = toNumber(m.viewId);
    const peers = toNumber(m.peerCount);
    if (bn !== undefined) s.blockNumber = bn;
    if (view !== undefined) s.viewId = view;
    if (peers !== undefined) s.peerCount = peers;
    if (typeof m.isLeader === "boolean") s.isLeader = m.isLeader;
    if (m.syncing !== undefined) s.syncing = m.syncing !== false;
    return s;
  } catch {
    return { name: e.name, up: false };
  }
}

/** Poll every node once (in parallel, each bounded by `timeoutMs`). */
export async function pollDevnet(endpoints: readonly DevnetNodeEndpoints[], timeoutMs = 800): Promise<DevnetSnapshot> {
  const nodes = await Promise.all(endpoints.map((e) => nodeStatus(e, timeoutMs)));
  const snap: DevnetSnapshot = { nodes };
  const leading = nodes.filter((n) => n.isLeader).sort((a, b) => (b.viewId ?? 0) - (a.viewId ?? 0))[0];
  if (leading) snap.leader = leading.name;
  else {
    const asked = endpoints.find((_, i) => nodes[i]?.up);
    if (asked) {
      try {
        const key = leaderKeyOf(await rpcCall(asked.rpc, "hmy_getLeader", [], timeoutMs));
        const holder = endpoints.find((e) => e.blsKeys.some((k) => normalizeKey(k) === key));
        if (key) snap.leader = holder ? holder.name : `${key.slice(0, 8)}…`;
      } catch {
        // no leader known yet
      }
    }
  }
  return snap;
}

/** Remembers when the height last moved, to print the age of the last block. */
export class StatusLine {
  #height = -1;
  #at = 0;

  /** The status line of `snap` observed at `now` (ms). */
  format(snap: DevnetSnapshot, now: number): string {
    const up = snap.nodes.filter((n) => n.up);
    const heights = up.map((n) => n.blockNumber).filter((h): h is number => h !== undefined);
    const height = heights.length ? Math.max(...heights) : undefined;
    if (height !== undefined && height > this.#height) {
      this.#height = height;
      this.#at = now;
    }
    const views = up.map((n) => n.viewId).filter((v): v is number => v !== undefined);
    const parts = [
      new Date(now).toISOString().slice(11, 19),
      `height ${height ?? "?"}`,
      `view ${views.length ? Math.max(...views) : "?"}`,
      `leader ${snap.leader ?? "?"}`,
      `peers ${snap.nodes.map((n) => (n.up ? (n.peerCount ?? "?") : "-")).join("/")}`,
      `last block ${this.#at ? `${((now - this.#at) / 1000).toFixed(1)}s ago` : "-"}`,
    ];
    const behind = up.filter((n) => height !== undefined && n.blockNumber !== undefined && n.blockNumber < height - 1).map((n) => `${n.name}@${n.blockNumber}`);
    if (behind.length) parts.push(`behind ${behind.join(",")}`);
    const syncing = up.filter((n) => n.syncing).map((n) => n.name);
    if (syncing.length) parts.push(`syncing ${syncing.join(",")}`);
    const down = snap.nodes.filter((n) => !n.up).map((n) => n.name);
    if (down.length) parts.push(`down ${down.join(",")}`);
    return parts.join("  ");
  }
}
