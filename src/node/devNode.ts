/**
 * A single-validator development chain (`harmony node --dev`, DESIGN §4): the store in the data dir,
 * the dev genesis (or a genesis file), chain, txpool, a block every `blockTimeMs`, and JSON-RPC over
 * HTTP and WebSocket on one port. Everything written to the store goes through atomic batches, so a
 * node killed at any instant restarts from its store.
 */
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import type { RuntimeAdapter } from "../adapter/index.ts";
import { type Chain, DevBlockProducer, openChain } from "../chain/index.ts";
import { ChainConfig, DEV_CHAIN_CONFIG, type GenesisSpec, createDevGenesis } from "../core/index.ts";
import { createRPCServer, type RPCSettings, type RPCServer } from "../rpc/index.ts";
import { type KVStore, STORE_FILE, openDataDir } from "../store/index.ts";
import { type CallPool, createNodeCallPool } from "./callPool.ts";
import { type TxPool, createTxPool } from "../txpool/index.ts";
import { type Logger, createLogger } from "../util/logger.ts";
import { createReadiness } from "./readiness.ts";
import { createRpcBackend } from "./rpcBackend.ts";
import { startTxHistoryBackfill } from "./txHistoryBackfill.ts";
import { createStakingMethods, stakingSourceOf } from "./stakingMethods.ts";
import { guardStoreWrites } from "./storeGuard.ts";
import { mountStatusPage } from "./statusPage/statusPage.ts";
import { createStatusMethods } from "./statusSnapshot.ts";
import { devStatusSources, startCommitClock } from "./statusSnapshotSources.ts";
import { VERSION } from "../version.ts";

/**
 * The chain config of `harmony node --dev`: the dev config with the random beacon (`vrf`, `vdf`) not
 * activated. The dev producer is not a BLS validator (the dev genesis has no committee), so its
 * beacon blocks cannot carry a leader's VRF; with the features inactive, blocks without one are
 * valid under the beacon's rules (DESIGN §Randomness) instead of silently breaking them. The devnet
 * (`harmony devnet`) keeps them active.
 */
export const DEV_NODE_CHAIN_CONFIG: ChainConfig = new ChainConfig({
  ...DEV_CHAIN_CONFIG.toData(),
  activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, vrf: null, vdf: null },
});

/** The genesis of `harmony node --dev` (the dev genesis on {@link DEV_NODE_CHAIN_CONFIG}). */
export function createDevNodeGenesis(): GenesisSpec {
  return createDevGenesis({ config: DEV_NODE_CHAIN_CONFIG });
}

/** Options of {@link startDevNode}. */
export interface DevNodeOptions {
  dataDir: string;
  genesis: GenesisSpec;
  host: string;
  port: number;
  /** Default: the chain config's block time. */
  blockTimeMs?: number;
  rpc?: RPCSettings;
}

/** A running dev node. */
export interface DevNode {
  readonly url: string;
  readonly wsUrl: string;
  readonly chain: Chain;
  readonly pool: TxPool;
  /** Stop producing at once and answer `/ready` with 503 `reason` (a fatal error; `stop` follows). */
  halt(reason: string): void;
  /** Stop producing, stop serving, close the store. Idempotent. */
  stop(): Promise<void>;
}

/** Services of {@link startDevNode}. */
export interface DevNodeModules {
  adapter: RuntimeAdapter;
  logger?: Logger;
  /** A store write failed (production is already halted); the process should stop and exit non-zero. */
  onFatal?: (e: unknown) => void;
}

/**
 * Open the data dir and start the dev node.
 * @throws {StoreError} DIR_IN_USE / CORRUPT; {ChainError} when the store holds another genesis.
 */
