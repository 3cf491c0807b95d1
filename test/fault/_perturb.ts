/**
 * Carries out one manifest step on the real processes: signals (SIGKILL + restart, SIGSTOP/SIGCONT),
 * a p2p partition through the admin RPC blocklist (`admin_blockPeer` of every node id on the other
 * side, both ways; healing unblocks them), and a data dir taken while the node is paused and put back
 * later in place of its newer one.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import type { InvariantChecker } from "./_invariants.ts";
import type { FaultStep } from "./_manifest.ts";
import { type FaultNetwork, VOTE_LOG_FILE } from "./_network.ts";

// Kept across a restore: the node's output and its vote log (which must span every incarnation).
const KEEP = new Set(["node.log", VOTE_LOG_FILE]);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** What a step changes besides the processes. */
export interface PerturbState {
  /** Active partition groups, or undefined. */
  groups: string[][] | undefined;
  /** node name → its admin node id (`admin_nodeInfo`), fetched when first needed. */
  ids: Map<string, string>;
}

function snapshotDir(net: FaultNetwork, node: string): string {
  return join(net.dir, ".snapshots", node);
}

/** Copy the node's directory (store, safety record, keys) while it is paused, so the copy is one crash-consistent instant. */
async function snapshot(net: FaultNetwork, node: string): Promise<void> {
  const src = net.node(node).endpoint.dataDir;
  const dst = snapshotDir(net, node);
  rmSync(dst, { recursive: true, force: true });
  mkdirSync(dst, { recursive: true });
  await net.signal(node, "SIGSTOP");
  try {
    for (const e of readdirSync(src)) {
      if (KEEP.has(e)) continue;
      // sqlite's database, -wal and -shm files go together; the LOCK names a pid that will be dead.
      cpSync(join(src, e), join(dst, e), { recursive: true, filter: (p) => basename(p) !== "LOCK" });
    }
  } finally {
    await net.signal(node, "SIGCONT");
  }
}

/** Kill the node, replace its directory by the snapshot, start it again. */
async function restore(net: FaultNetwork, checker: InvariantChecker, node: string): Promise<void> {
  const n = net.node(node);
  if (n.state === "running") await net.signal(node, "SIGKILL");
  const dir = n.endpoint.dataDir;
  const snap = snapshotDir(net, node);
  if (!existsSync(snap)) throw new Error(`restore ${node}: no snapshot at ${snap}`);
  for (const e of readdirSync(dir)) if (!KEEP.has(e)) rmSync(join(dir, e), { recursive: true, force: true });
  cpSync(snap, dir, { recursive: true });
  checker.forget(node);
  net.spawn(node);
  await net.waitServing([node], 60_000);
}

async function nodeId(net: FaultNetwork, st: PerturbState, node: string): Promise<string> {
  const known = st.ids.get(node);
  if (known) return known;
  const info = (await net.rpc(node, "admin_nodeInfo")) as { id?: unknown } | null;
  if (!info || typeof info.id !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(info.id)) throw new Error(`${node}: admin_nodeInfo answered ${JSON.stringify(info)} (is --rpc-admin on?)`);
  st.ids.set(node, info.id.toLowerCase());
  return info.id.toLowerCase();
}

/** Every node blocks every node id of the other groups; then wait until no connection crosses the cut. */
async function partition(net: FaultNetwork, st: PerturbState, groups: string[][]): Promise<void> {
  const side = new Map<string, number>();
  groups.forEach((g, i) => g.forEach((n) => side.set(n, i)));
  const names = [...side.keys()];
  for (const n of names) await nodeId(net, st, n);
  for (const a of names) {
    for (const b of names) {
      if (side.get(a) === side.get(b)) continue;
      const ok = await net.rpc(a, "admin_blockPeer", [st.ids.get(b)]);
      if (ok !== true) throw new Error(`${a}: admin_blockPeer(${b}) answered ${JSON.stringify(ok)}`);
    }
  }
  st.groups = groups;
  const byId = new Map([...st.ids].map(([n, id]) => [id, n]));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const crossing: string[] = [];
    for (const a of names) {
      const peers = (await net.rpc(a, "admin_peers")) as { id?: string }[];
      for (const p of Array.isArray(peers) ? peers : []) {
        const b = byId.get(String(p.id).toLowerCase());
        if (b !== undefined && side.get(b) !== side.get(a)) crossing.push(`${a}↔${b}`);
      }
    }
    if (crossing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`partition: connections still cross the cut after 15s: ${crossing.join(", ")}`);
    await sleep(250);
  }
}

