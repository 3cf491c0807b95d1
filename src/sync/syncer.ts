/**
 * The syncing side of DESIGN §Sync as a service: it watches peers' heads (`peer:connect`,
 * `peer:head`, and a periodic re-check), runs {@link runSync} whenever a peer is ahead, reports
 * progress (`eth_syncing` status, blocks/s and ETA in the log), and says when the node has caught
 * up — the node then joins consensus. After that it keeps following: a peer announcing a higher
 * head while the syncer is idle starts another run.
 */
import { SenderRecoveryPool, recoverSenders } from "../execution/index.ts";
import { equalBytes } from "../util/bytes.ts";
import { PeerBook } from "./_peers.ts";
import { ProgressMeter } from "./_progress.ts";
import { type RunContext, type RunCounters, runSync } from "./_run.ts";
import { MAX_BLOCKS_PER_REQUEST } from "./messages.ts";
import { formatEta } from "./progress.ts";
import type { FinalizedHead, SyncEvents, SyncMetrics, SyncStatus, Syncer, SyncerModules, SyncerOptions } from "./types.ts";

const DEFAULTS = {
  rangeSize: 128,
  maxRangesInFlight: 4,
  requestTimeoutMs: 10_000,
  maxAttemptsPerRange: 8,
  badPeerCooldownMs: 10 * 60_000,
  restPeerMs: 30_000,
  progressIntervalMs: 5_000,
  recheckIntervalMs: 5_000,
  followDistance: 1,
  minPeers: 1,
} satisfies Required<SyncerOptions>;

type Listeners = { [E in keyof SyncEvents]: Set<(e: SyncEvents[E]) => void> };

/**
 * Create the block syncer of a node (idle until {@link Syncer.start}).
 * @throws {RangeError} on an option that is not a positive integer (minPeers: non-negative), or rangeSize over 128.
 */
