/**
 * A node of a multi-validator network (`harmony node --config FILE`): its shard's side (store, chain,
 * txpool, p2p, sync, consensus over the node's BLS keys — none: a non-validating RPC node; see
 * shardSide.ts), on a shard other than the beacon also a follower of the beacon chain, cross-shard
 * traffic (crosslinks, CX receipts; crossShard.ts), and the one HTTP listener: JSON-RPC, `/p2p`
 * (our shard's network) and `/p2p/0` (the beacon network), Prometheus `/metrics`.
 */
import { join } from "node:path";
import type { RuntimeAdapter } from "../adapter/index.ts";
import { type Chain, genesisSupply } from "../chain/index.ts";
import { leaderSlot } from "../consensus/index.ts";
import { type GenesisSpec, isBeacon } from "../core/index.ts";
import { type BLSBackendName, createBLS, getSecp256k1Backend, privateKeyToAddress } from "../crypto/index.ts";
import { type P2P, Topic } from "../p2p/index.ts";
import { type RPCSettings, createRPCServer } from "../rpc/index.ts";
import { STORE_FILE } from "../store/index.ts";
import type { Syncer } from "../sync/index.ts";
import type { TxPool } from "../txpool/index.ts";
import { type Logger, createLogger } from "../util/logger.ts";
import { VERSION } from "../version.ts";
import { advertisedP2PUrl, createAdminBackend, mountNodeRoutes } from "./_nodeWiring.ts";
import { createBLSVerifierPool } from "./blsPool.ts";
import { createNodeCallPool } from "./callPool.ts";
import { dec } from "./_stakingJSON.ts";
import { createNetworkSupplyMethods, getNetworkSupply, serveShardSupply } from "./networkSupply.ts";
import type { ConsensusDriver } from "./consensusDriver.ts";
import { createCrossLinkMethods, crossLinkSourceOf } from "./crossLinkMethods.ts";
import { startDealtSides } from "./dealtShards.ts";
import { type CrossShard, createCrossShard } from "./crossShard.ts";
import type { DriverStatus } from "./driverTypes.ts";
import type { EpochCommittees } from "./epochCommittees.ts";
import { ValidatorNodeError, ValidatorNodeErrorCode } from "./errors.ts";
import { startEventLoopLagMonitor } from "./eventLoopLag.ts";
import type { Failpoint } from "./failpoint.ts";
import { type NodeMetadata, createHmyMethods, getNodeMetadata } from "./hmyMethods.ts";
import { loadBLSKeys, loadOrCreateNodeKey, placeKeys } from "./nodeKeys.ts";
import { createNodeRegistry } from "./metricsRegistry.ts";
import type { NodeMetricsSource, SideMetricsSource } from "./nodeMetrics.ts";
import { getProposalTimeMs } from "./proposalTime.ts";
import { createReadiness } from "./readiness.ts";
import { createRpcBackend } from "./rpcBackend.ts";
import { type ShardSide, type ShardSideNet, openShardSide } from "./shardSide.ts";
import { createShardingMethods } from "./shardingMethods.ts";
import { createStakingMethods, stakingSourceOf } from "./stakingMethods.ts";
import { storeFaultOf } from "./storeGuard.ts";
import { mountStatusPage } from "./statusPage/statusPage.ts";
import { createStatusMethods } from "./statusSnapshot.ts";
import { nodeStatusSources, startCommitClock } from "./statusSnapshotSources.ts";

