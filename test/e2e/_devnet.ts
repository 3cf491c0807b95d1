// Runs `dist/harmony devnet` in a temporary directory on a free port range for end-to-end tests, reads its
// devnet.json, talks JSON-RPC to its nodes, restarts nodes by hand, and kills every process it knows of at
// the end (also when a test fails: `stopAllDevnets` in afterAll, and a synchronous kill on process exit).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type DevnetManifest, type DevnetManifestNode, MANIFEST_FILE } from "../../src/cli/_devnetManifest.ts";
import { isPortFree, isProcessAlive } from "../../src/cli/_devnetProcess.ts";
import { leaderKeyOf, normalizeKey, rpcCall, toNumber } from "../../src/cli/_devnetRPC.ts";
import { harmonyBinary, removeDir, tempDir } from "./_node.ts";

export { normalizeKey, rpcCall, toNumber };

/** Options of {@link startDevnet}. */
export interface StartDevnetOptions {
  /** Shards (default 1); validators and RPC nodes are per shard. */
  shards?: number;
  validators?: number;
  keysPerNode?: number;
  /** Seconds. */
  blockTime?: number;
  rpcNodes?: number;
  /** Extra flags after `devnet`. */
  extraArgs?: string[];
  /** Reuse this data dir (and do not delete it at the end); default a fresh temp dir. */
  dataDir?: string;
  /** Time until every node serves and devnet.json lists live pids. */
  timeoutMs?: number;
}

/** A node process the test started itself (a restart). */
export interface ManualNode {
  name: string;
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: string | null }>;
  logFile: string;
}

/** A running devnet under test. */
export interface TestDevnet {
  dir: string;
  basePort: number;
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** Output of the devnet process so far (stdout + stderr). */
  output(): string;
  manifest(): DevnetManifest;
  nodes(): DevnetManifestNode[];
  node(name: string): DevnetManifestNode;
  rpc(name: string, method: string, params?: unknown[]): Promise<any>;
  /** The last lines of a node's log, for failure messages. */
  log(name: string, lines?: number): string;
  /** `harmony node --config DIR/<name>/config.json`, output appended to its node.log. */
  restartNode(name: string, env?: Record<string, string>): ManualNode;
  /** SIGINT the devnet and wait for it to exit (its exit code), then kill whatever is left. */
  stop(): Promise<number | null>;
}

const live = new Set<{ kill(): void }>();

function killSync(pid: number | undefined): void {
  if (pid === undefined || !isProcessAlive(pid)) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
}

process.on("exit", () => {
  for (const d of live) d.kill();
});

