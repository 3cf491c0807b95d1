/**
 * One shard's side of a node (DESIGN §1: one process = one node = one shard + beacon headers): its
 * store, chain, txpool, committees, p2p network, sync and consensus driver. A node of the beacon
 * shard runs one side; a node of shard S≠0 runs two — its shard's, and a keyless follower of the
 * beacon chain (shard 0) whose headers give the shard its epochs, committees and crosslinks. Opened
 * in two steps: {@link openShardSide} opens the store and chain (the RPC server is built on them),
 * `start` joins the network once the node's listen URL is known.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type BeaconView, type Chain, openChain } from "../chain/index.ts";
import { createBLSSigner, isQuorum, slotsOfBitmap, slotsPower } from "../consensus/index.ts";
import type { GenesisSpec } from "../core/index.ts";
import { type BLS, privateKeyToAddress } from "../crypto/index.ts";
import { DEFAULT_RATE_LIMITS, type P2P, createP2P } from "../p2p/index.ts";
import { createRandomnessParams } from "../randomness/index.ts";
import { type KVStore, openDataDir } from "../store/index.ts";
import { type Syncer, createSyncer, registerSyncHandlers } from "../sync/index.ts";
import { startSyncProgressLine } from "./syncProgressLine.ts";
import { type TxPool, createTxPool } from "../txpool/index.ts";
import { type Logger, statusLineActive } from "../util/logger.ts";
import { createCommitVerifier, subscribeTxGossip } from "./_nodeWiring.ts";
import { doubleSignConflict, withDoubleSign } from "./_doubleSign.ts";
import { createBlockFetcher } from "./blockFetcher.ts";
import type { AsyncVoteVerifier } from "./blsPool.ts";
import { ConsensusDriver, SYSTEM_DRIVER_CLOCK } from "./consensusDriver.ts";
import { type ConsensusNet, createConsensusNet } from "./consensusNet.ts";
import type { BuildExtras } from "./driverTypes.ts";
import { EpochCommittees } from "./epochCommittees.ts";
import { type EvidenceStore, createEvidenceStore } from "./evidenceStore.ts";
import { FAILPOINT_DOUBLE_SIGN, type Failpoint } from "./failpoint.ts";
import { LISTENING_TOPIC, ListenQuorum } from "./listenQuorum.ts";
import type { BLSKeyPair } from "./nodeKeys.ts";
import { RandomBeacon } from "./randomBeacon.ts";
import { createSafetyFile } from "./safetyFile.ts";
import { pendingSlashRecords } from "./slashEvidence.ts";
import { guardStoreWrites } from "./storeGuard.ts";
import { withVoteLog } from "./voteLog.ts";
import { startTxHistoryBackfill } from "./txHistoryBackfill.ts";
import { isBeacon } from "../core/index.ts";

/** What a side is made of. */
export interface ShardSideOptions {
  readonly shardId: number;
  /** Directory of the side's store (`chain/`) and safety record (`consensus/`). */
  readonly dir: string;
  readonly genesis: GenesisSpec;
  /** Our BLS keys (none: the side observes — an RPC node, or the beacon follower of a shard node). */
  readonly keys: readonly BLSKeyPair[];
  readonly nodeKey: Uint8Array;
  readonly bootnodes: readonly string[];
  /** The beacon chain this shard's chain follows (shard S≠0 only), and its head events. */
  readonly beacon?: BeaconView;
  readonly beaconHeads?: (fn: () => void) => () => void;
  /** Blocks after the beacon's election before this shard's leaders close their epoch (chain option). */
  readonly epochCloseDelayBlocks?: number;
  readonly maxPeers?: number;
  readonly blockedPeers?: readonly string[];
  readonly doppelgangerViews?: number;
  readonly failpoint?: Failpoint;
  readonly voteLog?: string;
  readonly withholdVDF?: boolean;
  /** Injected store fault (HARMONY_FAILPOINT=store-write-fail; the node's own shard only). */
  readonly storeFault?: () => Error | undefined;
  /** Keep the transaction history by address (`--rpc-tx-history`; the shard the node's RPC serves). */
  readonly txHistory?: boolean;
}

