/** Public types of the syncing side: options, modules, status, events and the {@link Syncer} service. */
import type { Chain } from "../chain/index.ts";
import type { Header } from "../core/index.ts";
import type { SenderRecoveryPool } from "../execution/index.ts";
import type { IClock, P2P } from "../p2p/index.ts";
import type { Logger } from "../util/logger.ts";
import type { CommitProof } from "./messages.ts";

/**
 * Checks the aggregate BLS commit signature of `header` (the payload
 * `number (8 LE) ‖ hash (32) ‖ viewId (8 LE)`, DESIGN §Consensus) against the committee of its epoch,
 * with a quorum of voting power. Injected by the node: the consensus layer owns committees and
 * quorum, and sync must not import it. Calls of one range are issued in chain order and may run
 * concurrently (so a worker pool can batch them). `range` is the verified-so-far header range the
 * header comes from: a header of an epoch whose committee the chain has not settled yet is checked
 * against the committee an election header of the range carries. Return `false` for a signature that
 * does not verify; throw only when the check itself could not run (nobody is blamed then).
 */
export type VerifyCommit = (header: Header, sig: Uint8Array, bitmap: Uint8Array, range?: readonly Header[]) => boolean | Promise<boolean>;

/** The chain as the syncer uses it (a `Chain` fits). */
export type SyncChain = Pick<Chain, "head" | "common" | "insertBlock" | "getHeaderByNumber"> & Partial<Pick<Chain, "decodeBlock">>;

/** The p2p service as the syncer uses it (a `P2P` fits). */
export type SyncP2P = Pick<P2P, "request" | "peers" | "on" | "disconnect">;

/** A block's commit proof with the block it proves. */
export interface FinalizedHead extends CommitProof {
  readonly number: bigint;
  readonly hash: Uint8Array;
}

/** Sync progress in the shape of `eth_syncing` (which answers `false` when `syncing` is false). */
export interface SyncStatus {
  /** True while a sync run is importing and the local head is below the best peer's. */
  syncing: boolean;
  /** Local head when the current (or last) run started. */
  startingBlock: bigint;
  /** Local head. */
  currentBlock: bigint;
  /** Highest head announced by a peer we have not found misbehaving (at least the local head). */
  highestBlock: bigint;
  /** While syncing: import rate over the last ~5 s. */
  blocksPerSecond?: number;
  /** While syncing and the rate is known: seconds to `highestBlock` at that rate. */
  etaSeconds?: number;
}

/** Counters and rates for logs and `/metrics`. */
export interface SyncMetrics {
  blocksImported: number;
  headersVerified: number;
  /** Ranges fetched again from another peer after a failure. */
  rangeRetries: number;
  /** Peers dropped for serving invalid data. */
  peersPenalized: number;
  /** Import rate over the last few seconds of the current run (0 when idle). */
  blocksPerSecond: number;
  /** Estimated seconds to the target at that rate (undefined when idle or unknown). */
  etaSeconds: number | undefined;
  /** highestBlock − currentBlock. */
  lag: bigint;
}

/** Events of {@link Syncer.on}. */
export interface SyncEvents {
  /** The node caught up with its peers (after a run, or at the first check when nobody is ahead). */
  synced: { head: Header; commit: FinalizedHead | undefined };
  /** The node fell behind and a run started. */
  syncing: SyncStatus;
}

/** Options of {@link createSyncer}; every field has a default. */
export interface SyncerOptions {
  /** Blocks per range (one body request at most; ≤ 128). Default 128. */
  rangeSize?: number;
  /** Ranges fetched ahead of execution; bounds memory to about rangeSize × this blocks. Default 4. */
  maxRangesInFlight?: number;
  /** Timeout of each sync request. Default 10,000 ms. */
  requestTimeoutMs?: number;
  /** Peers tried for one range before the run gives up. Default 8. */
  maxAttemptsPerRange?: number;
  /** A peer that served invalid data is not asked again for this long. Default 10 minutes. */
  badPeerCooldownMs?: number;
  /** A peer that failed to serve 3 times in a row rests this long. Default 30 s. */
  restPeerMs?: number;
  /** How often progress is logged during a run. Default 5,000 ms. */
  progressIntervalMs?: number;
  /** How often peers' heads are re-checked while idle. Default 5,000 ms. */
  recheckIntervalMs?: number;
  /** A run starts when a peer is at least this many blocks ahead. Default 1. */
  followDistance?: number;
  /** Peers needed before the node may call itself synced. Default 1 (0 for a node alone). */
  minPeers?: number;
}

/** Services of {@link createSyncer} (STYLE §13). */
export interface SyncerModules {
  chain: SyncChain;
  p2p: SyncP2P;
  verifyCommit: VerifyCommit;
  logger: Logger;
  clock: IClock;
  /**
   * Workers that recover a fetched range's senders while earlier ranges execute. Default: the
   * syncer's own pool, started with the first range and closed by `stop()`; null: each block
   * recovers its own senders when it is imported.
   */
  senderPool?: SenderRecoveryPool | null;
  /**
   * True while something else shows progress live (the node's terminal status line): the periodic
   * "sync progress" log line then goes to debug instead of info. Default: never.
   */
  progressShownElsewhere?: () => boolean;
}

/** Block sync: catches up with the best peers in stages, then keeps following them. */
export interface Syncer {
  /** Begin watching peers' heads and sync whenever one is ahead. Idempotent; a stopped syncer stays stopped. */
  start(): void;
  /** Stop watching, end the current run after the block being imported, and wait for it. */
  stop(): Promise<void>;
  /** `eth_syncing` view of progress. */
  status(): SyncStatus;
  /** True once the node caught up with its peers, until it falls behind again. */
  isSynced(): boolean;
  /** The commit proof of the highest block this syncer imported, if it still is the head. */
  latestCommit(): FinalizedHead | undefined;
  metrics(): SyncMetrics;
  /** Subscribe; returns the unsubscribe function. */
  on<E extends keyof SyncEvents>(event: E, fn: (e: SyncEvents[E]) => void): () => void;
  /** Resolves when no run is active (immediately when idle). */
  whenIdle(): Promise<void>;
}
