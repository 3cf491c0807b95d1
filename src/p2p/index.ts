/**
 * The p2p layer (DESIGN §P2P): one authenticated WebSocket per peer on `/p2p` of the node's server,
 * a gossip mesh per topic with a seen-cache and lazy IHAVE/IWANT repair, direct messages,
 * request/response with timeouts, per-peer rate limits, scoring, bans and an operator blocklist,
 * peer exchange with a persisted peer store, and reconnects with exponential backoff.
 *
 * Mounting (node wiring): `extraRoutes: (app) => app.get("/p2p", (c) => { const d = p2p.accept(c.req.raw,
 * c.env.remoteAddress); return d instanceof Response ? d : c.env.acceptWebSocket(d.upgrade); })`.
 * @module
 */
export { createP2P } from "./createP2P.ts";
export { P2PError, P2PErrorCode, PeerAction } from "./errors.ts";
export type { P2PErrorType } from "./errors.ts";
export { LOCAL_PEER, Topic, ValidationResult } from "./types.ts";
export type {
  DialParams,
  GossipHandler,
  GossipMessage,
  GossipParams,
  Head,
  IClock,
  P2P,
  P2PEvents,
  P2PModules,
  P2POptions,
  PeerId,
  PeerInfo,
  PeerStoreKV,
  PublishOptions,
  PublishResult,
  RateLimits,
  RequestHandler,
  ScoreParams,
} from "./types.ts";
export type { P2PMetrics } from "./_metrics.ts";
export { DEFAULT_DIAL_PARAMS, DEFAULT_GOSSIP_PARAMS, DEFAULT_PEER_LIMITS, DEFAULT_RATE_LIMITS, DEFAULT_SCORE_PARAMS, DEFAULT_TIMEOUTS } from "./params.ts";
export { PROTOCOL_VERSION } from "./_handshake.ts";
export { CloseCode } from "./_connection.ts";
