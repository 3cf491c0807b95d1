/** Public types of the p2p layer: options, modules, messages, peers and the {@link P2P} service. */
import type { UpgradeDecision } from "../adapter/types.ts";
import type { Logger } from "../util/logger.ts";
import type { P2PMetrics } from "./_metrics.ts";

/** A peer's node id: the `0x…` lowercase hex address of its secp256k1 node key. */
export type PeerId = string;

/** Verdict of a gossip or direct-message handler (gossipsub validation results). */
export const ValidationResult = {
  /** Valid: deliver and relay. */
  ACCEPT: "ACCEPT",
  /** Not useful (stale, duplicate by content): drop without relaying, no penalty. */
  IGNORE: "IGNORE",
  /** Invalid: drop, do not relay, score the sender down. */
  REJECT: "REJECT",
} as const;
/** One of {@link ValidationResult}. */
export type ValidationResult = (typeof ValidationResult)[keyof typeof ValidationResult];

/** Gossip topics of the protocol (DESIGN §P2P); any short string works, these are the ones the node uses. */
export const Topic = {
  TXS: "txs",
  CONSENSUS: "consensus",
  BLOCKS: "blocks",
  BEACON: "beacon",
  CROSSLINKS: "crosslinks",
} as const;

/** Source of wall-clock time in milliseconds; injected so tests can move time (STYLE §13). */
export interface IClock {
  now(): number;
}

/**
 * The part of the store's `KVStore` the peer store uses. Declared here, not imported, because the
 * layer graph (DESIGN §2) does not let `p2p` import `store`; any `KVStore` fits it.
 */
export interface PeerStoreKV {
  get(key: Uint8Array): Uint8Array | undefined;
  put(key: Uint8Array, value: Uint8Array): void;
  del(key: Uint8Array): void;
  iterate(opts?: { prefix?: Uint8Array }): IterableIterator<[Uint8Array, Uint8Array]>;
}

/** The chain head as announced in the handshake and STATUS messages. */
export interface Head {
  number: bigint;
  hash: Uint8Array;
}

/** Per-peer token buckets; a frame over either budget is dropped and the peer scored down. */
export interface RateLimits {
  messagesPerSec: number;
  bytesPerSec: number;
  /** Bucket capacity in seconds of rate (default 2). */
  burstSec?: number;
}

/** Mesh parameters (gossipsub names). With fewer than `D` peers on a topic, all of them are in the mesh. */
export interface GossipParams {
  D: number;
  Dlo: number;
  Dhi: number;
  /** Non-mesh peers sent IHAVE per topic per heartbeat. */
  Dlazy: number;
  heartbeatMs: number;
  /** How long ids stay in the seen-cache. */
  seenTtlMs: number;
  seenMax: number;
  /** How long full messages stay available to IWANT, and how far back IHAVE announces. */
  historyMs: number;
  historyMaxBytes: number;
  /** Cap on ids in one IHAVE/IWANT and on messages served per peer per heartbeat. */
  maxIHaveIds: number;
}

/**
 * Peer score parameters. Scores start at 0, decay back towards 0 with `halfLifeMs`, and go down on
 * misbehaviour (penalties are negative). At `disconnectThreshold` a peer is disconnected and kept out
 * for `cooldownMs`; at `banThreshold`, or at its second score disconnect within `banMs`, it is banned
 * for `banMs`.
 */
export interface ScoreParams {
  invalidMessage: number;
  protocolViolation: number;
  rateLimited: number;
  timeout: number;
  disconnectThreshold: number;
  banThreshold: number;
  halfLifeMs: number;
  /** A peer disconnected for its score may not reconnect for this long. */
  cooldownMs: number;
  banMs: number;
}

/** Dialing parameters: exponential backoff with jitter per address. */
export interface DialParams {
  tickMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Non-bootnode addresses are forgotten after this many consecutive failures. */
  maxFailures: number;
  /** Simultaneous outbound dials. */
  maxConcurrent: number;
}

/** Options of {@link createP2P}. Optional groups default to the values in `DEFAULT_P2P_PARAMS`. */
export interface P2POptions {
  networkId: number;
  genesisHash: Uint8Array;
  shardId: number;
  /** 32-byte secp256k1 secret; its address is our node id. */
  nodeKey: Uint8Array;
  /**
   * Our advertised `ws://host:port/p2p` (signed in the handshake, shared by peer exchange); "" advertises
   * none (a node bound to 0.0.0.0 that knows no public address: it only dials out). Never an
   * unspecified host such as 0.0.0.0.
   */
  listenUrl: string;
  bootnodes: string[];
  maxPeers: number;
  /** Peers we dial towards (default min(maxPeers, 16)). */
  targetPeers?: number;
  /** Largest frame accepted or sent, checked before decoding (e.g. 4 MiB). */
  maxMessageBytes: number;
  rateLimits: RateLimits;
  /** Operator blocklist: node ids (`0x…`) or peer URLs. */
  blocklist: string[];
  /** Bound of the blocklist, all kinds together (default 10,000). */
  maxBlocklistEntries?: number;
  /** Inbound sockets in their handshake per remote address (IPv6: per /64); default 4. */
  maxPendingPerAddress?: number;
  /** Inbound sockets in their handshake in total; default 64. */
  maxPendingInbound?: number;
  handshakeTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How often our head is re-announced when it changed (default 2000). */
  statusIntervalMs?: number;
  /** A peer silent this long is closed; we send STATUS at least every quarter of it (default 60000). */
  idleTimeoutMs?: number;
  /** Ask new peers for theirs while below `targetPeers` (default true). */
  peerExchange?: boolean;
  /** Key prefix of the persisted peer store (default "p2p/"). */
  storePrefix?: string;
  gossip?: Partial<GossipParams>;
  scoring?: Partial<ScoreParams>;
  dial?: Partial<DialParams>;
}

