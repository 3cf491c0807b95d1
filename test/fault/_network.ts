/**
 * The devnet of a fault run, with every process owned by the harness: `harmony devnet`'s own files
 * (keys, genesis, one config per node) are written in-process, and each node is spawned as
 * `harmony node --config DIR/nodeI/config.json`, so the harness alone decides when a node dies, pauses
 * or comes back (the devnet supervisor restarts nothing, but it also could not give each node its own
 * environment). Every node appends the consensus messages it signs to `DIR/nodeI/votes.jsonl`
 * (`HARMONY_VOTE_LOG`, kept across restarts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type DevnetNodeEndpoints, writeNodeConfigs } from "../../src/cli/_devnetConfig.ts";
import { createDevnetFiles } from "../../src/cli/_devnetCreate.ts";
import { GENESIS_FILE } from "../../src/cli/_devnetLayout.ts";
import { type NodeProcess, logTail, spawnNode } from "../../src/cli/_devnetProcess.ts";
import { rpcCall } from "../../src/cli/_devnetRPC.ts";
import { parseGenesisJSON } from "../../src/core/index.ts";
import { type BLS, createBLS } from "../../src/crypto/index.ts";
import { freePortRange } from "../e2e/_devnet.ts";
import { harmonyBinary } from "../e2e/_node.ts";
import type { FaultManifest, NodeState } from "./_manifest.ts";

/** File (inside each node's directory) of the signed-message log the node appends to. */
export const VOTE_LOG_FILE = "votes.jsonl";

/** One node of the run. */
export interface FaultNode {
  readonly name: string;
  readonly validator: boolean;
  readonly endpoint: DevnetNodeEndpoints;
  state: NodeState;
  proc: NodeProcess | undefined;
}

