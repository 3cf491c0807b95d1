/**
 * Real p2p nodes for tests: each one is a P2P instance behind its own server from the runtime adapter
 * on 127.0.0.1 (port 0 unless given), with quiet logs, fast timers and a settable head. Also a raw
 * WebSocket client that speaks the wire protocol by hand, to play a misbehaving peer.
 */
import { getRuntimeAdapter, type RunningServer } from "../../../src/adapter/index.ts";
import { generatePrivateKey } from "../../../src/crypto/index.ts";
import { createP2P, type Head, type P2P, type P2POptions, type PeerStoreKV } from "../../../src/p2p/index.ts";
import { decodeFrame, type Frame } from "../../../src/p2p/_frame.ts";
import { createIdentity, decodeHello, encodeAuth, encodeHello, newChallenge, type LocalIdentity } from "../../../src/p2p/_handshake.ts";
import type { Logger } from "../../../src/util/logger.ts";

export const GENESIS = new Uint8Array(32).fill(7);
export const NETWORK_ID = 31337;
export const MAX_MESSAGE = 256 * 1024;

export type LogLine = { level: string; msg: string; fields?: Record<string, unknown> };

export function memoryLogger(lines: LogLine[] = []): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  const logger: Logger = { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug"), child: () => logger };
  return logger;
}

export interface TestNode {
  p2p: P2P;
  server: RunningServer;
  port: number;
  url: string;
  key: Uint8Array;
  head: Head;
  logs: LogLine[];
  stop(): Promise<void>;
}

export interface NodeOptions extends Partial<Omit<P2POptions, "listenUrl" | "nodeKey">> {
  key?: Uint8Array;
  port?: number;
  store?: PeerStoreKV;
  start?: boolean;
  /** The URL to advertise, from the port (default ws://127.0.0.1:PORT/p2p). */
  advertise?: (port: number) => string;
}

const running = new Set<TestNode>();

/** Start a node: server first (so the port is known), then the P2P on it. */
export async function startNode(o: NodeOptions = {}): Promise<TestNode> {
  const adapter = await getRuntimeAdapter();
  let p2p: P2P | undefined;
  const server = await adapter.serve({
    hostname: "127.0.0.1",
    port: o.port ?? 0,
    maxRequestBodySize: 4 * MAX_MESSAGE,
    fetch: (req, info) => (new URL(req.url).pathname === "/p2p" && p2p ? p2p.accept(req, info.remoteAddress) : new Response("", { status: 404 })),
  });
  const key = o.key ?? generatePrivateKey();
  const logs: LogLine[] = [];
  const head: Head = { number: 0n, hash: new Uint8Array(32) };
  const { store, start, advertise, port: _p, key: _k, ...rest } = o;
  p2p = createP2P(
    {
      networkId: NETWORK_ID,
      genesisHash: GENESIS,
      shardId: 0,
      nodeKey: key,
      listenUrl: advertise ? advertise(server.port) : `ws://127.0.0.1:${server.port}/p2p`,
      bootnodes: [],
      maxPeers: 25,
      maxMessageBytes: MAX_MESSAGE,
      rateLimits: { messagesPerSec: 5000, bytesPerSec: 64 * 1024 * 1024 },
      blocklist: [],
      handshakeTimeoutMs: 1000,
      requestTimeoutMs: 1000,
      statusIntervalMs: 100,
      ...rest,
      gossip: { heartbeatMs: 100, ...rest.gossip },
      dial: { tickMs: 50, backoffBaseMs: 100, backoffMaxMs: 400, ...rest.dial },
    },
    { logger: memoryLogger(logs), getHead: () => head, ...(store ? { store } : {}) },
  );
  const node: TestNode = {
    p2p,
    server,
    port: server.port,
    url: `ws://127.0.0.1:${server.port}/p2p`,
    key,
    head,
    logs,
    async stop() {
      running.delete(node);
      await p2p.stop();
      await server.stop();
    },
  };
  running.add(node);
  if (start ?? true) p2p.start();
  return node;
}

/** Stop every node still running (afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((n) => n.stop()));
}

/** Poll `cond` every 10 ms until true, or fail after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 3000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Keys sorted so that the first has the lower node id. */
export function orderedKeys(n: number): Uint8Array[] {
  const ks = Array.from({ length: n }, () => generatePrivateKey());
  return ks.map((k) => ({ k, id: identityOf(k).nodeId })).sort((a, b) => (a.id < b.id ? -1 : 1)).map((x) => x.k);
}

export function identityOf(key: Uint8Array, over: Partial<LocalIdentity> = {}): LocalIdentity {
  return createIdentity({ secretKey: key, networkId: NETWORK_ID, genesisHash: GENESIS, shardId: 0, listenUrl: "ws://127.0.0.1:9/p2p", ...over });
}

/** A hand-driven peer: a raw WebSocket plus the codec, for sending what an honest node never would. */
export class RawPeer {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  closeInfo?: { code: number; reason: string };
  private readonly opened: Promise<void>;
  readonly ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = "arraybuffer";
    this.opened = new Promise((res, rej) => {
      this.ws.onopen = () => res();
      this.ws.onerror = () => rej(new Error("raw peer: connect failed"));
    });
    this.closed = new Promise((res) => {
      this.ws.onclose = (e) => {
        this.closeInfo = { code: e.code, reason: e.reason };
        res(this.closeInfo);
      };
    });
    this.ws.onmessage = (e) => {
      if (typeof e.data !== "string") this.frames.push(decodeFrame(new Uint8Array(e.data as ArrayBuffer), 1 << 30));
    };
  }

  open(): Promise<void> {
    return this.opened;
  }

  send(b: Uint8Array | string): void {
    this.ws.send(b);
  }

  /** Run the handshake as `identity`; `badSignature` signs with another key. Resolves once the peer answered our HELLO. */
  async handshake(identity: LocalIdentity, opts: { badSignature?: boolean } = {}): Promise<void> {
    await this.open();
    await waitFor(() => this.frames.length >= 1, 2000, "HELLO from the node");
    const theirs = decodeHello(this.frames[0] as Frame);
    this.send(encodeHello(identity, newChallenge(), { number: 0n, hash: new Uint8Array(32) }));
    const signer = opts.badSignature ? identityOf(generatePrivateKey(), { listenUrl: identity.listenUrl }) : identity;
    this.send(encodeAuth(signer, theirs.challenge));
  }

  close(): void {
    try {
      this.ws.close();
    } catch {
      // already closed
    }
  }
}
