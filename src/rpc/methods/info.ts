/**
 * Node and chain identity: web3_*, net_*, eth_chainId, eth_blockNumber, eth_syncing, eth_accounts.
 * @module
 */
import { keccak256 } from "../../crypto/hash.ts";
import type { MethodHandler } from "../context.ts";
import { toData, toQuantity } from "../hex.ts";
import { arg, assertMaxArgs, parseData } from "../params.ts";

/** Handlers of this module by method name. */
export const infoMethods: Record<string, MethodHandler> = {
  web3_clientVersion: (p, ctx) => {
    assertMaxArgs(p, 0);
    return ctx.clientVersion;
  },
  web3_sha3: (p) => {
    assertMaxArgs(p, 1);
    return toData(keccak256(arg(p, 0, parseData)));
  },
  net_version: (p, ctx) => {
    assertMaxArgs(p, 0);
    return ctx.backend.networkId().toString(10);
  },
  // One listener serves RPC and p2p (DESIGN §4), so answering this request means it is listening.
  net_listening: (p) => {
    assertMaxArgs(p, 0);
    return true;
  },
  net_peerCount: (p, ctx) => {
    assertMaxArgs(p, 0);
    return toQuantity(ctx.backend.peerCount());
  },
  eth_chainId: (p, ctx) => {
    assertMaxArgs(p, 0);
    return toQuantity(ctx.backend.chainId());
  },
  eth_blockNumber: (p, ctx) => {
    assertMaxArgs(p, 0);
    return toQuantity(ctx.backend.headNumber());
  },
  eth_syncing: (p, ctx) => {
    assertMaxArgs(p, 0);
    const s = ctx.backend.syncStatus();
    if (!s.syncing) return false;
    return {
      startingBlock: toQuantity(s.startingBlock),
      currentBlock: toQuantity(s.currentBlock),
      highestBlock: toQuantity(s.highestBlock),
      // Extensions beside the standard fields (clients ignore unknown keys); numbers, rounded for display.
      ...(s.blocksPerSecond === undefined ? {} : { blocksPerSecond: Math.round(s.blocksPerSecond * 10) / 10 }),
      ...(s.etaSeconds === undefined ? {} : { etaSeconds: Math.round(s.etaSeconds) }),
    };
  },
  // The node holds no user keys; wallets sign and send raw transactions.
  eth_accounts: (p) => {
    assertMaxArgs(p, 0);
    return [];
  },
};