/** Services of a side. */
export interface ShardSideModules {
  readonly bls: BLS;
  readonly verifier: AsyncVoteVerifier;
  readonly logger: Logger;
  /** A store write failed (signing must halt at once). */
  readonly onStoreWriteError: (e: unknown) => void;
  /** Consensus stopped on a broken invariant. */
  readonly onFatal: (e: unknown) => void;
  readonly kill?: () => void;
  /** Extra contents of our proposals (pending crosslinks, incoming receipts), read when we build one. */
  readonly buildExtras?: () => BuildExtras;
  /** A proposal (block bytes) arrived over consensus gossip at `arrivedAt` (ms), for the gossip delay metric. */
  readonly onProposal?: (block: Uint8Array, arrivedAt: number) => void;
}

/** An opened side (store and chain); {@link ShardSide.start} joins the network. */
export interface ShardSide {
  readonly shardId: number;
  readonly kv: KVStore;
  readonly chain: Chain;
  readonly pool: TxPool;
  readonly committees: EpochCommittees;
  readonly evidence: EvidenceStore;
  readonly beacon: RandomBeacon | undefined;
  readonly storeDir: string;
  /** Set by {@link ShardSide.start}. */
  readonly net: ShardSideNet | undefined;
  /** Join the network: p2p (advertising `listenUrl`), sync, consensus. */
  start(listenUrl: string): ShardSideNet;
  /** Stop signing at once (a fatal error elsewhere). */
  halt(): void;
  stop(): Promise<void>;
}

/** The networked half of a side. */
export interface ShardSideNet {
  readonly p2p: P2P;
  readonly syncer: Syncer;
  readonly driver: ConsensusDriver;
  readonly consensus: ConsensusNet;
}

/**
 * Open the side's store and chain and the parts built on them (txpool, committees, random beacon).
 * @throws {StoreError} DIR_IN_USE; {ChainError} GENESIS_MISMATCH or CORRUPT.
 */
export async function openShardSide(o: ShardSideOptions, m: ShardSideModules): Promise<ShardSide> {
  const log = m.logger;
  const storeDir = join(o.dir, "chain");
  mkdirSync(o.dir, { recursive: true });
  // shareReads: the call workers read the store through their own connections.
  const kv: KVStore = guardStoreWrites(openDataDir(storeDir, { shareReads: true }), { onWriteError: m.onStoreWriteError, ...(o.storeFault ? { fault: o.storeFault } : {}) });
  const closers: (() => unknown)[] = [() => kv.close()];
  const stop = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    // The pool is made after the chain (it reads the chain's state): blocks look up its decoded txs and senders late.
    let txPool: TxPool | undefined;
    const chain = await openChain(kv, {
      genesis: o.genesis, shardId: o.shardId, logger: log.child("chain"), knownSender: (h) => txPool?.getSender(h), knownTransaction: (h) => txPool?.get(h)?.tx,
      ...(o.beacon ? { beacon: o.beacon } : {}), ...(o.epochCloseDelayBlocks !== undefined ? { epochCloseDelayBlocks: o.epochCloseDelayBlocks } : {}),
      ...(o.txHistory === true ? { txHistory: true } : {}),
    });
    closers.push(() => chain.close());
    if (chain.addressHistory) closers.push(startTxHistoryBackfill(chain.addressHistory, log.child("txhistory")));
    const committees = new EpochCommittees(chain, o.keys, o.beaconHeads);
    closers.push(() => committees.close());
    const config = chain.config;
    const pool = createTxPool(
      { chainId: config.chainId(o.shardId), minGasPrice: config.minGasPrice, blockGasLimit: config.blockGasLimit },
      { state: { getNonce: (a) => chain.stateAt().getNonce(a), getBalance: (a) => chain.stateAt().getBalance(a), nextBaseFee: () => config.nextBaseFee(chain.head) }, logger: log.child("txpool") },
    );
    txPool = pool;
    closers.push(chain.on("block", (b) => void pool.onNewBlock(b.block.transactions.map((t) => t.hash())).catch((e) => log.error("txpool reset failed", { error: e }))));
    const evidence = createEvidenceStore(kv);
    const hasKeys = o.keys.length > 0;
    const beacon = isBeacon(o.shardId) ? new RandomBeacon({ evaluateVDF: hasKeys, withholdVDF: o.withholdVDF === true }, { chain, logger: log.child("beacon") }) : undefined;
    if (beacon !== undefined) {
      closers.push(chain.on("block", (b) => beacon.onCommitted(b.block.header)));
      closers.push(() => beacon.stop());
    }
    let net: ShardSideNet | undefined;
    let halted = false;
    const side: ShardSide = {
      shardId: o.shardId, kv, chain, pool, committees, evidence, beacon, storeDir,
      get net() {
        return net;
      },
      start: (listenUrl) => {
        if (net !== undefined) return net;
        net = startNetwork(o, m, { chain, pool, committees, evidence, beacon, kv, closers }, listenUrl);
        if (halted) net.driver.halt();
        return net;
      },
      halt: () => {
        halted = true;
        net?.driver.halt();
      },
      stop,
    };
    return side;
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}