/** Configuration of a validator (or non-validating) node. */
export interface ValidatorNodeConfig {
  readonly dataDir: string;
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  readonly genesis: GenesisSpec;
  /** EIP-2335 keystore files of our BLS keys (empty: a non-validating node). */
  readonly blsKeystores: readonly string[];
  readonly passphraseFile: string;
  /** Hex secp256k1 node key; created when missing. */
  readonly nodeKeyFile: string;
  /** `ws://host:port/p2p` of other nodes. */
  readonly bootnodes: readonly string[];
  /** Peers of each shard's p2p network by shard id (0 = the beacon network, dialed by a shard-S≠0 node's beacon follower). */
  readonly shardBootnodes?: Readonly<Record<number, readonly string[]>>;
  /** Public RPC endpoints of every shard, listed by `hmy_getShardingStructure`. */
  readonly shardEndpoints?: readonly { shardId: number; http: string; ws: string }[];
  /** Shard of a node without keys (default 0; a validator's shard follows from its keys). */
  readonly shardId?: number;
  /** Rounds the doppelganger guard listens before signing (default 2; 0 = off). */
  readonly doppelgangerViews?: number;
  readonly blsBackend?: BLSBackendName | "auto";
  /** BLS verification workers (default min(4, cores − 1)). */
  readonly blsWorkers?: number;
  readonly maxPeers?: number;
  /** The `ws://host:port/p2p` peers should dial us at (default: from the listener; none when it is 0.0.0.0/::). */
  readonly p2pAdvertiseUrl?: string;
  /** Operator blocklist from the config: node ids or peer URLs. */
  readonly blockedPeers?: readonly string[];
  /** Serve the `admin_` JSON-RPC namespace to loopback clients. */
  readonly rpcAdmin?: boolean;
  readonly rpc?: RPCSettings;
  readonly failpoint?: Failpoint;
  /** Append every signed consensus message sent to this file (`HARMONY_VOTE_LOG`; safety tests, see voteLog.ts). */
  readonly voteLog?: string;
  /** Never include our VDF output in the beacon blocks we lead (`HARMONY_WITHHOLD_VDF=1`; tests of the beacon's fallback). */
  readonly withholdVDF?: boolean;
}

/** Services of {@link startValidatorNode}. */
export interface ValidatorNodeModules {
  readonly adapter: RuntimeAdapter;
  readonly logger?: Logger;
  /**
   * A broken invariant stopped consensus, or a store write failed (signing is already halted); the
   * process should stop and exit non-zero.
   */
  readonly onFatal?: (e: unknown) => void;
  /** What the fail point does (default: SIGKILL this process). */
  readonly kill?: () => void;
}