export function createSyncer(opts: SyncerOptions, modules: SyncerModules): Syncer {
  const o = { ...DEFAULTS };
  for (const k of Object.keys(DEFAULTS) as (keyof SyncerOptions)[]) {
    const v = opts[k];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < (k === "minPeers" ? 0 : 1)) throw new RangeError(`${k} must be a ${k === "minPeers" ? "non-negative" : "positive"} integer, got ${v}`);
    o[k] = v;
  }
  if (o.rangeSize > MAX_BLOCKS_PER_REQUEST) throw new RangeError(`rangeSize must be at most ${MAX_BLOCKS_PER_REQUEST}`);
  const { chain, p2p, clock, logger: log } = modules;
  const peers = new PeerBook(p2p, clock, log, o);
  const meter = new ProgressMeter(clock);
  const counters: RunCounters = { blocksImported: 0, headersVerified: 0, rangeRetries: 0 };
  const listeners: Listeners = { synced: new Set(), syncing: new Set() };
  let started = false;
  let stopped = false;
  let synced = false;
  let running: Promise<void> | undefined;
  let retryAt = 0;
  let startingBlock = chain.head.number;
  let latest: FinalizedHead | undefined;
  let haltFn: () => void = () => undefined;
  const halted = new Promise<void>((r) => {
    haltFn = r;
  });
  const offs: (() => void)[] = [];
  let recheckTimer: ReturnType<typeof setInterval> | undefined;

  const emit = <E extends keyof SyncEvents>(event: E, payload: SyncEvents[E]) => {
    for (const fn of listeners[event] as Set<(e: SyncEvents[E]) => void>) {
      try {
        fn(payload);
      } catch (e) {
        log.error("sync listener failed", { event, error: e });
      }
    }
  };
  const highest = () => {
    const best = peers.bestHead();
    const head = chain.head.number;
    return best !== undefined && best > head ? best : head;
  };
  const latestCommit = () => (latest !== undefined && latest.number === chain.head.number && equalBytes(latest.hash, chain.head.hash) ? latest : undefined);
  const logProgress = () => {
    const current = chain.head.number;
    const target = highest();
    // The terminal's status line shows the same numbers live; the log keeps them for non-terminals.
    log[modules.progressShownElsewhere?.() === true ? "debug" : "info"]("sync progress", { current, highest: target, blocksPerSec: Number(meter.rate().toFixed(1)), eta: formatEta(meter.eta(current, target)), peers: peers.usable().length });
  };

  // Senders of a whole range are recovered at once, on workers, while earlier ranges execute.
  let ownPool: SenderRecoveryPool | undefined;
  const pool = () => (modules.senderPool === undefined ? (ownPool ??= new SenderRecoveryPool()) : modules.senderPool);
  const ctx: RunContext = {
    ...(modules.senderPool === null ? {} : { recover: (txs) => recoverSenders(txs, { pool: pool() as SenderRecoveryPool }) }),
    chain,
    peers,
    log,
    counters,
    halted,
    rangeSize: o.rangeSize,
    maxRangesInFlight: o.maxRangesInFlight,
    maxAttemptsPerRange: o.maxAttemptsPerRange,
    range: { p2p, shardId: chain.head.shardId, verifyCommit: modules.verifyCommit, timeoutMs: o.requestTimeoutMs },
    isStopped: () => stopped,
    onImported: (h) => {
      latest = h;
      meter.record(h.number);
    },
  };

  function run(): void {
    if (synced) {
      synced = false;
      emit("syncing", status());
    }
    startingBlock = chain.head.number;
    const t0 = clock.now();
    const imported0 = counters.blocksImported;
    meter.reset(startingBlock);
    log.info("sync started", { head: startingBlock, highest: highest(), peers: peers.usable().length });
    const progressTimer = setInterval(logProgress, o.progressIntervalMs);
    running = (async () => {
      let outcome = "failed";
      try {
        outcome = await runSync(ctx);
      } catch (e) {
        log.error("sync run failed", { head: chain.head.number, error: e });
      } finally {
        clearInterval(progressTimer);
      }
      const n = counters.blocksImported - imported0;
      const secs = (clock.now() - t0) / 1000;
      log.info("sync run ended", { outcome, head: chain.head.number, imported: n, seconds: Number(secs.toFixed(1)), blocksPerSec: secs > 0 ? Number((n / secs).toFixed(1)) : 0 });
      if (outcome !== "caught-up") retryAt = clock.now() + o.recheckIntervalMs;
    })().finally(() => {
      running = undefined;
      check();
    });
  }

  function check(): void {
    if (!started || stopped || running !== undefined) return;
    peers.prune();
    const best = peers.bestHead();
    const head = chain.head.number;
    if (best !== undefined && best >= head + BigInt(o.followDistance)) {
      if (clock.now() >= retryAt) run();
      return;
    }
    if (!synced && peers.usable().length >= o.minPeers) {
      synced = true;
      log.info("synced", { head });
      emit("synced", { head: chain.head, commit: latestCommit() });
    }
  }

  function status(): SyncStatus {
    const currentBlock = chain.head.number;
    const highestBlock = highest();
    const syncing = running !== undefined && currentBlock < highestBlock;
    if (!syncing) return { syncing, startingBlock, currentBlock, highestBlock };
    const eta = meter.eta(currentBlock, highestBlock);
    return { syncing, startingBlock, currentBlock, highestBlock, blocksPerSecond: meter.rate(), ...(eta === undefined ? {} : { etaSeconds: eta }) };
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      offs.push(p2p.on("peer:connect", check), p2p.on("peer:head", check));
      recheckTimer = setInterval(check, o.recheckIntervalMs);
      queueMicrotask(check);
    },
    async stop() {
      stopped = true;
      haltFn();
      for (const off of offs.splice(0)) off();
      if (recheckTimer !== undefined) clearInterval(recheckTimer);
      await running;
      ownPool?.close();
    },
    status,
    isSynced: () => synced,
    latestCommit,
    metrics(): SyncMetrics {
      const s = status();
      return {
        ...counters,
        peersPenalized: peers.penalized,
        blocksPerSecond: running ? meter.rate() : 0,
        etaSeconds: running ? meter.eta(s.currentBlock, s.highestBlock) : undefined,
        lag: s.highestBlock - s.currentBlock,
      };
    },
    on(event, fn) {
      const set = listeners[event] as Set<typeof fn>;
      set.add(fn);
      return () => set.delete(fn);
    },
    whenIdle: () => running ?? Promise.resolve(),
  };
}
