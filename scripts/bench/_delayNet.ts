/**
 * A devnet whose node-to-node links have a one-way latency (issue 11 target 6), for `make bench
 * consensus`. This kernel has no netem qdisc, so the latency is made in user space: every node's p2p
 * port sits behind a TCP proxy in this process that holds each chunk for `delayMs` in each direction,
 * and each node advertises (and dials) the others' proxies, so every p2p link crosses exactly one proxy.
 * The devnet's own files (keys, genesis, configs) are written as `harmony devnet` writes them; each
 * node runs as `harmony node --config`. Clients (RPC, WebSocket) reach the nodes directly, undelayed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeNodeConfigs } from "../../src/cli/_devnetConfig.ts";
import { createDevnetFiles } from "../../src/cli/_devnetCreate.ts";
import { type NodeProcess, logTail, spawnNode } from "../../src/cli/_devnetProcess.ts";
import { createBLS } from "../../src/crypto/index.ts";
import { freePortRange } from "../../test/e2e/_devnet.ts";
import { harmonyBinary, removeDir, tempDir } from "../../test/e2e/_node.ts";

/** A running delayed devnet. */
export interface DelayedDevnet {
  /** Node names in order: validators, then RPC nodes. */
  readonly names: readonly string[];
  rpcUrl(name: string): string;
  wsUrl(name: string): string;
  pid(name: string): number;
  logTail(name: string): string;
  stop(): Promise<void>;
}

const running = new Set<NodeProcess>();
process.on("exit", () => {
  for (const p of running) if (!p.exitStatus()) process.kill(p.pid, "SIGKILL");
});

interface Pending {
  at: number;
  data: Uint8Array;
}

