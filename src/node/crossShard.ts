/**
 * A node's cross-shard traffic (DESIGN §Sharding), on a network of more than one shard: crosslinks
 * (shard leaders send, beacon validators pool and include them; crossLinkRelay.ts) and cross-shard
 * receipts (every shard sends its blocks' receipts, destinations pool and credit them; cxRelay.ts),
 * both over the beacon network, and the RPC look-ups of receipts. Inert on a single shard.
 * @module
 */
import type { Chain } from "../chain/index.ts";
import type { P2P } from "../p2p/index.ts";
import type { MethodHandler } from "../rpc/index.ts";
import type { Logger } from "../util/logger.ts";
import type { BuildExtras } from "./driverTypes.ts";
import { type ChecksVerifier, CrossLinkPool, listenCrossLinks, startCrossLinkSender } from "./crossLinkRelay.ts";
import { CxPool, listenCxProofs, startCxSender } from "./cxRelay.ts";
import { createCxMethods } from "./cxMethods.ts";
import type { ShardSide } from "./shardSide.ts";
import { type CxProof, isBeacon } from "../core/index.ts";

/** The node's cross-shard parts. */
export interface CrossShard {
  /** Start once the node's sides are on their networks. */
  attach(x: { shard: ShardSide; beacon: ShardSide; beaconP2P: P2P; sideOf: (shardId: number) => ShardSide | undefined }): void;
  /** What our proposals carry from other shards. */
  buildExtras(): BuildExtras;
  /** `hmy_getCXReceiptByHash`, `hmy_getPendingCXReceipts`. */
  rpcMethods(chain: Chain): Record<string, MethodHandler>;
  stop(): void;
}

/** The cross-shard parts of a node of `shardId`. */
export function createCrossShard(o: { shardId: number; shardCount: number }, m: { verifier: ChecksVerifier; logger: Logger }): CrossShard {
  const stops: (() => void)[] = [];
  let links: CrossLinkPool | undefined;
  let cx: CxPool | undefined;
  return {
    attach({ shard, beacon, beaconP2P, sideOf }) {
      if (o.shardCount < 2 || shard.net === undefined) return;
      const driver = shard.net.driver;
      const pool = new CxPool(shard.chain);
      cx = pool;
      stops.push(listenCxProofs(beaconP2P, pool));
      stops.push(shard.chain.on("head", () => pool.prune()));
      const isCredited = (proof: CxProof) => {
        const dest = sideOf(proof.receipts[0]?.receipt.toShard ?? -1)?.chain;
        return dest === undefined ? undefined : proof.receipts.every((r) => dest.isCxReceiptSpent(r.receipt, r.index));
      };
      stops.push(startCxSender({ chain: shard.chain, p2p: beaconP2P, logger: m.logger, isCredited }));
      if (isBeacon(o.shardId)) {
        const lp = new CrossLinkPool(shard.chain, m.verifier, m.logger);
        links = lp;
        stops.push(listenCrossLinks(beaconP2P, lp));
        stops.push(shard.chain.on("head", () => lp.prune()));
      } else {
        const isLeader = () => {
          const s = driver.status();
          return s.started && s.isLeader;
        };
        stops.push(startCrossLinkSender({}, { shard: shard.chain, beacon: beacon.chain, p2p: beaconP2P, isLeader, logger: m.logger }));
      }
    },
    buildExtras: () => ({
      ...(links && links.size > 0 ? { pendingCrossLinks: links.pending() } : {}),
      ...(cx && cx.size > 0 ? { pendingIncoming: cx.pending() } : {}),
    }),
    rpcMethods: (chain) => createCxMethods({ chain, pending: () => cx?.pending() ?? [] }),
    stop() {
      for (const s of stops.splice(0)) s();
    },
  };
}
