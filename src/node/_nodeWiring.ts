/**
 * Small pieces of the validator node's wiring: the commit verifier sync uses, transaction gossip,
 * the `/p2p` and `/metrics` routes, the URL we advertise to peers and the p2p side of `admin_`.
 */
import type { Context, Hono } from "hono";
import { type P2P, Topic, ValidationResult } from "../p2p/index.ts";
import { type RPCAppEnv, type RpcAdminBackend, RpcErrorCode, rpcError } from "../rpc/index.ts";
import type { VerifyCommit } from "../sync/index.ts";
import { type TxPool, TxPoolError, TxPoolErrorCode } from "../txpool/index.ts";
import type { AsyncVoteVerifier } from "./blsPool.ts";
import type { EpochCommittees } from "./epochCommittees.ts";

/**
 * Sync's commit check: {@link EpochCommittees.verifyCommitProof} against the committee of the
 * header's epoch, waiting up to `waitMs` for a range being imported to settle it (ranges are
 * fetched and verified ahead of the import).
 */
export function createCommitVerifier(committees: Pick<EpochCommittees, "verifyCommitProof">, verifier: AsyncVoteVerifier, waitMs = 30_000): VerifyCommit {
  return (header, sig, bitmap, range) => committees.verifyCommitProof(verifier, header, sig, bitmap, { waitMs, ...(range ? { range } : {}) });
}

// Rejections that prove the sender relayed garbage; the rest (nonce too low, pool full, …) depend
// on the receiver's state and are merely ignored.
const INVALID_TX: ReadonlySet<string> = new Set([
  TxPoolErrorCode.INVALID_RLP, TxPoolErrorCode.TX_TYPE_NOT_SUPPORTED, TxPoolErrorCode.OVERSIZED, TxPoolErrorCode.WRONG_CHAIN_ID, TxPoolErrorCode.INVALID_SIGNATURE,
]);

/** Admit gossiped transactions (relayed when admitted); returns the unsubscribe function. */
export function subscribeTxGossip(p2p: Pick<P2P, "subscribe">, pool: Pick<TxPool, "add">): () => void {
  return p2p.subscribe(Topic.TXS, async (msg) => {
    try {
      await pool.add(msg.data);
      return ValidationResult.ACCEPT;
    } catch (e) {
      if (e instanceof TxPoolError && INVALID_TX.has(e.code)) return ValidationResult.REJECT;
      if (e instanceof TxPoolError) return ValidationResult.IGNORE;
      throw e;
    }
  });
}

/**
 * Mount `GET /p2p` (node-to-node WebSocket of our shard's network), `GET /p2p/<shard>` (that shard's
 * network when we are on it: ours, or the beacon network a shard node follows) and `GET /metrics`
 * (Prometheus text, prom-client). `p2p(shard)` is undefined while the node starts or for a network we are not on.
 */
export function mountNodeRoutes(app: Hono<RPCAppEnv>, p2p: (shard?: string) => P2P | undefined, metrics: { text(): Promise<string>; readonly contentType: string }): void {
  const accept = (c: Context<RPCAppEnv>, shard?: string) => {
    const p = p2p(shard);
    if (p === undefined) return shard === undefined ? c.text("starting\n", 503) : c.text(`not on the network of shard ${shard}\n`, 404);
    const d = p.accept(c.req.raw, c.env.remoteAddress);
    return d instanceof Response ? d : c.env.acceptWebSocket(d.upgrade);
  };
  app.get("/p2p", (c) => accept(c));
  app.get("/p2p/:shard{[0-9]{1,4}}", (c) => accept(c, String(Number(c.req.param("shard")))));
  app.get("/metrics", async () => new Response(await metrics.text(), { headers: { "content-type": metrics.contentType } }));
}

const UNSPECIFIED_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * The p2p URL we sign into the handshake: the operator's `advertiseUrl` when given, else
 * `ws://HOST:PORT/p2p` of the listener — except on an unspecified host (0.0.0.0, ::), which names no
 * machine to a peer: then none ("", the node only dials out), as geth advertises nothing public
 * without NAT or an external IP.
 */
export function advertisedP2PUrl(o: { host: string; serverUrl: string; advertiseUrl?: string }): string {
  if (o.advertiseUrl !== undefined) return o.advertiseUrl;
  if (UNSPECIFIED_HOSTS.has(o.host.trim().toLowerCase())) return "";
  return `ws://${new URL(o.serverUrl).host}/p2p`;
}

/** The p2p side of the `admin_` JSON-RPC namespace; `p2p()` is undefined while the node starts. */
export function createAdminBackend(p2p: () => P2P | undefined, shardId: number): RpcAdminBackend {
  const need = (): P2P => {
    const p = p2p();
    if (p === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, "p2p is starting; try again");
    return p;
  };
  return {
    nodeInfo: () => ({ id: need().nodeId, url: need().listenUrl, shardId }),
    peers: () => need().peers().map((p) => ({ id: p.id, url: p.url, direction: p.direction, score: p.score })),
    blockPeer: (entry) => need().block(entry),
    unblockPeer: (entry) => need().unblock(entry),
    blockedPeers: () => need().blockedPeers(),
  };
}
