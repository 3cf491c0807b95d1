/**
 * Crosslink look-ups of a beacon node (DESIGN §Sharding), with Harmony's names and JSON shape
 * (harmony-one/harmony core/types CrossLink.MarshalJSON: `hash`, `block-number`, `view-id`,
 * `signature`, `signature-bitmap`, `shard-id`, `epoch-number`; numbers as JSON numbers, the hash `0x`
 * hex, signature and bitmap plain hex):
 *   hmy_getLastCrossLinks → the last crosslink of each shard that has one, by shard
 *   hmy_getCrossLinkByBlockNum(shardId, blockNum) → that block's crosslink, or null when the block
 *     is not crosslinked (yet)
 * Read from the beacon chain's store; a node of another shard answers -32000.
 */
import type { Chain } from "../chain/index.ts";
import { type MethodHandler, RpcErrorCode, crossLinkJSON, rpcError } from "../rpc/index.ts";
import type { CrossLink } from "../shard/index.ts";
import { isBeacon } from "../core/index.ts";

/** What the methods read. */
export interface CrossLinkSource {
  readonly shardId: number;
  readonly shardCount: number;
  lastCrossLink(shardId: number): CrossLink | undefined;
  crossLink(shardId: number, blockNumber: bigint): CrossLink | undefined;
}

/** The source of a chain (its stored crosslinks). */
export function crossLinkSourceOf(chain: Chain): CrossLinkSource {
  return {
    shardId: chain.shardId,
    shardCount: chain.config.shardCount,
    lastCrossLink: (s) => chain.db.getLastCrossLink(s),
    crossLink: (s, n) => chain.db.getCrossLink(s, n),
  };
}

const invalidArgument = (index: number, message: string) => rpcError(RpcErrorCode.INVALID_PARAMS, `invalid argument ${index}: ${message}`);

function integerParam(v: unknown, index: number, what: string, max: bigint): bigint {
  let n: bigint | undefined;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) n = BigInt(v);
  else if (typeof v === "string" && /^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(v)) n = BigInt(v);
  if (n === undefined || n > max) throw invalidArgument(index, `${what} must be an integer in 0..${max} or a 0x quantity, got ${JSON.stringify(v)}`);
  return n;
}

/** The methods, for `createRPCServer({ extraMethods })`. */
export function createCrossLinkMethods(src: CrossLinkSource): Record<string, MethodHandler> {
  const beaconOnly = () => {
    if (!isBeacon(src.shardId)) throw rpcError(RpcErrorCode.SERVER_ERROR, `crosslinks are served by beacon-shard (shard 0) nodes; this node is on shard ${src.shardId}`);
  };
  return {
    hmy_getLastCrossLinks: () => {
      beaconOnly();
      const out: Record<string, unknown>[] = [];
      for (let s = 1; s < src.shardCount; s++) {
        const l = src.lastCrossLink(s);
        if (l !== undefined) out.push(crossLinkJSON(l));
      }
      return out;
    },
    hmy_getCrossLinkByBlockNum: (params) => {
      beaconOnly();
      const shardId = Number(integerParam(params[0], 0, "shard id", 0xffffffffn));
      if (isBeacon(shardId) || shardId >= src.shardCount) {
        const which = src.shardCount < 2 ? "a one-shard network crosslinks nothing" : `crosslinked shards: 1..${src.shardCount - 1}`;
        throw invalidArgument(0, `shard ${shardId} has no crosslinks (${which})`);
      }
      const n = integerParam(params[1], 1, "block number", (1n << 64n) - 1n);
      const l = src.crossLink(shardId, n);
      return l === undefined ? null : crossLinkJSON(l);
    },
  };
}
