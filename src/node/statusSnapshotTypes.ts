/**
 * The shape of `hmy_getNodeStatus` (no params): one snapshot of a node's facts, computed in-process,
 * for the status page at `GET /`. Block numbers, counts, epochs and times are JSON numbers (exact: below
 * 2^53 on any chain this node runs); token amounts are decimal strings with 18 decimals (as Harmony's
 * supply methods); keys and hashes are `0x` hex. A fact the node does not have (no consensus or
 * committee on a `--dev` node, no crosslinks on one shard, …) is `null`, never guessed.
 */

/** One recent block as the page's finality table shows it. */
export interface RecentBlockStatus {
  number: number;
  hash: string;
  /** Header timestamp, seconds. */
  timestamp: number;
  /** Seconds since the previous block's timestamp (null for the window's first block). */
  intervalSeconds: number | null;
  /**
   * Seconds from the header timestamp to the moment this node committed the block (null when the
   * node did not see it committed live: synced, or before it started).
   */
  commitDelaySeconds: number | null;
  /** Keys whose commit signatures the next header carries (null for the head: no next header yet). */
  signers: number | null;
  committeeSize: number | null;
}

/** One committee key's record over the window. */
export interface CommitteeKeyStatus {
  slot: number;
  key: string;
  /** Validator address of the slot (`0x000…` for unstaked genesis keys). */
  validator: string;
  signed: number;
  missed: number;
  /** Held by this node. */
  mine: boolean;
  /** The newest block of the window it signed (null: none in the window). */
  lastSigned: number | null;
}

/** One of this node's BLS keys. */
export interface MyKeyStatus {
  key: string;
  /** Slot in the committee being decided (null: not elected this epoch). */
  slot: number | null;
  /** The newest block of the window this key signed (null: none). */
  lastSigned: number | null;
  /** Committed blocks since the node started whose commit bitmap has / lacks the key (driver counters). */
  signedSinceStart: number;
  missedSinceStart: number;
}

/** A connected peer. */
export interface PeerStatus {
  id: string;
  url: string;
  direction: "inbound" | "outbound";
  score: number;
  /** The head it announced. */
  head: number;
  connectedSeconds: number;
}

/** One shard this node runs. */
export interface ShardStatus {
  shardId: number;
  head: number;
  epoch: number;
  /** The node's home shard (the one its RPC serves). */
  home: boolean;
}

/** The last crosslink of a shard on the beacon chain. */
export interface CrossLinkStatus {
  shardId: number;
  blockNumber: number;
  epoch: number;
}

/** Staking figures of the beacon chain (where this node follows it). */
export interface StakingStatus {
  epoch: number;
  /** Total delegated stake, tokens as an 18-decimal string. */
  totalStaked: string;
  /** Total supply, tokens as an 18-decimal string. */
  totalSupply: string;
  /** Distinct validators elected in the shard state in force. */
  validatorsElected: number;
  /** The last block of the current epoch. */
  epochLastBlock: number;
}

/** The answer of `hmy_getNodeStatus`. */
export interface NodeStatus {
  version: string;
  networkId: number;
  shardId: number;
  chainId: number;
  /** The node's clock when the snapshot was taken, ms since 1970. */
  now: number;
  head: { number: number; hash: string; timestamp: number; ageSeconds: number };
  finality: {
    /** Blocks the window covers (signatures and intervals). */
    window: number;
    /** Mean seconds between consecutive blocks of the window (null: fewer than two blocks). */
    meanIntervalSeconds: number | null;
    /** Mean of the known commit delays (null: none known). */
    meanCommitDelaySeconds: number | null;
    /** Newest first. */
    recent: RecentBlockStatus[];
  };
  epoch: {
    /** Epoch of the head block. */
    current: number;
    /** Epoch of the beacon chain's head (differs from `current` on a shard while it lags the beacon). */
    beacon: number;
    blocksPerEpoch: number;
  };
  consensus: {
    mode: string;
    phase: string;
    viewId: number;
    leaderSlot: number;
    leaderKey: string | null;
    isLeader: boolean;
    blocksCommitted: number;
    /** Views entered since the node started, by reason (start, height, rotation, timeout, newview, join). */
    viewsEntered: Record<string, number>;
    /** Of those, the view changes proper: a failed view (timeout, newview, join). */
    viewChangesTotal: number;
  } | null;
  committee: { epoch: number; size: number; keys: CommitteeKeyStatus[] } | null;
  myKeys: MyKeyStatus[];
  peers: { count: number; list: PeerStatus[] };
  sync: {
    syncing: boolean;
    startingBlock: number;
    currentBlock: number;
    highestBlock: number;
    blocksPerSecond: number | null;
    etaSeconds: number | null;
  };
  txpool: { pending: number; queued: number };
  shards: ShardStatus[];
  crossLinks: CrossLinkStatus[] | null;
  /** Incoming cross-shard receipt proofs held, not yet credited (null: one-shard network). */
  cxPending: number | null;
  staking: StakingStatus | null;
}