/** Services of {@link createP2P} (STYLE §13). */
export interface P2PModules {
  /** Where known peers and blocks are persisted; without it they live only in memory. */
  store?: PeerStoreKV;
  clock?: IClock;
  logger: Logger;
  getHead: () => Head;
}

/** A message delivered to a topic handler. */
export interface GossipMessage {
  topic: string;
  data: Uint8Array;
  /** keccak256 of `data`. */
  id: Uint8Array;
  /** True for {@link P2P.sendTo} messages: sent to us alone, never relayed. */
  direct: boolean;
}

/** Validates (and consumes) a message of one topic; the verdict decides relay and scoring. */
export type GossipHandler = (msg: GossipMessage, from: PeerId) => ValidationResult | Promise<ValidationResult>;

/** Answers one request method; throw a `P2PError` with action REJECT to score the requester down. */
export type RequestHandler = (data: Uint8Array, from: PeerId) => Uint8Array | Promise<Uint8Array>;

/** A connected peer as others see it. */
export interface PeerInfo {
  id: PeerId;
  /** The URL it advertises (signed in its handshake). */
  url: string;
  direction: "inbound" | "outbound";
  remoteAddress: string;
  head: Head;
  score: number;
  connectedAt: number;
}

/** Events of {@link P2P.on}. */
export interface P2PEvents {
  "peer:connect": PeerInfo;
  "peer:disconnect": { peer: PeerInfo; reason: string };
  /** A peer announced a new head. */
  "peer:head": PeerInfo;
}

/** Options of {@link P2P.publish}. */
export interface PublishOptions {
  /**
   * Also hand the message to this node's own handler of the topic (as from the peer id "local";
   * its verdict penalizes no one). Once, like a peer's copy: not when the message was seen before.
   * For a node that runs both ends of a topic (a validator on several shards pools what it sends).
   */
  readonly local?: boolean;
}

/** The `from` of a message {@link PublishOptions.local} hands to our own handler. */
export const LOCAL_PEER = "local";

/** Result of {@link P2P.publish}. */
export interface PublishResult {
  id: Uint8Array;
  /** Peers the message was sent to (0 when none is subscribed or it was already seen). */
  peers: number;
  duplicate: boolean;
}

/** The p2p service of one node. */
export interface P2P {
  readonly nodeId: PeerId;
  readonly listenUrl: string;
  /**
   * Decide on an incoming HTTP request to `/p2p`: a `{ upgrade }` to accept the WebSocket, or a
   * Response (426 without an Upgrade header, 503 when stopped or full).
   */
  accept(req: Request, remoteAddress?: string): Response | UpgradeDecision;
  /** Begin dialing bootnodes and stored peers, and start the heartbeat. */
  start(): void;
  /** Close every connection, cancel timers and pending requests. */
  stop(): Promise<void>;
  publish(topic: string, data: Uint8Array, opts?: PublishOptions): PublishResult;
  /**
   * Handle (and validate) a topic's gossip and direct messages; one handler per topic.
   * @throws {TypeError} when the topic already has a handler or is not 1..64 characters.
   */
  subscribe(topic: string, handler: GossipHandler): () => void;
  /** Send a message to one connected peer, never relayed; false when not connected or its buffer is full. */
  sendTo(peerId: PeerId, topic: string, data: Uint8Array): boolean;
  /**
   * Ask one peer; resolves with its response bytes.
   * @throws {P2PError} PEER_NOT_CONNECTED, PEER_DISCONNECTED, REQUEST_TIMEOUT, UNKNOWN_METHOD, REMOTE_ERROR, SEND_FAILED, STOPPED.
   */
  request(peerId: PeerId, method: string, data: Uint8Array, opts?: { timeoutMs?: number }): Promise<Uint8Array>;
  /**
   * Serve one request method.
   * @throws {TypeError} when the method already has a handler or is reserved (`p2p/…`).
   */
  handle(method: string, handler: RequestHandler): () => void;
  on<E extends keyof P2PEvents>(event: E, fn: (e: P2PEvents[E]) => void): () => void;
  peerCount(): number;
  peers(): PeerInfo[];
  /** Dial a URL now, even when it is connected already (duplicates are resolved on handshake). */
  connect(url: string): void;
  /** Disconnect a peer (it may reconnect). */
  disconnect(peerId: PeerId, reason?: string): void;
  /**
   * Operator block of a node id or URL, persisted; disconnects a matching peer.
   * @throws {TypeError} when the entry is neither a `0x…` node id nor a ws/wss URL.
   * @throws {RangeError} when the blocklist is full of operator blocks.
   */
  block(entry: string): void;
  /**
   * Lift the block of a node id or URL (a ban too); true when it was an operator block.
   * @throws {TypeError} when the entry is neither a `0x…` node id nor a ws/wss URL.
   */
  unblock(entry: string): boolean;
  /** Operator blocks and bans in force (cooldowns are not listed). */
  blockedPeers(): { entry: string; kind: "operator" | "ban" }[];
  isBlocked(entry: string): boolean;
  /** Current score of a peer (0 when unknown). */
  scoreOf(peerId: PeerId): number;
  /**
   * Score a peer down for an invalid message found after delivery (a handler that validates later,
   * e.g. consensus after its signature checks); like a REJECT verdict, it may disconnect or ban it.
   */
  reportInvalid(peerId: PeerId, reason: string): void;
  /** A snapshot of the counters (plain JSON-able object, for /metrics). */
  getMetrics(): P2PMetrics;
}