/** A running node. */
export interface ValidatorNode {
  readonly url: string;
  readonly wsUrl: string;
  readonly p2pUrl: string;
  readonly shardId: number;
  /** Committees by epoch (with our slots in each). */
  readonly committees: EpochCommittees;
  readonly chain: Chain;
  readonly pool: TxPool;
  readonly p2p: P2P;
  readonly syncer: Syncer;
  readonly driver: ConsensusDriver;
  /** Every shard this node runs, by id: its home shard's (the fields above), the beacon's, and on a validator every shard's. */
  readonly sides: ReadonlyMap<number, ShardSide>;
  metadata(): NodeMetadata;
  /** The `/metrics` exposition text (prom-client). */
  metricsText(): Promise<string>;
  /** Stop signing at once and answer `/ready` with 503 `reason` (a fatal error; `stop` follows). */
  halt(reason: string): void;
  /** Stop consensus, sync, p2p and RPC, close the store. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Load keys, open the data dir and start the node.
 * Keys need not be in the current committee: the node observes until an election puts them in.
 * @throws {ValidatorNodeError} KEY_UNREADABLE, KEY_NOT_IN_COMMITTEE (genesis keys of several shards), NO_COMMITTEE; {StoreError}
 * DIR_IN_USE; {ChainError} GENESIS_MISMATCH; {ConsensusError} SAFETY_RECORD_CORRUPT.
 */
export async function startValidatorNode(cfg: ValidatorNodeConfig, modules: ValidatorNodeModules): Promise<ValidatorNode> {
  const log = modules.logger ?? createLogger("node");
  const bls = await createBLS(cfg.blsBackend ?? "auto");
  const keys = await loadBLSKeys(cfg.blsKeystores, cfg.passphraseFile, bls);
  const nodeKey = loadOrCreateNodeKey(cfg.nodeKeyFile);
  const { shardId } = placeKeys(cfg.genesis.committees, keys.map((k) => k.publicKey), cfg.shardId ?? 0);
  if ((cfg.genesis.committees[shardId] ?? []).length === 0) throw new ValidatorNodeError({ code: ValidatorNodeErrorCode.NO_COMMITTEE, shardId }, `the genesis has no committee for shard ${shardId}`);
  const hasKeys = keys.length > 0;
  // Set once a fatal error halts the node; parts created afterwards start halted.
  let haltedFor: string | undefined;
  let halt = (reason: string) => void (haltedFor ??= reason);
  const closers: (() => unknown)[] = [];
  const cleanup = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    // The sources of /metrics, sampled at each scrape once the node runs (set below).
    let sample = (): NodeMetricsSource | undefined => undefined;
    const metrics = createNodeRegistry(modules.adapter.perf ? { perf: modules.adapter.perf } : {}, () => sample());
    closers.push(() => metrics.close());
    const verifier = createBLSVerifierPool(bls, cfg.blsWorkers === undefined ? {} : { size: cfg.blsWorkers }, { logger: log.child("bls"), onBatch: (sec) => metrics.onBLSBatch(sec) });
    closers.push(() => verifier.close());
    const lag = startEventLoopLagMonitor({}, { logger: log.child("loop") });
    closers.push(() => lag.stop());
    let homeSide: ShardSide | undefined;
    const sideModules = (name: string) => ({
      bls, verifier, logger: log.child(name),
      onStoreWriteError: (e: unknown) => {
        halt(`store write failed: ${e instanceof Error ? e.message : String(e)}`);
        modules.onFatal?.(e);
      },
      onFatal: (e: unknown) => {
        halt(`consensus stopped: ${e instanceof Error ? e.message : String(e)}`);
        modules.onFatal?.(e);
      },
      ...(modules.kill ? { kill: modules.kill } : {}),
    });
    const shardCount = cfg.genesis.config.shardCount;
    const bootnodesOf = (s: number): readonly string[] => cfg.shardBootnodes?.[s] ?? (s === shardId ? cfg.bootnodes : []);
    const common = {
      genesis: cfg.genesis, nodeKey, ...(cfg.maxPeers !== undefined ? { maxPeers: cfg.maxPeers } : {}), ...(cfg.blockedPeers ? { blockedPeers: cfg.blockedPeers } : {}),
      ...(cfg.doppelgangerViews !== undefined ? { doppelgangerViews: cfg.doppelgangerViews } : {}),
    };
    const fault = storeFaultOf(cfg.failpoint, join(cfg.dataDir, "chain"), () => homeSide?.chain.head.number);
    // The home side keeps the data dir's top level (a one-shard node's layout); other shards live under shards/<id>.
    const homeOnly = {
      ...(cfg.failpoint ? { failpoint: cfg.failpoint } : {}), ...(cfg.voteLog ? { voteLog: cfg.voteLog } : {}), ...(fault ? { storeFault: fault } : {}),
      ...(cfg.rpc?.txHistory === true ? { txHistory: true } : {}),
    };
    const sides = new Map<number, ShardSide>();
    const crosses = new Map<number, CrossShard>();
    // A shard closes its epoch half an epoch after the beacon elected the next one: time for the nodes
    // the election dealt to it to sync it and end their doppelganger listening (two rounds) before
    // they must sign (dealtShards.ts; a quarter epoch left a 16-block devnet's first boundary short).
    const closeDelay = Math.max(2, Math.floor(cfg.genesis.config.epochBlocks / 2));
    const openSide = async (s: number, beacon?: ShardSide): Promise<ShardSide> => {
      const cross = createCrossShard({ shardId: s, shardCount }, { verifier, logger: log.child(s === shardId ? "crossshard" : `crossshard${s}`) });
      crosses.set(s, cross);
      try {
        const side = await openShardSide(
          {
            ...common, ...(s === shardId ? homeOnly : {}), shardId: s, dir: s === shardId ? cfg.dataDir : join(cfg.dataDir, "shards", String(s)), keys, bootnodes: bootnodesOf(s),
            ...(beacon ? { beacon: beacon.chain.beaconView(), beaconHeads: (fn: () => void) => beacon.chain.on("head", fn), epochCloseDelayBlocks: closeDelay } : {}),
            ...(isBeacon(s) && cfg.withholdVDF ? { withholdVDF: true } : {}),
          },
          {
            ...sideModules(s === shardId ? "node" : `shard${s}`), buildExtras: () => cross.buildExtras(),
            onProposal: (block, arrivedAt) => {
              const t = getProposalTimeMs(block);
              if (t !== undefined) metrics.onGossipDelay(s, "consensus", (arrivedAt - t) / 1000);
            },
          },
        );
        side.chain.on("stages", (t) => metrics.onBlockStages(s, t));
        sides.set(s, side);
        return side;
      } catch (e) {
        crosses.delete(s);
        cross.stop();
        throw e;
      }
    };
    const closeSide = async (s: number) => {
      crosses.get(s)?.stop();
      crosses.delete(s);
      const x = sides.get(s);
      sides.delete(s);
      await x?.stop();
    };
    closers.push(async () => {
      for (const s of [...sides.keys()].reverse()) await closeSide(s);
    });
    // Every node follows the beacon chain (epochs, committees, crosslinks) and runs its home shard;
    // a validator also runs the shards its keys are dealt to (started below, dealtShards.ts).
    const beaconSide = await openSide(0);
    if (!isBeacon(shardId)) await openSide(shardId, beaconSide);
    const side = sides.get(shardId) as ShardSide;
    homeSide = side;
    const { chain, pool, committees, evidence } = side;
    const beaconChain = beaconSide.chain;
    const current = () => committees.current();
    const config = chain.config;
    // RPC nodes follow; a validator whose head stops moving is part of a network that stopped.
    const readiness = createReadiness({ blockTimeMs: config.blockTimeMs, watchHead: hasKeys }, { now: () => Date.now() });
    closers.push(chain.on("head", () => readiness.headMoved()));
    const commitClock = startCommitClock(chain, () => Date.now());
    closers.push(commitClock.stop);
    halt = (reason) => {
      haltedFor ??= reason;
      for (const x of sides.values()) x.halt();
      readiness.halt(reason);
    };
    if (haltedFor !== undefined) halt(haltedFor);
    const netOf = () => side.net;
    // Until the driver exists (RPC serves from the start), report a node that has not joined yet.
    const status = (): DriverStatus =>
      netOf()?.driver.status() ?? {
        started: false, validator: current().mySlots.length > 0, height: chain.head.number + 1n, view: chain.head.viewId, phase: "idle", mode: current().mySlots.length > 0 ? "normal" : "nonValidator",
        leaderSlot: leaderSlot(current().committee, chain.head.viewId), isLeader: false, doppelganger: "clear",
      };
    const syncing = () => {
      const n = netOf();
      return n === undefined || !n.driver.status().started || n.syncer.status().syncing;
    };
    // eth_call runs on workers, so heavy calls do not hold the thread that votes.
    const calls = createNodeCallPool(cfg.rpc?.callWorkers, { storeFile: join(side.storeDir, STORE_FILE), config, shardId, logger: log.child("calls") });
    if (calls) closers.push(() => calls.close());
    const base = createRpcBackend(chain, pool, {
      peerCount: () => netOf()?.p2p.peerCount() ?? 0,
      syncStatus: () => netOf()?.syncer.status() ?? { syncing: true, startingBlock: chain.head.number, currentBlock: chain.head.number, highestBlock: chain.head.number },
    }, { ...(calls ? { callPool: calls } : {}), debug: cfg.rpc?.debug === true, coinbase: privateKeyToAddress(nodeKey) });
    const backend = {
      ...base,
      sendRawTransaction: async (raw: Uint8Array) => {
        const hash = await base.sendRawTransaction(raw);
        netOf()?.p2p.publish(Topic.TXS, raw);
        return hash;
      },
    };
    const info = {
      version: VERSION, networkId: config.networkId, shardId, chainId: config.chainId(shardId), blsKeys: keys.map((k) => k.publicKey), committee: () => current().committee,
      head: () => chain.head, status, peerCount: () => netOf()?.p2p.peerCount() ?? 0, syncing, evidence: () => evidence.list(),
      epochRandomness: (epoch: bigint) => beaconSide.beacon?.get(epoch),
    };
    sample = () => {
      if (netOf() === undefined) return undefined;
      const bySide = new Map<number, SideMetricsSource>();
      for (const [id, x] of sides) {
        const n = x.net;
        if (n === undefined) continue;
        const st = n.driver.status();
        bySide.set(id, {
          height: x.chain.head.number, committee: x.committees.current().committee, driver: { status: st, stats: n.driver.stats() }, syncing: !st.started || n.syncer.status().syncing,
          p2p: n.p2p.getMetrics(), net: n.consensus.stats(), sync: n.syncer.metrics(), txpool: x.pool.status(), evidence: x.evidence.size, senders: x.chain.senderRecoveryStats,
        });
      }
      return {
        sides: bySide, lag: { lastMs: lag.lastMs, maxMs: lag.takeMax() }, bls: verifier.stats(), secp256k1Backend: getSecp256k1Backend().name,
        rpc: { clients: server.clientStats(), ...(calls ? { calls: calls.stats() } : {}) },
      };
    };
    const metricsText = () => metrics.text();
    // `/p2p` is our home shard's network; `/p2p/<id>` the network of each shard we run (the beacon's: 0).
    const p2pOf = (path?: string): P2P | undefined => sides.get(path === undefined ? shardId : Number(path))?.net?.p2p;
    const extraMethods = {
      ...createHmyMethods(info), ...createStakingMethods(stakingSourceOf(beaconChain, shardId)), ...createCrossLinkMethods(crossLinkSourceOf(beaconChain)),
      ...createShardingMethods({ shardId, endpoints: cfg.shardEndpoints ?? [], http: () => server.url, ws: () => server.wsUrl }),
      ...(crosses.get(shardId) as CrossShard).rpcMethods(chain),
      ...createNetworkSupplyMethods(shardCount, () => getNetworkSupply({
        shardCount, local: (s) => sides.get(s)?.chain, crossLinkOf: (s) => beaconChain.db.getLastCrossLink(s), genesisOf: (s) => genesisSupply(cfg.genesis, s),
        ...(beaconSide.net ? { p2p: beaconSide.net.p2p } : {}),
      }), dec),
      ...createStatusMethods(nodeStatusSources({
        version: VERSION, keys: keys.map((k) => k.publicKey), chain, committees, pool, beacon: beaconChain, net: netOf, status, chains: () => [...sides.values()].map((x) => x.chain),
        cxPending: () => (crosses.get(shardId)?.buildExtras().pendingIncoming ?? []).length, clock: commitClock,
      })),
    };
    const server = await createRPCServer(
      { host: cfg.host, port: cfg.port, ...cfg.rpc, admin: cfg.rpcAdmin === true, notReady: () => readiness.notReady(), extraRoutes: (app) => (mountNodeRoutes(app, p2pOf, metrics), mountStatusPage(app)), extraMethods,
        onCall: (method, sec, ok) => metrics.onRPCCall(method, sec, ok) },
      { backend: { ...backend, admin: createAdminBackend(() => side.net?.p2p, shardId) }, adapter: modules.adapter, logger: log.child("rpc") },
    );
    closers.push(() => server.stop());
    const p2pUrl = advertisedP2PUrl({ host: cfg.host, serverUrl: server.url, ...(cfg.p2pAdvertiseUrl !== undefined ? { advertiseUrl: cfg.p2pAdvertiseUrl } : {}) });
    if (p2pUrl === "") log.warn("listening on every interface with no --p2p-advertise-url: peers cannot dial this node, it only dials out", { host: cfg.host });
    const urlOf = (s: number) => (s === shardId || p2pUrl === "" ? p2pUrl : `${p2pUrl}/${s}`);
    for (const [s, x] of sides) x.start(urlOf(s));
    const beaconP2P = (beaconSide.net as ShardSideNet).p2p;
    const attach = (s: number, x: ShardSide) => (crosses.get(s) as CrossShard).attach({ shard: x, beacon: beaconSide, beaconP2P, sideOf: (id) => sides.get(id) });
    for (const [s, x] of sides) attach(s, x);
    closers.push(serveShardSupply(beaconP2P, (s) => sides.get(s)?.chain));
    if (hasKeys && shardCount > 1) {
      const bv = beaconChain.beaconView();
      const stopDealt = startDealtSides({ home: shardId, keys: keys.map((k) => k.publicKey) }, {
        beacon: { settledEpoch: () => bv.settledEpoch(), shardStateAt: (e) => bv.shardStateAt(e), onHead: (fn) => beaconChain.on("head", fn) },
        running: () => new Set(sides.keys()),
        open: async (s) => {
          const x = await openSide(s, beaconSide);
          x.start(urlOf(s));
          if (haltedFor !== undefined) x.halt();
          attach(s, x);
        },
        close: closeSide,
        logger: log.child("shards"),
      });
      closers.push(stopDealt);
    }
    const n = side.net as ShardSideNet;
    log.info("node started", { rpc: server.url, p2p: p2pUrl, shard: shardId, shards: [...sides.keys()], keys: keys.length, slots: current().mySlots, head: chain.head.number, peers: bootnodesOf(shardId).length });
    let stopped: Promise<void> | undefined;
    return {
      url: server.url, wsUrl: server.wsUrl, p2pUrl, shardId, committees, chain, pool, p2p: n.p2p, syncer: n.syncer, driver: n.driver, sides,
      metadata: () => getNodeMetadata(info),
      metricsText,
      halt: (reason) => halt(reason),
      stop: () => (stopped ??= cleanup()),
    };
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }
}