/** A base port with `count` free consecutive ports on 127.0.0.1. */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 35_000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await isPortFree(p);
    if (ok) return base;
  }
  throw new Error(`no ${count} free consecutive ports found`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` every `everyMs` until it returns a value other than undefined/false; throws `what` on timeout. */
export async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined | false> | T | undefined | false, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
}

/**
 * Start `harmony devnet` with the options and wait until devnet.json lists a live pid for every node and
 * the devnet has printed its URLs.
 */
export async function startDevnet(opts: StartDevnetOptions = {}): Promise<TestDevnet> {
  const bin = harmonyBinary();
  const validators = opts.validators ?? 4;
  const rpcNodes = opts.rpcNodes ?? 1;
  const shards = opts.shards ?? 1;
  const nodeCount = shards * (validators + rpcNodes);
  const basePort = await freePortRange(nodeCount);
  const dir = opts.dataDir ?? join(tempDir("harmony-devnet-"), "net");
  const args = [
    "devnet", "--data-dir", dir, "--base-port", String(basePort), "--validators", String(validators),
    "--rpc-nodes", String(rpcNodes), ...(shards === 1 ? [] : ["--shards", String(shards)]), "--keys-per-node", String(opts.keysPerNode ?? 1), "--block-time", String(opts.blockTime ?? 1),
    // Every key elected at each epoch end unless a test asks otherwise: a test network keeps its committee.
    ...(opts.extraArgs?.includes("--slots") ? [] : ["--slots", String(Math.max(8, validators * (opts.keysPerNode ?? 1)))]),
    ...(opts.extraArgs ?? []),
  ];
  const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    proc.once("exit", (code, signal) => {
      done = true;
      r({ code, signal });
    }),
  );
  const manual: ManualNode[] = [];
  const readManifest = (): DevnetManifest => JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")) as DevnetManifest;
  const allPids = (): number[] => {
    const pids: number[] = [];
    try {
      for (const s of readManifest().shards) for (const n of s.nodes) if (n.pid) pids.push(n.pid);
    } catch {
      // no manifest yet
    }
    for (const m of manual) if (m.proc.pid !== undefined) pids.push(m.proc.pid);
    return pids;
  };
  const killer = {
    kill() {
      killSync(proc.pid);
      for (const pid of allPids()) killSync(pid);
    },
  };
  live.add(killer);

  const devnet: TestDevnet = {
    dir,
    basePort,
    proc,
    exited,
    output: () => out,
    manifest: readManifest,
    nodes: () => readManifest().shards.flatMap((s) => s.nodes),
    node(name) {
      const n = devnet.nodes().find((x) => x.name === name);
      if (!n) throw new Error(`no node ${name} in devnet.json`);
      return n;
    },
    rpc: (name, method, params = []) => rpcCall(devnet.node(name).rpc, method, params, 5000),
    log(name, lines = 40) {
      const f = join(dir, name, "node.log");
      return existsSync(f) ? readFileSync(f, "utf8").split("\n").slice(-lines).join("\n") : "";
    },
    restartNode(name, env = {}) {
      const logFile = join(dir, name, "node.log");
      const fd = openSync(logFile, "a");
      const p = spawn(bin, ["node", "--config", join(dir, name, "config.json")], { stdio: ["ignore", fd, fd], env: { ...process.env, ...env } });
      closeSync(fd);
      const ex = new Promise<{ code: number | null; signal: string | null }>((r) => p.once("exit", (code, signal) => r({ code, signal })));
      const m: ManualNode = { name, proc: p, exited: ex, logFile };
      manual.push(m);
      return m;
    },
    async stop() {
      if (!done) proc.kill("SIGINT");
      const timer = setTimeout(() => killSync(proc.pid), 30_000);
      const { code } = await exited;
      clearTimeout(timer);
      killer.kill();
      live.delete(killer);
      if (!opts.dataDir) removeDir(join(dir, ".."));
      return code;
    },
  };

  try {
    await waitFor(`devnet to start (output so far:\n${out})`, opts.timeoutMs ?? 120_000, () => {
      if (done) throw new Error(`devnet exited early:\n${out}`);
      if (!/^RPC\s+http/m.test(out)) return false;
      const nodes = devnet.nodes();
      return nodes.length === nodeCount && nodes.every((n) => n.pid && isProcessAlive(n.pid));
    });
  } catch (e) {
    killer.kill();
    live.delete(killer);
    throw new Error(`${(e as Error).message}\n--- devnet output ---\n${out}`);
  }
  return devnet;
}

/** Kill every devnet process the harness started (afterAll of each devnet test file). */
export function stopAllDevnets(): void {
  for (const d of live) d.kill();
  live.clear();
}

/** The head block number a node reports. */
export async function blockNumber(d: TestDevnet, name: string): Promise<number> {
  return toNumber(await d.rpc(name, "eth_blockNumber")) ?? -1;
}

/** Wait until `name` reports a head at or above `height`. */
export function waitForHeight(d: TestDevnet, name: string, height: number, timeoutMs: number): Promise<number> {
  return waitFor(`${name} to reach height ${height}`, timeoutMs, async () => {
    const n = await blockNumber(d, name);
    return n >= height ? n : undefined;
  });
}

/** Block JSON of height `n` on a node (hashes only). */
export async function blockAt(d: TestDevnet, name: string, n: number): Promise<Record<string, unknown> | null> {
  return (await d.rpc(name, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false])) as Record<string, unknown> | null;
}

/** Committee slot → node name, from devnet.json (validators in slot order, K keys each). */
export function committeeSlots(d: TestDevnet): { key: string; node: string }[] {
  return d.nodes().filter((n) => n.validator).flatMap((n) => n.blsKeys.map((k) => ({ key: normalizeKey(k), node: n.name })));
}

/** The node holding the current leader key (per `hmy_getLeader` of `askName`). */
export async function currentLeader(d: TestDevnet, askName: string): Promise<string> {
  const key = leaderKeyOf(await d.rpc(askName, "hmy_getLeader"));
  const slot = committeeSlots(d).find((s) => s.key === key);
  if (!slot) throw new Error(`hmy_getLeader returned ${key}, which no node of devnet.json holds`);
  return slot.node;
}

/** True when bit `slot` is set in a `0x` hex bitmap (slot i is byte i>>3, mask 1<<(i&7); DESIGN §Consensus). */
export function bitmapHas(bitmapHex: string, slot: number): boolean {
  const hex = bitmapHex.replace(/^0x/, "");
  const byte = Number.parseInt(hex.slice((slot >> 3) * 2, (slot >> 3) * 2 + 2) || "0", 16);
  return (byte & (1 << (slot & 7))) !== 0;
}

/**
 * The commit bitmap of block `n`: the `lastCommitBitmap` of header n+1 (DESIGN §Consensus), as `0x` hex;
 * `undefined` while block n+1 does not exist.
 * @throws {Error} when the node's block JSON does not carry `lastCommitBitmap`.
 */
export async function commitBitmapOf(d: TestDevnet, name: string, n: number): Promise<string | undefined> {
  const next = await blockAt(d, name, n + 1);
  if (!next) return undefined;
  const bm = next.lastCommitBitmap;
  if (typeof bm !== "string") throw new Error("block JSON has no lastCommitBitmap field");
  return bm;
}
