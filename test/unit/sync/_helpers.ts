// Shared helpers of the sync tests: a 4-key BLS test committee that signs real commit proofs, source
// chains whose headers carry them, and real p2p nodes (adapter servers on 127.0.0.1) around a chain.
import { getRuntimeAdapter, type RunningServer } from "../../../src/adapter/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import { type BLS, type BLSBackendName, createBLS, generatePrivateKey } from "../../../src/crypto/index.ts";
import { type Header, type SignedTransaction, createDevGenesis } from "../../../src/core/index.ts";
import { createP2P, type P2P, type P2POptions } from "../../../src/p2p/index.ts";
import { type CommitProof, registerSyncHandlers, type SyncSource, type VerifyCommit } from "../../../src/sync/index.ts";
import { openStore, type KVStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/index.ts";
import type { Logger } from "../../../src/util/logger.ts";
import { addrs, devChain, tx } from "../chain/_helpers.ts";

export const NETWORK_ID = 31337;
export const MAX_MESSAGE = 16 * 1024 * 1024;
export const GENESIS = createDevGenesis();

/** `number (8 LE) ‖ hash (32) ‖ viewId (8 LE)`, DESIGN §Consensus. */
export function commitPayload(h: Header): Uint8Array {
  const out = new Uint8Array(48);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, h.number, true);
  out.set(h.hash, 8);
  v.setBigUint64(40, h.viewId, true);
  return out;
}

/** A committee of BLS keys that signs commit proofs (equal power per key). */
export interface Committee {
  bls: BLS;
  secretKeys: Uint8Array[];
  publicKeys: Uint8Array[];
  /** The aggregate commit signature of the keys in `bitmap` (default: all) over `h`. */
  sign(h: Header, bitmap?: Uint8Array): CommitProof;
}

const blsBackends = new Map<BLSBackendName, Promise<BLS>>();
/** A BLS backend (native by default), loaded once. */
export function testBLS(backend: BLSBackendName = "native"): Promise<BLS> {
  let p = blsBackends.get(backend);
  if (p === undefined) {
    p = createBLS(backend);
    blsBackends.set(backend, p);
  }
  return p;
}

/** A committee of `n` fresh keys. */
export async function createCommittee(n = 4, backend: BLSBackendName = "native"): Promise<Committee> {
  const bls = await testBLS(backend);
  const secretKeys = Array.from({ length: n }, () => bls.keygen());
  const publicKeys = secretKeys.map((k) => bls.secretToPublic(k));
  const full = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < n; i++) full[i >> 3] = (full[i >> 3] as number) | (1 << (i & 7));
  return {
    bls,
    secretKeys,
    publicKeys,
    sign(h, bitmap = full) {
      const msg = commitPayload(h);
      const sigs = secretKeys.filter((_, i) => ((bitmap[i >> 3] ?? 0) & (1 << (i & 7))) !== 0).map((k) => bls.sign(k, msg));
      return { sig: bls.aggregateSignatures(sigs), bitmap: bitmap.slice() };
    },
  };
}

/** What the node's verifier does: FastAggregateVerify over the keys in the bitmap, with > 2/3 of them. */
export function committeeVerifier(c: Pick<Committee, "bls" | "publicKeys">, calls?: { n: number }): VerifyCommit {
  const n = c.publicKeys.length;
  return (header, sig, bitmap) => {
    if (calls) calls.n++;
    if (bitmap.length !== Math.ceil(n / 8)) return false;
    const keys = c.publicKeys.filter((_, i) => ((bitmap[i >> 3] as number) & (1 << (i & 7))) !== 0);
    for (let i = n; i < bitmap.length * 8; i++) if (((bitmap[i >> 3] as number) & (1 << (i & 7))) !== 0) return false;
    if (keys.length * 3 <= n * 2) return false;
    return c.bls.fastAggregateVerify(keys, commitPayload(header), sig);
  };
}

/** A dev chain whose every header carries the committee's commit proof of its parent. */
export interface SourceChain {
  chain: Chain;
  committee: Committee;
  /** The proof of the head block (no header carries it yet). */
  headCommit(): CommitProof | undefined;
  /** Produce `count` blocks of `txsPerBlock` transfers each. */
  extend(count: number, txsPerBlock?: number): Promise<void>;
}

