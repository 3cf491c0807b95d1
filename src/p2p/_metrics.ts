/** Counters of the p2p layer as one plain object, so `/metrics` can render them without knowing p2p. */

/** Every counter of the p2p layer. `drops` and `disconnects` are keyed by reason. */
export interface P2PMetrics {
  peers: number;
  peersInbound: number;
  peersOutbound: number;
  dials: number;
  dialFailures: number;
  handshakesOk: number;
  handshakesFailed: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  gossipIn: number;
  gossipOut: number;
  gossipDuplicates: number;
  gossipAccepted: number;
  gossipIgnored: number;
  gossipRejected: number;
  directIn: number;
  directOut: number;
  ihaveOut: number;
  iwantOut: number;
  iwantServed: number;
  requestsIn: number;
  requestsOut: number;
  requestTimeouts: number;
  bans: number;
  /** Messages dropped, by reason (rate_limited, backpressure, too_large, malformed, …). */
  drops: Record<string, number>;
  /** Connections closed, by reason (see the close reasons in `_connection.ts`). */
  disconnects: Record<string, number>;
}

/**
 * Reasons a message is dropped for, besides protocol violations (named by their error code): listed
 * so every reason has a counter from the start (a reason never seen is 0, not missing from /metrics).
 */
export const DROP_REASONS: readonly string[] = ["rate_limited", "backpressure", "unsubscribed_topic", "requests_busy", "unsolicited_response"];

/** A zeroed counter set; `reasons` are the keys of `drops` and `disconnects` that start at 0. */
export function createMetrics(reasons: { drops?: Iterable<string>; disconnects?: Iterable<string> } = {}): P2PMetrics {
  const zeros = (keys: Iterable<string> | undefined) => Object.fromEntries([...(keys ?? [])].map((k) => [k, 0]));
  return { ...createEmptyMetrics(), drops: zeros(reasons.drops), disconnects: zeros(reasons.disconnects) };
}

function createEmptyMetrics(): P2PMetrics {
  return {
    peers: 0,
    peersInbound: 0,
    peersOutbound: 0,
    dials: 0,
    dialFailures: 0,
    handshakesOk: 0,
    handshakesFailed: 0,
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    gossipIn: 0,
    gossipOut: 0,
    gossipDuplicates: 0,
    gossipAccepted: 0,
    gossipIgnored: 0,
    gossipRejected: 0,
    directIn: 0,
    directOut: 0,
    ihaveOut: 0,
    iwantOut: 0,
    iwantServed: 0,
    requestsIn: 0,
    requestsOut: 0,
    requestTimeouts: 0,
    bans: 0,
    drops: {},
    disconnects: {},
  };
}

/** Add one to a per-reason counter. */
export function countReason(table: Record<string, number>, reason: string): void {
  table[reason] = (table[reason] ?? 0) + 1;
}

/** A deep copy, safe to hand out. */
export function snapshotMetrics(m: P2PMetrics): P2PMetrics {
  return { ...m, drops: { ...m.drops }, disconnects: { ...m.disconnects } };
}
