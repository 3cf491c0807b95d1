/**
 * A node of a multi-validator network (`harmony node --config FILE`, issue 4): store, chain (genesis
 * from a file), txpool with transaction gossip, p2p on `/p2p` of the one HTTP listener, block sync
 * (served always; catching up before joining consensus), the FBFT consensus driver over the node's
 * BLS keys (none: a non-validating RPC node that follows committed blocks by gossip and sync),
 * JSON-RPC with `hmy_getNodeMetadata`/`hmy_getLeader`, and Prometheus `/metrics`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { RuntimeAdapter } from "../adapter/index.ts";
import { type Chain, openChain } from "../chain/index.ts";
import { type Committee, createBLSSigner, isQuorum, leaderSlot, slotsOfBitmap, slotsPower } from "../consensus/index.ts";
import type { GenesisSpec } from "../core/index.ts";
import { type BLSBackendName, createBLS, getSecp256k1Backend, privateKeyToAddress } from "../crypto/index.ts";
import { DEFAULT_RATE_LIMITS, type P2P, Topic, createP2P } from "../p2p/index.ts";
import { type RPCSettings, createRPCServer } from "../rpc/index.ts";
import { type KVStore, STORE_FILE, openDataDir } from "../store/index.ts";
import { createNodeCallPool } from "./callPool.ts";
import { type Syncer, createSyncer, registerSyncHandlers } from "../sync/index.ts";
import { type TxPool, createTxPool } from "../txpool/index.ts";
import { type Logger, createLogger } from "../util/logger.ts";
import { VERSION } from "../version.ts";
import { advertisedP2PUrl, createAdminBackend, createCommitVerifier, mountNodeRoutes, subscribeTxGossip } from "./_nodeWiring.ts";
import { createBlockFetcher } from "./blockFetcher.ts";
import { createBLSVerifierPool } from "./blsPool.ts";
import { ConsensusDriver, SYSTEM_DRIVER_CLOCK } from "./consensusDriver.ts";
import { type ConsensusNet, createConsensusNet } from "./consensusNet.ts";
import type { DriverStatus } from "./driverTypes.ts";
import { ValidatorNodeError, ValidatorNodeErrorCode } from "./errors.ts";
import { startEventLoopLagMonitor } from "./eventLoopLag.ts";
import { createEvidenceStore } from "./evidenceStore.ts";
import { FAILPOINT_DOUBLE_SIGN, type Failpoint } from "./failpoint.ts";
import { doubleSignConflict, withDoubleSign } from "./_doubleSign.ts";
import { pendingSlashRecords } from "./slashEvidence.ts";
import { withVoteLog } from "./voteLog.ts";
import { EpochCommittees } from "./epochCommittees.ts";
import { type NodeMetadata, createHmyMethods, getNodeMetadata } from "./hmyMethods.ts";
import { createStakingMethods, stakingSourceOf } from "./stakingMethods.ts";
import { createCrossLinkMethods, crossLinkSourceOf } from "./crossLinkMethods.ts";
import { loadBLSKeys, loadOrCreateNodeKey, placeKeys } from "./nodeKeys.ts";
import { collectNodeMetrics } from "./nodeMetrics.ts";
import { renderPrometheus } from "./prometheus.ts";
import { createRpcBackend } from "./rpcBackend.ts";
import { createSafetyFile } from "./safetyFile.ts";
import { RandomBeacon } from "./randomBeacon.ts";
import { createRandomnessParams } from "../randomness/index.ts";
import { createReadiness } from "./readiness.ts";
import { LISTENING_TOPIC, ListenQuorum } from "./listenQuorum.ts";
import { guardStoreWrites, storeFaultOf } from "./storeGuard.ts";

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
  metadata(): NodeMetadata;
  metricsText(): string;
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
  mkdirSync(cfg.dataDir, { recursive: true });
  const storePath = join(cfg.dataDir, "chain");
  // Set once a fatal error halts the node; parts created afterwards start halted.
  let haltedFor: string | undefined;
  let halt = (reason: string) => void (haltedFor ??= reason);
  let openedChain: Chain | undefined;
  const fault = storeFaultOf(cfg.failpoint, storePath, () => openedChain?.head.number);
  // A failed write halts signing before the writer even sees the error; the process then stops.
  // shareReads: the call workers read the store through their own connections.
  const kv: KVStore = guardStoreWrites(openDataDir(storePath, { shareReads: true }), {
    onWriteError: (e) => {
      halt(`store write failed: ${e instanceof Error ? e.message : String(e)}`);
      modules.onFatal?.(e);
    },
    ...(fault ? { fault } : {}),
  });
  const closers: (() => unknown)[] = [() => kv.close()];
  const cleanup = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    // The pool is made after the chain (it reads the chain's state): blocks look up its decoded txs and senders late.
    let txPool: TxPool | undefined;
    const chain = await openChain(kv, {
      genesis: cfg.genesis, shardId, logger: log.child("chain"), knownSender: (h) => txPool?.getSender(h), knownTransaction: (h) => txPool?.get(h)?.tx,
    });
    openedChain = chain;
    closers.push(() => chain.close());
    const committees = new EpochCommittees(chain, keys);
    closers.push(() => committees.close());
    const current = () => committees.current();
    const config = chain.config;
    // RPC nodes follow; a validator whose head stops moving is part of a network that stopped.
    const readiness = createReadiness({ blockTimeMs: config.blockTimeMs, watchHead: hasKeys }, { now: () => Date.now() });
    closers.push(chain.on("head", () => readiness.headMoved()));
    halt = (reason) => {
      haltedFor ??= reason;
      readiness.halt(reason);
    };
    const pool = createTxPool(
      { chainId: config.chainId(shardId), minGasPrice: config.minGasPrice, blockGasLimit: config.blockGasLimit },
      { state: { getNonce: (a) => chain.stateAt().getNonce(a), getBalance: (a) => chain.stateAt().getBalance(a), nextBaseFee: () => config.nextBaseFee(chain.head) }, logger: log.child("txpool") },
    );
    txPool = pool;
    const verifier = createBLSVerifierPool(bls, cfg.blsWorkers === undefined ? {} : { size: cfg.blsWorkers }, { logger: log.child("bls") });
    closers.push(() => verifier.close());
    const lag = startEventLoopLagMonitor({}, { logger: log.child("loop") });
    closers.push(() => lag.stop());
    const evidence = createEvidenceStore(kv);
    const randomness = chain.randomness?.params ?? createRandomnessParams(config);
    const beacon = shardId === 0 ? new RandomBeacon({ evaluateVDF: hasKeys, withholdVDF: cfg.withholdVDF === true }, { chain, logger: log.child("beacon") }) : undefined;
    if (beacon !== undefined) {
      closers.push(chain.on("block", (b) => beacon.onCommitted(b.block.header)));
      closers.push(() => beacon.stop());
    }
    let p2p: P2P | undefined;
    let syncer: Syncer | undefined;
    let driver: ConsensusDriver | undefined;
    let net: ConsensusNet | undefined;
    // Until the driver exists (RPC serves from the start), report a node that has not joined yet.
    const status = (): DriverStatus =>
      driver?.status() ?? {
        started: false, validator: current().mySlots.length > 0, height: chain.head.number + 1n, view: chain.head.viewId, phase: "idle", mode: current().mySlots.length > 0 ? "normal" : "nonValidator",
        leaderSlot: leaderSlot(current().committee, chain.head.viewId), isLeader: false, doppelganger: "clear",
      };
    const syncing = () => driver === undefined || !driver.status().started || (syncer?.status().syncing ?? true);
    // eth_call runs on workers, so heavy calls do not hold the thread that votes.
    const calls = createNodeCallPool(cfg.rpc?.callWorkers, { storeFile: join(storePath, STORE_FILE), config, shardId, logger: log.child("calls") });
    if (calls) closers.push(() => calls.close());
    const base = createRpcBackend(chain, pool, {
      peerCount: () => p2p?.peerCount() ?? 0,
      syncStatus: () => syncer?.status() ?? { syncing: true, startingBlock: chain.head.number, currentBlock: chain.head.number, highestBlock: chain.head.number },
    }, calls ? { callPool: calls } : {});
    const backend = {
      ...base,
      sendRawTransaction: async (raw: Uint8Array) => {
        const hash = await base.sendRawTransaction(raw);
        p2p?.publish(Topic.TXS, raw);
        return hash;
      },
    };
    const info = {
      version: VERSION, networkId: config.networkId, shardId, chainId: config.chainId(shardId), blsKeys: keys.map((k) => k.publicKey), committee: () => current().committee,
      head: () => chain.head, status, peerCount: () => p2p?.peerCount() ?? 0, syncing, evidence: () => evidence.list(),
      epochRandomness: (epoch: bigint) => beacon?.get(epoch),
    };
    const metricsText = () =>
      driver === undefined || p2p === undefined || syncer === undefined || net === undefined
        ? "# starting\n"
        : renderPrometheus(collectNodeMetrics({
            height: chain.head.number, committee: current().committee, driver: { status: driver.status(), stats: driver.stats() }, syncing: syncing(), p2p: p2p.getMetrics(), net: net.stats(),
            sync: syncer.metrics(), lag: { lastMs: lag.lastMs, maxMs: lag.takeMax() }, bls: verifier.stats(), txpool: pool.status(), evidence: evidence.size,
            senders: { stats: chain.senderRecoveryStats, backend: getSecp256k1Backend().name },
            rpc: { clients: server.clientStats(), ...(calls ? { calls: calls.stats() } : {}) },
          }));
    const server = await createRPCServer(
      { host: cfg.host, port: cfg.port, ...cfg.rpc, admin: cfg.rpcAdmin === true, notReady: () => readiness.notReady(), extraRoutes: (app) => mountNodeRoutes(app, () => p2p, metricsText), extraMethods: { ...createHmyMethods(info), ...createStakingMethods(stakingSourceOf(chain)), ...createCrossLinkMethods(crossLinkSourceOf(chain)) } },
      { backend: { ...backend, admin: createAdminBackend(() => p2p, shardId) }, adapter: modules.adapter, logger: log.child("rpc") },
    );
    closers.push(() => server.stop());
    const p2pUrl = advertisedP2PUrl({ host: cfg.host, serverUrl: server.url, ...(cfg.p2pAdvertiseUrl !== undefined ? { advertiseUrl: cfg.p2pAdvertiseUrl } : {}) });
    if (p2pUrl === "") log.warn("listening on every interface with no --p2p-advertise-url: peers cannot dial this node, it only dials out", { host: cfg.host });
    const p = createP2P(
      {
        networkId: config.networkId, genesisHash: chain.genesis.hash, shardId, nodeKey, listenUrl: p2pUrl, bootnodes: [...cfg.bootnodes], maxPeers: cfg.maxPeers ?? 50,
        maxMessageBytes: 16 * 1024 * 1024 + 64 * 1024, rateLimits: DEFAULT_RATE_LIMITS, blocklist: [...(cfg.blockedPeers ?? [])],
      },
      { store: kv, logger: log.child("p2p"), getHead: () => ({ number: chain.head.number, hash: chain.head.hash }) },
    );
    p2p = p;
    closers.push(() => p.stop());
    const s = createSyncer({ followDistance: 3, minPeers: cfg.bootnodes.length > 0 ? 1 : 0 }, {
      chain, p2p: p, verifyCommit: createCommitVerifier(committees, verifier), logger: log.child("sync"), clock: { now: () => Date.now() },
    });
    syncer = s;
    closers.push(() => s.stop());
    registerSyncHandlers(p, chain, { getHeadCommit: (h) => chain.getCommitProof(h.hash) ?? s.latestCommit(), maxResponseBytes: 8 * 1024 * 1024 });
    const cnet = createConsensusNet(
      {
        committees, ownKeys: keys.map((k) => k.publicKey), genesisHash: chain.genesis.hash, currentHeight: () => status().height,
        sign: (m) => bls.aggregateSignatures(keys.map((k) => bls.sign(k.secretKey, m))),
      },
      { p2p: p, verifier, logger: log.child("consensus") },
    );
    net = cnet;
    const logged = cfg.voteLog ? withVoteLog(cnet, cfg.voteLog, (h) => committees.forHeight(h)) : cnet;
    const fp = cfg.failpoint;
    // Test only (HARMONY_FAILPOINT=double-sign): a conflicting COMMIT with each COMMIT, signed by the slots' keys.
    const dnet = fp?.name !== FAILPOINT_DOUBLE_SIGN ? logged : withDoubleSign(logged, doubleSignConflict(fp.height, (payload, vote) => {
      const ec = committees.forHeight(vote.height);
      const sks = slotsOfBitmap(vote.signers).map((s) => ec?.secretKeys.get(s)).filter((k): k is Uint8Array => k !== undefined);
      return bls.aggregateSignatures(sks.map((sk) => bls.sign(sk, payload)));
    }));
    const d = new ConsensusDriver(
      {
        committees, randomness, viewChangeBaseMs: config.consensus.viewChangeBaseMs, blockTimeMs: config.blockTimeMs, coinbase: privateKeyToAddress(nodeKey),
        ...(cfg.doppelgangerViews !== undefined ? { doppelgangerViews: cfg.doppelgangerViews } : {}), ...(cfg.failpoint ? { failpoint: cfg.failpoint } : {}),
      },
      {
        chain, bls, verifier, net: dnet, slashes: () => pendingSlashRecords(chain, evidence.list()), ...(beacon ? { beacon } : {}), safety: createSafetyFile(join(cfg.dataDir, "consensus", "safety.rlp")), evidence, logger: log.child("consensus"),
        txSource: () => pool.pending().map((t) => ({ tx: t.tx, sender: pool.getSender(t.hash) as Uint8Array })),
        fetcher: createBlockFetcher({}, { chain, p2p: p, logger: log.child("consensus") }),
        onFatal: (e: unknown) => {
          readiness.halt(`consensus stopped: ${e instanceof Error ? e.message : String(e)}`);
          modules.onFatal?.(e);
        }, ...(modules.kill ? { kill: modules.kill } : {}),
      },
    );
    driver = d;
    closers.push(() => d.stop());
    halt = (reason) => {
      haltedFor ??= reason;
      d.halt();
      readiness.halt(reason);
    };
    if (haltedFor !== undefined) halt(haltedFor);
    chain.on("block", (b) => void pool.onNewBlock(b.block.transactions.map((t) => t.hash())).catch((e) => log.error("txpool reset failed", { error: e })));
    chain.on("head", () => d.onChainHead());
    closers.push(subscribeTxGossip(p, pool));
    cnet.start((m, from) => d.receive(m, from));
    closers.push(() => cnet.stop());
    let lq: ListenQuorum | undefined;
    const atStart = current();
    if (atStart.mySlots.length > 0) {
      // A whole-network restart ends the listening of the doppelganger guard without waiting for timeouts.
      const signer = createBLSSigner(bls, atStart.secretKeys);
      const q = new ListenQuorum({ committee: atStart.committee, mySlots: atStart.mySlots, genesisHash: chain.genesis.hash }, {
        sign: (sl, m) => signer.sign(sl, m), verify: async (c) => (await verifier.verify([c]))[0] === true, publish: (b) => void p.publish(LISTENING_TOPIC, b),
        clock: SYSTEM_DRIVER_CLOCK, listening: () => d.listening, onQuorum: () => d.endListening(),
        onDoppelganger: (what) => d.reportDoppelganger(what), logger: log.child("consensus"),
      });
      closers.push(p.subscribe(LISTENING_TOPIC, (msg) => q.receive(msg)));
      q.start();
      closers.push(() => q.stop());
      lq = q;
    }
    // A validator joins once the holders of a quorum of the committee are reachable (or after
    // 2 view-change bases), so that the first round of a new network is not lost to slow starters.
    // A restart quorum (listenQuorum.ts) is itself a quorum of validators heard from over gossip.
    const reachable = () => {
      const { committee, mySlots } = current();
      return lq?.reached === true || isQuorum(slotsPower(committee, committee.keys.map((_, i) => i).filter((i) => mySlots.includes(i) || cnet.peerOfKey(committee.keys[i] as Uint8Array) !== undefined)), committee.totalPower);
    };
    let joining: ReturnType<typeof setTimeout> | undefined;
    const joinConsensus = (deadline = Date.now() + 2 * config.consensus.viewChangeBaseMs) => {
      if (d.status().started || joining !== undefined) return;
      if (current().mySlots.length > 0 && !reachable() && Date.now() < deadline) {
        joining = setTimeout(() => {
          joining = undefined;
          joinConsensus(deadline);
        }, 50);
        return;
      }
      const { mySlots, epoch } = current();
      log.info("caught up; joining consensus", { head: chain.head.number, epoch, slots: mySlots, mode: mySlots.length > 0 ? "validator" : hasKeys ? "observer (keys not elected)" : "observer", quorumReachable: reachable() });
      d.start();
    };
    closers.push(() => joining !== undefined && clearTimeout(joining));
    s.on("synced", ({ commit }) => {
      if (commit !== undefined && chain.getCommitProof(commit.hash) === undefined && chain.getHeaderByNumber(commit.number) !== undefined) chain.saveCommitProof(commit.hash, commit);
      d.onChainHead();
      joinConsensus();
    });
    p.start();
    s.start();
    log.info("node started", { rpc: server.url, p2p: p2pUrl, shard: shardId, keys: keys.length, slots: current().mySlots, head: chain.head.number, peers: cfg.bootnodes.length });
    let stopped: Promise<void> | undefined;
    return {
      url: server.url, wsUrl: server.wsUrl, p2pUrl, shardId, committees, chain, pool, p2p: p, syncer: s, driver: d,
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