export async function startDevNode(opts: DevNodeOptions, modules: DevNodeModules): Promise<DevNode> {
  const log = modules.logger ?? createLogger("node");
  mkdirSync(opts.dataDir, { recursive: true });
  let halt = (_reason: string) => undefined as void;
  // shareReads: the call workers read the store through their own connections.
  const kv: KVStore = guardStoreWrites(openDataDir(join(opts.dataDir, "chain"), { shareReads: true }), {
    onWriteError: (e) => {
      halt(`store write failed: ${e instanceof Error ? e.message : String(e)}`);
      modules.onFatal?.(e);
    },
  });
  let chain: Chain | undefined;
  let pool: TxPool | undefined;
  let server: RPCServer | undefined;
  let producer: DevBlockProducer | undefined;
  let calls: CallPool | undefined;
  let stopBackfill: (() => void) | undefined;
  const cleanup = async () => {
    stopBackfill?.();
    await producer?.stop();
    await server?.stop();
    calls?.close();
    await chain?.close();
    kv.close();
  };
  try {
    // Senders recovered at pool admission are reused by block execution (never recovered twice).
    chain = await openChain(kv, { genesis: opts.genesis, shardId: 0, logger: log.child("chain"), knownSender: (h) => pool?.getSender(h), txHistory: opts.rpc?.txHistory === true });
    const c = chain;
    if (c.addressHistory) stopBackfill = startTxHistoryBackfill(c.addressHistory, log.child("txhistory"));
    const txpool = createTxPool(
      { chainId: c.config.chainId(c.shardId), minGasPrice: c.config.minGasPrice, blockGasLimit: c.config.blockGasLimit },
      { state: { getNonce: (a) => c.headState().getNonce(a), getBalance: (a) => c.headState().getBalance(a), nextBaseFee: () => c.config.nextBaseFee(c.head) }, logger: log.child("txpool") },
    );
    pool = txpool;
    if (c.config.isActive("vrf", 0n)) log.warn("the genesis activates the VRF at epoch 0 but the dev producer has no BLS key: its blocks carry no VRF (use a devnet for the random beacon)");
    producer = new DevBlockProducer(c, {
      ...(opts.blockTimeMs !== undefined ? { blockTimeMs: opts.blockTimeMs } : {}),
      logger: log.child("producer"),
      txSource: () => txpool.pending().map((p) => ({ tx: p.tx, sender: txpool.getSender(p.hash) as Uint8Array })),
    });
    // Pool upkeep after every committed block, whoever committed it.
    c.on("block", (b) => {
      txpool.onNewBlock(b.block.transactions.map((t) => t.hash())).catch((e) => log.error("txpool reset failed", { error: e }));
    });
    calls = createNodeCallPool(opts.rpc?.callWorkers, { storeFile: join(opts.dataDir, "chain", STORE_FILE), config: c.config, shardId: 0, logger: log.child("calls") });
    const backend = createRpcBackend(c, txpool, {
      peerCount: () => 0,
      syncStatus: () => ({ syncing: false, startingBlock: 0n, currentBlock: c.head.number, highestBlock: c.head.number }),
    }, { ...(calls ? { callPool: calls } : {}), debug: opts.rpc?.debug ?? true });
    // The dev node is the only producer: a head that stops moving means it is broken.
    const readiness = createReadiness({ blockTimeMs: opts.blockTimeMs ?? c.config.blockTimeMs, watchHead: c.config.produceEmptyBlocks }, { now: () => Date.now() });
    c.on("head", () => readiness.headMoved());
    const clock = startCommitClock(c, () => Date.now());
    const prod = producer;
    halt = (reason) => {
      readiness.halt(reason);
      void prod.stop();
    };
    server = await createRPCServer(
      { host: opts.host, port: opts.port, ...opts.rpc, notReady: () => readiness.notReady(), extraRoutes: mountStatusPage,
        extraMethods: { ...createStakingMethods(stakingSourceOf(c)), ...createStatusMethods(devStatusSources({ version: VERSION, chain: c, pool: txpool, clock })) } },
      { backend, adapter: modules.adapter, logger: log.child("rpc") },
    );
    producer.start();
    log.info("dev node started", { head: c.head.number, rpc: server.url, ws: server.wsUrl, chainId: c.config.chainId(0) });
    let stopped: Promise<void> | undefined;
    const srv = server;
    return {
      url: srv.url,
      wsUrl: srv.wsUrl,
      chain: c,
      pool: txpool,
      halt: (reason) => halt(reason),
      stop: () => (stopped ??= cleanup()),
    };
  } catch (e) {
    await cleanup().catch(() => {});
    throw e;
  }
}
