/**
 * Small pieces of the validator node's wiring: the commit verifier sync uses, transaction gossip,
 * the `/p2p` and `/metrics` routes.
 */
import type { Hono } from "hono";
import { type Committee, bitmapPower, commitPayload, isQuorum, isValidBitmap, keysOfBitmap } from "../consensus/index.ts";
import { type P2P, Topic, ValidationResult } from "../p2p/index.ts";
import type { RPCAppEnv } from "../rpc/index.ts";
import type { VerifyCommit } from "../sync/index.ts";
import { type TxPool, TxPoolError, TxPoolErrorCode } from "../txpool/index.ts";
import type { AsyncVoteVerifier } from "./blsPool.ts";
import { PROMETHEUS_CONTENT_TYPE } from "./prometheus.ts";

/**
 * Checks a header's commit proof against the committee: a quorum bitmap and a valid aggregate
 * signature over the commit payload, through the verifier pool.
 */
export function createCommitVerifier(committee: Committee, verifier: AsyncVoteVerifier): VerifyCommit {
  return async (header, sig, bitmap) => {
    if (sig.length !== 96 || !isValidBitmap(bitmap, committee.size) || !isQuorum(bitmapPower(committee, bitmap), committee.totalPower)) return false;
    const [ok] = await verifier.verify([{ publicKeys: keysOfBitmap(committee, bitmap), message: commitPayload(header.number, header.hash, header.viewId), signature: sig }]);
    return ok === true;
  };
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

/** Mount `GET /p2p` (node-to-node WebSocket) and `GET /metrics` (Prometheus text) on the server. */
export function mountNodeRoutes(app: Hono<RPCAppEnv>, p2p: () => P2P | undefined, metrics: () => string): void {
  app.get("/p2p", (c) => {
    const p = p2p();
    if (p === undefined) return c.text("starting\n", 503);
    const d = p.accept(c.req.raw, c.env.remoteAddress);
    return d instanceof Response ? d : c.env.acceptWebSocket(d.upgrade);
  });
  app.get("/metrics", () => new Response(metrics(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } }));
}
