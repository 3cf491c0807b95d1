/**
 * Which shards a validator runs (DESIGN §Sharding: "a node whose key moves to another shard syncs that
 * shard's state before the epoch starts"): the beacon, its home shard (the one its RPC serves), and
 * every shard its keys are dealt to in the beacon's latest settled epoch or the one before (a shard
 * enters an epoch some blocks after the beacon elected it, see `epochCloseDelayBlocks`). The set is
 * recomputed at every beacon head: a shard the election deals our keys to is opened at once and syncs
 * while its epoch has not started; a shard none of our keys is dealt to any more is closed (its store
 * stays under the data dir, so coming back only catches up).
 * @module
 */
import { type ShardState, isBeacon } from "../core/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import type { Logger } from "../util/logger.ts";

/** Shards whose committee in any of `states` holds one of `keys` (hex). */
export function dealtShards(states: readonly ShardState[], keys: ReadonlySet<string>): Set<number> {
  const out = new Set<number>();
  for (const st of states) for (const sh of st.shards) if (sh.slots.some((sl) => keys.has(bytesToHex(sl.blsKey)))) out.add(sh.shardId);
  return out;
}

/** The shards to run: the beacon, `home`, and those dealt our keys in the latest settled epoch or the one before. */
export function wantedShards(o: { home: number; keys: ReadonlySet<string>; settled: bigint; shardStateAt: (epoch: bigint) => ShardState }): Set<number> {
  const states = [o.shardStateAt(o.settled), ...(o.settled > 0n ? [o.shardStateAt(o.settled - 1n)] : [])];
  const out = dealtShards(states, o.keys);
  out.add(0);
  out.add(o.home);
  return out;
}

/** What the manager drives. */
export interface DealtSidesModules {
  /** The beacon chain's view and head events. */
  readonly beacon: { settledEpoch(): bigint; shardStateAt(epoch: bigint): ShardState; onHead(fn: () => void): () => void };
  readonly running: () => ReadonlySet<number>;
  readonly open: (shardId: number) => Promise<void>;
  readonly close: (shardId: number) => Promise<void>;
  readonly logger: Logger;
}

/**
 * Keep the running shards equal to {@link wantedShards} as the beacon moves; changes run one at a
 * time. Returns the stop function (waits for a change under way).
 */
export function startDealtSides(o: { home: number; keys: readonly Uint8Array[] }, m: DealtSidesModules): () => Promise<void> {
  const keys = new Set(o.keys.map(bytesToHex));
  let busy: Promise<void> = Promise.resolve();
  let queued = false;
  let stopped = false;
  const settle = async () => {
    const settled = m.beacon.settledEpoch();
    const want = wantedShards({ home: o.home, keys, settled, shardStateAt: (e) => m.beacon.shardStateAt(e) });
    const have = m.running();
    for (const s of want) {
      if (stopped || have.has(s)) continue;
      m.logger.info("our keys are dealt to a shard we do not run: opening it to sync before its epoch starts", { shard: s, epoch: settled });
      await m.open(s);
    }
    for (const s of [...have]) {
      if (stopped || want.has(s) || isBeacon(s) || s === o.home) continue;
      m.logger.info("none of our keys is dealt to a shard any more: closing it", { shard: s, epoch: settled });
      await m.close(s);
    }
  };
  const schedule = () => {
    if (queued || stopped) return;
    queued = true;
    busy = busy.then(async () => {
      queued = false;
      try {
        await settle();
      } catch (e) {
        m.logger.error("changing the shards this node runs failed", { error: e });
      }
    });
  };
  const off = m.beacon.onHead(schedule);
  schedule();
  return async () => {
    stopped = true;
    off();
    await busy;
  };
}
