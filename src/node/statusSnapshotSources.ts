/**
 * Where the status snapshot (statusSnapshot.ts) reads a running node: the commit clock (when this node
 * saw each recent block committed), the staking figures of the beacon chain, and the sources of a
 * `--dev` node. The validator node assembles its own sources from its sides (validatorNode.ts).
 */
import type { Chain } from "../chain/index.ts";
import { shardSlots } from "../core/index.ts";
import { StakingState } from "../staking/index.ts";
import { createWorldState } from "../state/index.ts";
import type { TxPool } from "../txpool/index.ts";
import { dec } from "./_stakingJSON.ts";
import { createDriverStats } from "./driverStats.ts";
import type { DriverStatus } from "./driverTypes.ts";
import type { EpochCommittees } from "./epochCommittees.ts";
import type { ShardSideNet } from "./shardSide.ts";
import { STATUS_WINDOW, type StatusSnapshotSources } from "./statusSnapshot.ts";
import type { StakingStatus } from "./statusSnapshotTypes.ts";
import { stakingSourceOf } from "./stakingMethods.ts";

/** When this node committed recent blocks (wall clock ms by block number). */
export interface CommitClock {
  committedAt(n: bigint): number | undefined;
  stop(): void;
}

/**
 * Record the wall-clock time of each new head of `chain` (the moment this node committed it), keeping
 * the last `keep` blocks: the snapshot's commit delay is that time after the header's timestamp.
 */
export function startCommitClock(chain: Pick<Chain, "on">, now: () => number, keep = STATUS_WINDOW * 2): CommitClock {
  const at = new Map<bigint, number>();
  const off = chain.on("head", (h) => {
    at.set(h.number, now());
    // Heads arrive in order; a reorg or restart may leave stale numbers, dropped oldest-first.
    while (at.size > keep) at.delete(at.keys().next().value as bigint);
  });
  return { committedAt: (n) => at.get(n), stop: off };
}

/**
 * Staking figures of the beacon chain at its head: total delegated stake, supply, validators elected
 * in the shard state in force, and the epoch's last block.
 * @throws what the state or shard-state reads throw (the snapshot leaves staking out then).
 */
export function getStakingStatus(beacon: Chain): StakingStatus {
  const head = beacon.head;
  const staking = new StakingState(createWorldState(beacon.state, head.stateRoot));
  const total = staking.validatorAddresses().reduce((sum, a) => sum + (staking.getValidator(a)?.totalDelegation ?? 0n), 0n);
  const elected = new Set<string>();
  const state = beacon.shardStateAt(head.epoch);
  for (let s = 0; s < beacon.config.shardCount; s++) {
    for (const slot of shardSlots(state, s) ?? []) if (slot.validator.some((b) => b !== 0)) elected.add(slot.validator.join(","));
  }
  const epochBlocks = BigInt(beacon.config.epochBlocks);
  return {
    epoch: Number(head.epoch), totalStaked: dec(total), totalSupply: dec(stakingSourceOf(beacon).totalSupply()), validatorsElected: elected.size,
    epochLastBlock: Number((head.number / epochBlocks + 1n) * epochBlocks - 1n),
  };
}

/**
 * {@link getStakingStatus} computed once per beacon head: it reads every validator record from the
 * state, and the page asks on every head and every few seconds.
 */
export function stakingStatusByHead(beacon: Chain): () => StakingStatus {
  let memo: { head: Uint8Array; value: StakingStatus } | undefined;
  return () => {
    const head = beacon.head.hash;
    if (memo === undefined || memo.head !== head) memo = { head, value: getStakingStatus(beacon) };
    return memo.value;
  };
}

/** Sources of a `--dev` node: one producer, no committee, no peers, never syncing. */
export function devStatusSources(o: { version: string; chain: Chain; pool: Pick<TxPool, "status">; clock: CommitClock; now?: () => number }): StatusSnapshotSources {
  const { chain, pool, clock } = o;
  const config = chain.config;
  return {
    version: o.version, networkId: config.networkId, shardId: chain.shardId, chainId: config.chainId(chain.shardId), epochBlocks: config.epochBlocks, myKeys: [],
    now: o.now ?? (() => Date.now()),
    head: () => chain.head,
    headerByNumber: (n) => chain.getHeaderByNumber(n),
    committedAt: (n) => clock.committedAt(n),
    committeeAt: () => undefined,
    currentCommittee: () => undefined,
    beaconEpoch: () => chain.head.epoch,
    peers: () => [],
    sync: () => ({ syncing: false, startingBlock: 0n, currentBlock: chain.head.number, highestBlock: chain.head.number }),
    txpool: () => {
      const s = pool.status();
      return { pending: s.pending, queued: s.queued };
    },
    shards: () => [{ shardId: chain.shardId, head: chain.head }],
    staking: stakingStatusByHead(chain),
  };
}

/** The parts of a validator (or RPC) node the snapshot reads (validatorNode.ts passes its own). */
export interface NodeStatusParts {
  readonly version: string;
  readonly keys: readonly Uint8Array[];
  /** The home shard's chain, committees and txpool. */
  readonly chain: Chain;
  readonly committees: Pick<EpochCommittees, "at" | "current">;
  readonly pool: Pick<TxPool, "status">;
  readonly beacon: Chain;
  /** The home side's network half (undefined while the node starts). */
  net(): Pick<ShardSideNet, "driver" | "p2p" | "syncer"> | undefined;
  /** The driver's status, also before the network half exists. */
  status(): DriverStatus;
  /** Every chain the node runs, by shard. */
  chains(): Iterable<Chain>;
  /** Incoming CX proofs held for the home shard. */
  cxPending(): number;
  readonly clock: CommitClock;
}

/** Sources of a validator or RPC node (`harmony node --config` / `--network`). */
export function nodeStatusSources(p: NodeStatusParts): StatusSnapshotSources {
  const { chain, beacon } = p;
  const config = chain.config;
  const several = config.shardCount > 1;
  return {
    version: p.version, networkId: config.networkId, shardId: chain.shardId, chainId: config.chainId(chain.shardId), epochBlocks: config.epochBlocks, myKeys: p.keys,
    now: () => Date.now(),
    head: () => chain.head,
    headerByNumber: (n) => chain.getHeaderByNumber(n),
    committedAt: (n) => p.clock.committedAt(n),
    committeeAt: (e) => p.committees.at(e),
    currentCommittee: () => p.committees.current(),
    beaconEpoch: () => beacon.head.epoch,
    consensus: () => {
      const net = p.net();
      return { status: p.status(), stats: net === undefined ? createDriverStats() : net.driver.stats() };
    },
    peers: () => p.net()?.p2p.peers() ?? [],
    sync: () => p.net()?.syncer.status() ?? { syncing: true, startingBlock: chain.head.number, currentBlock: chain.head.number, highestBlock: chain.head.number },
    txpool: () => {
      const s = p.pool.status();
      return { pending: s.pending, queued: s.queued };
    },
    shards: () => [...p.chains()].map((c) => ({ shardId: c.shardId, head: c.head })),
    ...(several
      ? {
          crossLinks: () => {
            const out: { shardId: number; blockNumber: bigint; epoch: bigint }[] = [];
            for (let s = 1; s < config.shardCount; s++) {
              const l = beacon.db.getLastCrossLink(s);
              if (l !== undefined) out.push({ shardId: s, blockNumber: l.blockNumber, epoch: l.epoch });
            }
            return out;
          },
          cxPending: () => p.cxPending(),
        }
      : {}),
    staking: stakingStatusByHead(beacon),
  };
}
