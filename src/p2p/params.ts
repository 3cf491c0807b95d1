/** Default parameters of the p2p layer; `createP2P` merges the caller's partial groups over these. */
import type { DialParams, GossipParams, RateLimits, ScoreParams } from "./types.ts";

/** Gossip mesh defaults: D 8 (6..12), 700 ms heartbeat, 2 min seen-cache, 5 s of history for IWANT. */
export const DEFAULT_GOSSIP_PARAMS: Readonly<GossipParams> = Object.freeze({
  D: 8,
  Dlo: 6,
  Dhi: 12,
  Dlazy: 6,
  heartbeatMs: 700,
  seenTtlMs: 120_000,
  seenMax: 100_000,
  historyMs: 5_000,
  historyMaxBytes: 64 * 1024 * 1024,
  maxIHaveIds: 500,
});

/**
 * Score defaults. A protocol violation alone crosses the disconnect threshold (and a second one the
 * ban threshold); three rejected messages in a row disconnect; a flood crosses both within a burst.
 */
export const DEFAULT_SCORE_PARAMS: Readonly<ScoreParams> = Object.freeze({
  invalidMessage: -20,
  protocolViolation: -60,
  rateLimited: -2,
  timeout: -5,
  disconnectThreshold: -50,
  banThreshold: -100,
  halfLifeMs: 10 * 60_000,
  cooldownMs: 60_000,
  banMs: 60 * 60_000,
});

/** Dial defaults: 1 s tick, backoff 1 s doubling to 60 s with jitter, forget after 10 failures. */
export const DEFAULT_DIAL_PARAMS: Readonly<DialParams> = Object.freeze({
  tickMs: 1_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  maxFailures: 10,
  maxConcurrent: 8,
});

/** Handshake, request, status and idle defaults in ms. */
export const DEFAULT_TIMEOUTS = Object.freeze({ handshakeTimeoutMs: 5_000, requestTimeoutMs: 10_000, statusIntervalMs: 2_000, idleTimeoutMs: 60_000 });

/**
 * Per-peer rate limit defaults: 1000 frames/s and 16 MiB/s with a 2 s burst (a 250-validator shard's
 * votes per phase fit in one burst; the byte bucket always holds at least one maximal frame).
 */
export const DEFAULT_RATE_LIMITS: Readonly<Required<RateLimits>> = Object.freeze({ messagesPerSec: 1_000, bytesPerSec: 16 * 1024 * 1024, burstSec: 2 });

/**
 * Bounds on inbound sockets that have not completed the handshake — 4 per remote address (IPv6: per
 * /64) and 64 in total; past them the oldest pending socket is closed — and on the blocklist.
 */
export const DEFAULT_PEER_LIMITS = Object.freeze({ maxPendingPerAddress: 4, maxPendingInbound: 64, maxBlocklistEntries: 10_000 });