const live = new Set<FaultNetwork>();
process.on("exit", () => {
  for (const n of live) n.killAllSync();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stop every process of every network still running (afterAll of a test file; a timed-out run leaves one). */
export async function stopAllFaultNetworks(): Promise<void> {
  await Promise.all([...live].map((n) => n.stopAll()));
}

/** Extra `harmony node` flags every node gets (the admin namespace, when the binary has it). */
export interface NetworkOptions {
  nodeArgs: string[];
}

/** The processes of one fault run. */
export class FaultNetwork {
  readonly dir: string;
  readonly nodes: ReadonlyMap<string, FaultNode>;
  readonly committeeKeys: Uint8Array[];
  readonly bls: BLS;
  readonly #bin: string;
  readonly #opts: NetworkOptions;

  private constructor(dir: string, nodes: FaultNode[], committeeKeys: Uint8Array[], bls: BLS, opts: NetworkOptions) {
    this.dir = dir;
    this.nodes = new Map(nodes.map((n) => [n.name, n]));
    this.committeeKeys = committeeKeys;
    this.bls = bls;
    this.#bin = harmonyBinary();
    this.#opts = opts;
  }

  /**
   * Write the devnet's files into `dir` (missing or empty) on a free port range and spawn every node.
   * @throws {Error} when the files cannot be written or a node does not serve HTTP within 60 s.
   */
  static async create(dir: string, network: FaultManifest["network"], opts: NetworkOptions): Promise<FaultNetwork> {
    const bls = await createBLS("auto");
    const layout = await createDevnetFiles({ dataDir: dir, shards: 1, validators: network.validators, keysPerNode: network.keysPerNode, rpcNodes: network.rpcNodes, blockTimeMs: network.blockTimeMs,
      epochBlocks: 32, slots: Math.max(8, network.validators * network.keysPerNode) }, bls);
    const basePort = await freePortRange(layout.nodes.length);
    const endpoints = writeNodeConfigs(dir, layout, { basePort });
    const genesis = parseGenesisJSON(JSON.parse(readFileSync(join(dir, GENESIS_FILE), "utf8")));
    const nodes = endpoints.map((e): FaultNode => ({ name: e.name, validator: e.validator, endpoint: e, state: "killed", proc: undefined }));
    const net = new FaultNetwork(dir, nodes, genesis.committees[0] ?? [], bls, opts);
    live.add(net);
    for (const n of nodes) net.spawn(n.name);
    await net.waitServing(nodes.map((n) => n.name), 60_000);
    return net;
  }

  node(name: string): FaultNode {
    const n = this.nodes.get(name);
    if (!n) throw new RangeError(`no node ${name} in this network`);
    return n;
  }

  /** Nodes whose process runs (not stopped, not killed). */
  running(): FaultNode[] {
    return [...this.nodes.values()].filter((n) => n.state === "running");
  }

  /** Spawn `harmony node --config` for a node that is not running. */
  spawn(name: string): void {
    const n = this.node(name);
    if (n.proc && !n.proc.exitStatus()) throw new Error(`${name} still has a live process (pid ${n.proc.pid})`);
    n.proc = spawnNode({
      name,
      launch: { command: this.#bin, args: [] },
      args: ["node", "--config", n.endpoint.configFile, ...this.#opts.nodeArgs],
      logFile: join(n.endpoint.dataDir, "node.log"),
      env: { HARMONY_VOTE_LOG: join(n.endpoint.dataDir, VOTE_LOG_FILE) },
    });
    n.state = "running";
  }

  /** Send a signal to a node's process; SIGKILL waits for the exit. */
  async signal(name: string, sig: "SIGKILL" | "SIGSTOP" | "SIGCONT"): Promise<void> {
    const n = this.node(name);
    if (!n.proc || n.proc.exitStatus()) throw new Error(`${name} has no live process to send ${sig} (it exited: ${this.describeExit(name)})`);
    process.kill(n.proc.pid, sig);
    if (sig === "SIGKILL") {
      await n.proc.exited;
      n.state = "killed";
    } else {
      n.state = sig === "SIGSTOP" ? "stopped" : "running";
    }
  }

  /** How a node's last process ended, for failure messages. */
  describeExit(name: string): string {
    const st = this.node(name).proc?.exitStatus();
    return st ? `code ${st.code ?? "-"}, signal ${st.signal ?? "-"}` : "still running";
  }

  /**
   * Wait until the named nodes answer `GET /health`.
   * @throws {Error} when one exits first or the time runs out (with its log tail).
   */
  async waitServing(names: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(names);
    while (pending.size > 0) {
      for (const name of pending) {
        const n = this.node(name);
        if (n.proc?.exitStatus()) throw new Error(`${name} exited while starting (${this.describeExit(name)}):\n${this.logTail(name)}`);
        const ok = await fetch(`${n.endpoint.rpc}health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
        if (ok) pending.delete(name);
      }
      if (pending.size === 0) return;
      if (Date.now() > deadline) throw new Error(`${[...pending].join(", ")} did not serve HTTP within ${timeoutMs / 1000}s:\n${this.logTail([...pending][0] as string)}`);
      await sleep(200);
    }
  }

  /** Exits no step caused: a running node whose process has ended. */
  unexpectedExits(): string[] {
    return this.running().filter((n) => n.proc?.exitStatus()).map((n) => `${n.name} exited by itself (${this.describeExit(n.name)}):\n${this.logTail(n.name)}`);
  }

  /** One JSON-RPC call to a node (callers make sure it is not stopped: a stopped process never answers). */
  rpc(name: string, method: string, params: unknown[] = [], timeoutMs = 5000): Promise<unknown> {
    return rpcCall(this.node(name).endpoint.rpc, method, params, timeoutMs);
  }

  logTail(name: string, lines = 25): string {
    const f = join(this.node(name).endpoint.dataDir, "node.log");
    return existsSync(f) ? logTail(f, lines) : "(no log)";
  }

  /** SIGCONT paused nodes, then SIGKILL every process and wait for the exits. */
  async stopAll(): Promise<void> {
    live.delete(this);
    for (const n of this.nodes.values()) {
      if (!n.proc || n.proc.exitStatus()) continue;
      try {
        process.kill(n.proc.pid, "SIGCONT");
        process.kill(n.proc.pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    await Promise.all([...this.nodes.values()].map((n) => n.proc?.exited));
  }

  /** Synchronous last resort on process exit. */
  killAllSync(): void {
    for (const n of this.nodes.values()) {
      if (!n.proc || n.proc.exitStatus()) continue;
      try {
        process.kill(n.proc.pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
  }
}