/** Unblock every id blocked by the partition; no operator entry may be left on any node. */
async function heal(net: FaultNetwork, st: PerturbState): Promise<void> {
  const groups = st.groups ?? [];
  for (const [i, g] of groups.entries()) {
    for (const a of g) {
      for (const [j, other] of groups.entries()) {
        if (i === j) continue;
        for (const b of other) {
          const ok = await net.rpc(a, "admin_unblockPeer", [st.ids.get(b)]);
          if (ok !== true) throw new Error(`${a}: admin_unblockPeer(${b}) answered ${JSON.stringify(ok)}`);
        }
      }
      // Bans and cooldowns are the node's own scoring; only the operator entries are ours to lift.
      const list = (await net.rpc(a, "admin_blockedPeers")) as { kind?: unknown }[];
      const left = Array.isArray(list) ? list.filter((e) => e.kind === "operator") : list;
      if (!Array.isArray(left) || left.length > 0) throw new Error(`heal: ${a} still blocks ${JSON.stringify(left)}`);
    }
  }
  st.groups = undefined;
}

/** Wait until the highest head of the running nodes grows by `blocks`. */
async function waitBlocks(net: FaultNetwork, checker: InvariantChecker, blocks: number, withinMs: number): Promise<void> {
  const top = async () => Math.max(-1, ...(await Promise.all(net.running().map((n) => checker.head(n.name).catch(() => -1)))));
  const start = await top();
  const deadline = Date.now() + withinMs;
  for (;;) {
    const now = await top();
    if (now >= start + blocks) return;
    if (Date.now() > deadline) {
      const exits = net.unexpectedExits();
      throw new Error(`liveness: the chain went from ${start} to ${now} in ${withinMs / 1000}s, not ${blocks} blocks further${exits.length > 0 ? `\n${exits.join("\n")}` : ""}`);
    }
    await sleep(250);
  }
}

/**
 * Carry out `step`.
 * @throws {Error} when a process cannot be signalled or started, an admin call fails, or a wait for
 * blocks runs out of time.
 */
export async function applyStep(net: FaultNetwork, checker: InvariantChecker, st: PerturbState, step: FaultStep): Promise<void> {
  switch (step.do) {
    case "wait":
      if (step.blocks !== undefined) return waitBlocks(net, checker, step.blocks, step.withinSeconds * 1000);
      return sleep(step.seconds * 1000);
    case "kill":
      return net.signal(step.node, "SIGKILL");
    case "restart":
      net.spawn(step.node);
      return net.waitServing([step.node], 60_000);
    case "stop":
      return net.signal(step.node, "SIGSTOP");
    case "cont":
      return net.signal(step.node, "SIGCONT");
    case "snapshot":
      return snapshot(net, step.node);
    case "restore":
      return restore(net, checker, step.node);
    case "partition":
      return partition(net, st, step.groups);
    case "heal":
      return heal(net, st);
  }
}

/** A one-line description of a step for the run's log. */
export function describeStep(step: FaultStep): string {
  switch (step.do) {
    case "wait":
      return step.blocks !== undefined ? `wait ${step.blocks} blocks (≤ ${step.withinSeconds}s)` : `wait ${step.seconds}s`;
    case "partition":
      return `partition ${step.groups.map((g) => `{${g.join(",")}}`).join(" | ")}`;
    case "heal":
      return "heal";
    default:
      return `${step.do} ${step.node}`;
  }
}