/** Build a source chain of `blocks` blocks with `txsPerBlock` signed transfers each. */
export async function buildSourceChain(blocks: number, opts: { txsPerBlock?: number; committee?: Committee; kv?: KVStore } = {}): Promise<SourceChain> {
  const committee = opts.committee ?? (await createCommittee());
  const chain = await devChain(opts.kv ?? openStore(":memory:"), GENESIS);
  const nonces = new Map<number, bigint>();
  const proofs = new Map<string, CommitProof>();
  const key = (h: Header) => bytesToHex(h.hash);
  const proofOf = (h: Header) => {
    let p = proofs.get(key(h));
    if (p === undefined) {
      p = committee.sign(h);
      proofs.clear();
      proofs.set(key(h), p);
    }
    return p;
  };
  const extend = async (count: number, txsPerBlock = opts.txsPerBlock ?? 3) => {
    for (let i = 0; i < count; i++) {
      const parent = chain.head;
      const txs: { tx: SignedTransaction; sender: Uint8Array }[] = [];
      for (let j = 0; j < txsPerBlock; j++) {
        const from = (Number(parent.number) * txsPerBlock + j) % 10;
        const nonce = nonces.get(from) ?? 0n;
        nonces.set(from, nonce + 1n);
        txs.push({ tx: tx(from, nonce, { to: addrs[(from + 1) % 10], value: 1000n + BigInt(j) }), sender: addrs[from] as Uint8Array });
      }
      const last = proofOf(parent);
      const built = await chain.produceBlock(txs, { timestamp: parent.timestamp + 1n, viewId: parent.number + 1n, lastCommitSig: last.sig, lastCommitBitmap: last.bitmap });
      if (built === undefined) throw new Error("no block");
    }
  };
  await extend(blocks);
  return { chain, committee, headCommit: () => proofOf(chain.head), extend };
}

/** A quiet logger that keeps its lines. */
export function memoryLogger(lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = []): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  const logger: Logger = { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug"), child: () => logger };
  return logger;
}

/** A p2p node on its own loopback server, announcing `getHead()`. */
export interface NetNode {
  p2p: P2P;
  server: RunningServer;
  url: string;
  stop(): Promise<void>;
}

const running = new Set<NetNode>();

/** Start a p2p node; with `serve`, it answers the sync methods from that source. */
export async function startNetNode(o: {
  getHead: () => Header;
  genesisHash: Uint8Array;
  serve?: { source: SyncSource; getHeadCommit?: (h: Header) => CommitProof | undefined; maxResponseBytes?: number };
  bootnodes?: string[];
  p2p?: Partial<P2POptions>;
}): Promise<NetNode> {
  const adapter = await getRuntimeAdapter();
  let p2p: P2P | undefined;
  const server = await adapter.serve({
    hostname: "127.0.0.1",
    port: 0,
    maxRequestBodySize: 2 * MAX_MESSAGE,
    fetch: (req, info) => (new URL(req.url).pathname === "/p2p" && p2p ? p2p.accept(req, info.remoteAddress) : new Response("", { status: 404 })),
  });
  const url = `ws://127.0.0.1:${server.port}/p2p`;
  const p = createP2P(
    {
      networkId: NETWORK_ID,
      genesisHash: o.genesisHash,
      shardId: 0,
      nodeKey: generatePrivateKey(),
      listenUrl: url,
      bootnodes: o.bootnodes ?? [],
      maxPeers: 25,
      maxMessageBytes: MAX_MESSAGE,
      rateLimits: { messagesPerSec: 5000, bytesPerSec: 512 * 1024 * 1024 },
      blocklist: [],
      handshakeTimeoutMs: 2000,
      requestTimeoutMs: 5000,
      statusIntervalMs: 100,
      peerExchange: false,
      gossip: { heartbeatMs: 100 },
      dial: { tickMs: 50, backoffBaseMs: 100, backoffMaxMs: 400 },
      ...o.p2p,
    },
    { logger: memoryLogger(), getHead: () => ({ number: o.getHead().number, hash: o.getHead().hash }) },
  );
  p2p = p;
  if (o.serve) registerSyncHandlers(p, o.serve.source, { ...(o.serve.getHeadCommit ? { getHeadCommit: o.serve.getHeadCommit } : {}), maxResponseBytes: o.serve.maxResponseBytes ?? MAX_MESSAGE - 1024 });
  const node: NetNode = {
    p2p: p,
    server,
    url,
    async stop() {
      if (!running.delete(node)) return;
      await p.stop();
      await server.stop();
    },
  };
  running.add(node);
  p.start();
  return node;
}

/** Stop every node still running. */
export async function stopAllNodes(): Promise<void> {
  await Promise.all([...running].map((n) => n.stop()));
}

/** Poll `cond` every 5 ms until true, or fail after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Block hashes 0..n of a chain. */
export function hashes(chain: Pick<Chain, "getHeaderByNumber">, n: bigint): string[] {
  const out: string[] = [];
  for (let i = 0n; i <= n; i++) out.push(bytesToHex(chain.getHeaderByNumber(i)?.hash ?? new Uint8Array(0)));
  return out;
}