// One direction of a proxied connection: chunks leave `delayMs` after they arrived, in order.
function delayedPipe(delayMs: number, write: (b: Uint8Array) => void): (b: Uint8Array) => void {
  const q: Pending[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const drain = (): void => {
    timer = undefined;
    const now = performance.now();
    while (q.length > 0 && (q[0] as Pending).at <= now + 0.5) write((q.shift() as Pending).data);
    if (q.length > 0) timer = setTimeout(drain, (q[0] as Pending).at - now);
  };
  return (b) => {
    q.push({ at: performance.now() + delayMs, data: b.slice() });
    timer ??= setTimeout(drain, delayMs);
  };
}

interface SockData {
  peer?: Sock;
  send?: (b: Uint8Array) => void;
  early: Uint8Array[];
  /** Bytes the socket did not take yet (written on "drain"). */
  backlog: Uint8Array[];
}
type Sock = { write(b: Uint8Array): number; end(): void; data: SockData };

// Write all of `b` (a socket may take part of it; the rest goes out when it drains).
function writeAll(s: Sock, b: Uint8Array): void {
  if (s.data.backlog.length > 0) {
    s.data.backlog.push(b);
    return;
  }
  const n = s.write(b);
  if (n < b.length) s.data.backlog.push(b.subarray(Math.max(0, n)));
}

function drainBacklog(s: Sock): void {
  while (s.data.backlog.length > 0) {
    const b = s.data.backlog[0] as Uint8Array;
    const n = s.write(b);
    if (n < b.length) {
      s.data.backlog[0] = b.subarray(Math.max(0, n));
      return;
    }
    s.data.backlog.shift();
  }
}

/** A TCP proxy on `port` to `target` on 127.0.0.1, delaying both directions. */
function startProxy(port: number, target: number, delayMs: number): { stop(): void } {
  const server = Bun.listen<SockData>({
    hostname: "127.0.0.1",
    port,
    socket: {
      open(client) {
        client.data = { early: [], backlog: [] };
        const c = client as unknown as Sock;
        const toNode = delayedPipe(delayMs, (b) => {
          if (c.data.peer) writeAll(c.data.peer, b);
        });
        client.data.send = toNode;
        Bun.connect<SockData>({
          hostname: "127.0.0.1",
          port: target,
          socket: {
            open(up) {
              up.data = { peer: c, send: delayedPipe(delayMs, (b) => writeAll(c, b)), early: [], backlog: [] };
              client.data.peer = up as unknown as Sock;
              for (const b of client.data.early.splice(0)) toNode(b);
            },
            data: (up, b) => up.data.send?.(b),
            drain: (up) => drainBacklog(up as unknown as Sock),
            close: () => void client.end(),
            error: () => void client.end(),
          },
        }).catch(() => void client.end());
      },
      data(client, b) {
        if (client.data.peer === undefined) client.data.early.push(b.slice());
        else client.data.send?.(b);
      },
      drain: (client) => drainBacklog(client as unknown as Sock),
      close: (client) => void client.data.peer?.end(),
      error: (client) => void client.data.peer?.end(),
    },
  });
  return { stop: () => server.stop(true) };
}

/**
 * Start `validators` validator processes holding `keysPerNode` keys each and `rpcNodes` RPC nodes,
 * every p2p link delayed `delayMs` each way.
 * @throws {Error} when a node does not serve within 120 s (with its log tail).
 */
export async function startDelayedDevnet(o: { validators: number; keysPerNode: number; rpcNodes: number; blockTimeMs: number; delayMs: number }): Promise<DelayedDevnet> {
  const root = tempDir("harmony-delaynet-");
  const dir = join(root, "net");
  const layout = await createDevnetFiles({
    dataDir: dir, shards: 1, validators: o.validators, keysPerNode: o.keysPerNode, rpcNodes: o.rpcNodes, blockTimeMs: o.blockTimeMs,
    epochBlocks: 32, slots: Math.max(8, o.validators * o.keysPerNode),
  }, await createBLS("auto"));
  const n = layout.nodes.length;
  const basePort = await freePortRange(2 * n);
  const endpoints = writeNodeConfigs(dir, layout, { basePort });
  const proxyUrl = (i: number) => `ws://127.0.0.1:${basePort + n + i}/p2p`;
  const proxies = endpoints.map((e, i) => startProxy(basePort + n + i, e.port, o.delayMs));
  endpoints.forEach((e, i) => {
    const cfg = JSON.parse(readFileSync(e.configFile, "utf8")) as Record<string, unknown>;
    cfg.bootnodes = endpoints.map((_, j) => j).filter((j) => j !== i).map(proxyUrl);
    cfg.p2pAdvertiseUrl = proxyUrl(i);
    writeFileSync(e.configFile, JSON.stringify(cfg, null, 2));
  });
  const procs: NodeProcess[] = endpoints.map((e) =>
    spawnNode({ name: e.name, launch: { command: harmonyBinary(), args: [] }, args: ["node", "--config", e.configFile], logFile: join(e.dataDir, "node.log") }),
  );
  for (const p of procs) running.add(p);
  const byName = (name: string) => {
    const i = endpoints.findIndex((e) => e.name === name);
    if (i < 0) throw new RangeError(`no node ${name}`);
    return i;
  };
  const net: DelayedDevnet = {
    names: endpoints.map((e) => e.name),
    rpcUrl: (name) => (endpoints[byName(name)] as (typeof endpoints)[number]).rpc,
    wsUrl: (name) => (endpoints[byName(name)] as (typeof endpoints)[number]).ws,
    pid: (name) => (procs[byName(name)] as NodeProcess).pid,
    logTail(name) {
      const f = join((endpoints[byName(name)] as (typeof endpoints)[number]).dataDir, "node.log");
      return existsSync(f) ? logTail(f, 30) : "(no log)";
    },
    async stop() {
      for (const p of procs) if (!p.exitStatus()) process.kill(p.pid, "SIGTERM");
      const killer = setTimeout(() => {
        for (const p of procs) if (!p.exitStatus()) process.kill(p.pid, "SIGKILL");
      }, 15_000);
      await Promise.all(procs.map((p) => p.exited));
      clearTimeout(killer);
      for (const p of procs) running.delete(p);
      for (const p of proxies) p.stop();
      removeDir(root);
    },
  };
  try {
    const deadline = Date.now() + 120_000;
    for (const e of endpoints) {
      while (!(await fetch(`${e.rpc}health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false))) {
        const p = procs[byName(e.name)] as NodeProcess;
        if (p.exitStatus() || Date.now() > deadline) throw new Error(`${e.name} did not serve:\n${net.logTail(e.name)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (e) {
    await net.stop();
    throw e;
  }
  return net;
}