interface SideParts {
  readonly chain: Chain;
  readonly pool: TxPool;
  readonly committees: EpochCommittees;
  readonly evidence: EvidenceStore;
  readonly beacon: RandomBeacon | undefined;
  readonly kv: KVStore;
  readonly closers: (() => unknown)[];
}

function startNetwork(o: ShardSideOptions, m: ShardSideModules, s: SideParts, listenUrl: string): ShardSideNet {
  const { chain, pool, committees, evidence, beacon, kv, closers } = s;
  const log = m.logger;
  const { bls, verifier } = m;
  const keys = o.keys;
  const config = chain.config;
  const current = () => committees.current();
  const p = createP2P(
    {
      networkId: config.networkId, genesisHash: chain.genesis.hash, shardId: o.shardId, nodeKey: o.nodeKey, listenUrl, bootnodes: [...o.bootnodes], maxPeers: o.maxPeers ?? 50,
      maxMessageBytes: 16 * 1024 * 1024 + 64 * 1024, rateLimits: DEFAULT_RATE_LIMITS, blocklist: [...(o.blockedPeers ?? [])],
    },
    { store: kv, logger: log.child("p2p"), getHead: () => ({ number: chain.head.number, hash: chain.head.hash }) },
  );
  closers.push(() => p.stop());
  const s2 = createSyncer({ followDistance: 3, minPeers: o.bootnodes.length > 0 ? 1 : 0 }, {
    chain, p2p: p, verifyCommit: createCommitVerifier(committees, verifier), logger: log.child("sync"), clock: { now: () => Date.now() },
    progressShownElsewhere: statusLineActive,
  });
  closers.push(() => s2.stop());
  const stopLine = startSyncProgressLine(s2);
  closers.push(stopLine);
  registerSyncHandlers(p, chain, { getHeadCommit: (h) => chain.getCommitProof(h.hash) ?? s2.latestCommit(), maxResponseBytes: 8 * 1024 * 1024 });
  const cnet = createConsensusNet(
    {
      committees, ownKeys: keys.map((k) => k.publicKey), genesisHash: chain.genesis.hash, currentHeight: () => d.status().height,
      sign: (msg) => bls.aggregateSignatures(keys.map((k) => bls.sign(k.secretKey, msg))),
    },
    { p2p: p, verifier, logger: log.child("consensus"), ...(m.onProposal ? { onProposal: m.onProposal } : {}) },
  );
  const logged = o.voteLog ? withVoteLog(cnet, o.voteLog, (h) => committees.forHeight(h)) : cnet;
  const fp = o.failpoint;
  // Test only (HARMONY_FAILPOINT=double-sign): a conflicting COMMIT with each COMMIT, signed by the slots' keys.
  const dnet = fp?.name !== FAILPOINT_DOUBLE_SIGN ? logged : withDoubleSign(logged, doubleSignConflict(fp.height, (payload, vote) => {
    const ec = committees.forHeight(vote.height);
    const sks = slotsOfBitmap(vote.signers).map((sl) => ec?.secretKeys.get(sl)).filter((k): k is Uint8Array => k !== undefined);
    return bls.aggregateSignatures(sks.map((sk) => bls.sign(sk, payload)));
  }));
  const d: ConsensusDriver = new ConsensusDriver(
    {
      committees, randomness: chain.randomness?.params ?? createRandomnessParams(config), viewChangeBaseMs: config.consensus.viewChangeBaseMs, blockTimeMs: config.blockTimeMs,
      coinbase: privateKeyToAddress(o.nodeKey), ...(o.doppelgangerViews !== undefined ? { doppelgangerViews: o.doppelgangerViews } : {}), ...(o.failpoint ? { failpoint: o.failpoint } : {}),
    },
    {
      chain, bls, verifier, net: dnet, ...(beacon ? { beacon } : {}), safety: createSafetyFile(join(o.dir, "consensus", "safety.rlp")), evidence, logger: log.child("consensus"),
      buildExtras: () => ({ slashes: pendingSlashRecords(chain, evidence.list()), ...m.buildExtras?.() }),
      txSource: () => pool.pending().map((t) => ({ tx: t.tx, sender: pool.getSender(t.hash) as Uint8Array })),
      fetcher: createBlockFetcher({}, { chain, p2p: p, logger: log.child("consensus") }),
      onFatal: m.onFatal, ...(m.kill ? { kill: m.kill } : {}),
    },
  );
  closers.push(() => d.stop());
  closers.push(chain.on("head", () => d.onChainHead()));
  closers.push(subscribeTxGossip(p, pool));
  cnet.start((msg, from) => d.receive(msg, from));
  closers.push(() => cnet.stop());
  const lq = startListenQuorum(s, m, p, d);
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
    log.info("caught up; joining consensus", { shard: o.shardId, head: chain.head.number, epoch, slots: mySlots, mode: mySlots.length > 0 ? "validator" : keys.length > 0 ? "observer (keys not elected)" : "observer", quorumReachable: reachable() });
    d.start();
  };
  closers.push(() => joining !== undefined && clearTimeout(joining));
  s2.on("synced", ({ commit }) => {
    if (commit !== undefined && chain.getCommitProof(commit.hash) === undefined && chain.getHeaderByNumber(commit.number) !== undefined) chain.saveCommitProof(commit.hash, commit);
    d.onChainHead();
    joinConsensus();
  });
  p.start();
  s2.start();
  return { p2p: p, syncer: s2, driver: d, consensus: cnet };
}

// A whole-network restart ends the listening of the doppelganger guard without waiting for timeouts.
function startListenQuorum(s: SideParts, m: ShardSideModules, p: P2P, d: ConsensusDriver): ListenQuorum | undefined {
  const atStart = s.committees.current();
  if (atStart.mySlots.length === 0) return undefined;
  const signer = createBLSSigner(m.bls, atStart.secretKeys);
  const q = new ListenQuorum({ committee: atStart.committee, mySlots: atStart.mySlots, genesisHash: s.chain.genesis.hash }, {
    sign: (sl, msg) => signer.sign(sl, msg), verify: async (c) => (await m.verifier.verify([c]))[0] === true, publish: (b) => void p.publish(LISTENING_TOPIC, b),
    clock: SYSTEM_DRIVER_CLOCK, listening: () => d.listening, onQuorum: () => d.endListening(),
    onDoppelganger: (what) => d.reportDoppelganger(what), logger: m.logger.child("consensus"),
  });
  s.closers.push(p.subscribe(LISTENING_TOPIC, (msg) => q.receive(msg)));
  q.start();
  s.closers.push(() => q.stop());
  return q;
}
