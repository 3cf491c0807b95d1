/**
 * The one-line status of a running devnet, printed every second: per shard its height, view, epoch,
 * leader, peers and the time since its last block, from `hmy_getNodeMetadata` of every node (and
 * `hmy_getLeader` for a shard where no node says it leads). A node is counted on the shard it reports
 * (keys may move shard at an epoch boundary), else on the shard of its layout.
 */
import type { DevnetNodeEndpoints } from "./_devnetConfig.ts";
import { leaderKeyOf, normalizeKey, rpcCall, toNumber } from "./_devnetRPC.ts";

/** What one node reported (or that it did not answer). */
export interface NodeStatus {
  name: string;
  up: boolean;
  /** The shard it reports serving, else its layout's. */
  shardId: number;
  blockNumber?: number;
  viewId?: number;
  epoch?: number;
  peerCount?: number;
  isLeader?: boolean;
  syncing?: boolean;
}

/** One poll of every node. */
export interface DevnetSnapshot {
  nodes: NodeStatus[];
  /** Shard ids of the devnet (from its layout), ascending. */
  shards: number[];
  /** Per shard: name of the node holding its leader key (or a key prefix when no node of the devnet holds it). */
  leaders: Map<number, string>;
}

async function nodeStatus(e: DevnetNodeEndpoints, timeoutMs: number): Promise<NodeStatus> {
  try {
    const m = (await rpcCall(e.rpc, "hmy_getNodeMetadata", [], timeoutMs)) as Record<string, unknown>;
    const reported = toNumber(m.shardId);
    const s: NodeStatus = { name: e.name, up: true, shardId: reported ?? e.shardId };
    const fields = [["blockNumber", m.blockNumber], ["viewId", m.viewId], ["epoch", m.epoch], ["peerCount", m.peerCount]] as const;
    for (const [k, v] of fields) {
      const n = toNumber(v);
      if (n !== undefined) s[k] = n;
    }
    if (typeof m.isLeader === "boolean") s.isLeader = m.isLeader;
    if (m.syncing !== undefined) s.syncing = m.syncing !== false;
    return s;
  } catch {
    return { name: e.name, up: false, shardId: e.shardId };
  }
}

async function askLeader(endpoints: readonly DevnetNodeEndpoints[], asked: DevnetNodeEndpoints, timeoutMs: number): Promise<string | undefined> {
  try {
    const key = leaderKeyOf(await rpcCall(asked.rpc, "hmy_getLeader", [], timeoutMs));
    if (!key) return undefined;
    const holder = endpoints.find((e) => e.blsKeys.some((k) => normalizeKey(k) === key));
    return holder ? holder.name : `${key.slice(0, 8)}…`;
  } catch {
    return undefined; // no leader known yet
  }
}

/** Poll every node once (in parallel, each bounded by `timeoutMs`). */
export async function pollDevnet(endpoints: readonly DevnetNodeEndpoints[], timeoutMs = 800): Promise<DevnetSnapshot> {
  const nodes = await Promise.all(endpoints.map((e) => nodeStatus(e, timeoutMs)));
  const shards = [...new Set(endpoints.map((e) => e.shardId))].sort((a, b) => a - b);
  const leaders = new Map<number, string>();
  await Promise.all(
    shards.map(async (s) => {
      const leading = nodes.filter((n) => n.shardId === s && n.isLeader).sort((a, b) => (b.viewId ?? 0) - (a.viewId ?? 0))[0];
      if (leading) return void leaders.set(s, leading.name);
      const asked = endpoints.find((_, i) => nodes[i]?.up && nodes[i]?.shardId === s);
      const name = asked ? await askLeader(endpoints, asked, timeoutMs) : undefined;
      if (name) leaders.set(s, name);
    }),
  );
  return { nodes, shards, leaders };
}

const maxOf = (xs: (number | undefined)[]): number | undefined => {
  const v = xs.filter((x): x is number => x !== undefined);
  return v.length ? Math.max(...v) : undefined;
};

/** Remembers when each shard's height last moved, to print the age of its last block. */
export class StatusLine {
  readonly #last = new Map<number, { height: number; at: number }>();

  #shardPart(snap: DevnetSnapshot, shardId: number, now: number): { text: string; height: number | undefined } {
    const nodes = snap.nodes.filter((n) => n.shardId === shardId);
    const up = nodes.filter((n) => n.up);
    const height = maxOf(up.map((n) => n.blockNumber));
    const last = this.#last.get(shardId) ?? { height: -1, at: 0 };
    if (height !== undefined && height > last.height) this.#last.set(shardId, { height, at: now });
    const at = this.#last.get(shardId)?.at ?? 0;
    const text = [
      `height ${height ?? "?"}`,
      `view ${maxOf(up.map((n) => n.viewId)) ?? "?"}`,
      `epoch ${maxOf(up.map((n) => n.epoch)) ?? "?"}`,
      `leader ${snap.leaders.get(shardId) ?? "?"}`,
      `peers ${nodes.map((n) => (n.up ? (n.peerCount ?? "?") : "-")).join("/")}`,
      `last block ${at ? `${((now - at) / 1000).toFixed(1)}s ago` : "-"}`,
    ].join("  ");
    return { text, height };
  }

  /** The status line of `snap` observed at `now` (ms): one part per shard, then the nodes behind, syncing or down. */
  format(snap: DevnetSnapshot, now: number): string {
    const shards = [...new Set([...snap.shards, ...snap.nodes.map((n) => n.shardId)])].sort((a, b) => a - b);
    const heights = new Map<number, number | undefined>();
    const parts = shards.map((s) => {
      const p = this.#shardPart(snap, s, now);
      heights.set(s, p.height);
      // One shard keeps the line it always had; several are told apart by a prefix.
      return shards.length === 1 ? p.text : `shard ${s}: ${p.text}`;
    });
    const line = [new Date(now).toISOString().slice(11, 19), parts.join("  |  ")];
    const up = snap.nodes.filter((n) => n.up);
    const behind = up
      .filter((n) => {
        const h = heights.get(n.shardId);
        return h !== undefined && n.blockNumber !== undefined && n.blockNumber < h - 1;
      })
      .map((n) => `${n.name}@${n.blockNumber}`);
    if (behind.length) line.push(`behind ${behind.join(",")}`);
    const syncing = up.filter((n) => n.syncing).map((n) => n.name);
    if (syncing.length) line.push(`syncing ${syncing.join(",")}`);
    const down = snap.nodes.filter((n) => !n.up).map((n) => n.name);
    if (down.length) line.push(`down ${down.join(",")}`);
    return line.join("  ");
  }
}
