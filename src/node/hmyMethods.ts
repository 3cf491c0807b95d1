/**
 * Node-level JSON-RPC methods (issue 4), mounted through the RPC server's `extraMethods`:
 *   hmy_getNodeMetadata → { version, networkId, shardId, chainId, blsKeys, isLeader, blockNumber,
 *     viewId, epoch, peerCount, syncing, consensus: { phase, mode } }
 *   hmy_getLeader → { slot, blsKey, viewId } of the current view's leader
 *   hmy_getDoubleSignEvidence → the double-sign evidence this node has seen
 *   hmy_getEpochRandomness(epoch) → { epoch, randomness, pRnd, vdfProof, vdfBlock, source } once the
 *     epoch's randomness is final (DESIGN §Randomness); an unknown or not yet final epoch, or a node
 *     off the beacon shard, answers -32000
 * Numbers are JSON numbers (as Harmony's node metadata), keys `0x` hex. `mode` is one of "normal",
 * "viewChange", "syncing", "listening" (doppelganger guard) or "nonValidator".
 */
import { type Committee, type DoubleSignEvidence, leaderSlot } from "../consensus/index.ts";
import type { Header } from "../core/index.ts";
import type { EpochRandomnessJSON } from "../randomness/index.ts";
import { type MethodHandler, RpcErrorCode, rpcError } from "../rpc/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import type { DriverStatus } from "./driverTypes.ts";
import { evidenceToJSON } from "./evidenceStore.ts";

/** What the methods read, at call time. */
export interface NodeInfoSource {
  readonly version: string;
  readonly networkId: number;
  readonly shardId: number;
  readonly chainId: bigint;
  /** Our BLS public keys (elected or not). */
  readonly blsKeys: readonly Uint8Array[];
  /** The committee of the epoch being decided. */
  committee(): Committee;
  head(): Header;
  status(): DriverStatus;
  peerCount(): number;
  /** True while the node catches up (before joining consensus, or during a sync run). */
  syncing(): boolean;
  evidence(): readonly DoubleSignEvidence[];
  /** The final randomness of an epoch (beacon-shard nodes), undefined when not final or unknown. */
  epochRandomness?(epoch: bigint): EpochRandomnessJSON | undefined;
}

/** The shape of `hmy_getNodeMetadata`. */
export interface NodeMetadata {
  version: string;
  networkId: number;
  shardId: number;
  chainId: number;
  blsKeys: string[];
  isLeader: boolean;
  blockNumber: number;
  viewId: number;
  epoch: number;
  peerCount: number;
  syncing: boolean;
  consensus: { phase: string; mode: "normal" | "viewChange" | "syncing" | "listening" | "nonValidator" };
}

/** The metadata now. */
export function getNodeMetadata(src: NodeInfoSource): NodeMetadata {
  const head = src.head();
  const st = src.status();
  const syncing = src.syncing();
  return {
    version: src.version,
    networkId: src.networkId,
    shardId: src.shardId,
    chainId: Number(src.chainId),
    blsKeys: src.blsKeys.map(bytesToHex),
    isLeader: st.isLeader && !syncing,
    blockNumber: Number(head.number),
    viewId: Number(st.view),
    epoch: Number(head.epoch),
    peerCount: src.peerCount(),
    syncing,
    consensus: { phase: st.phase, mode: syncing && st.mode !== "nonValidator" ? "syncing" : st.mode },
  };
}

/** The methods, for `createRPCServer({ extraMethods })`. */
export function createHmyMethods(src: NodeInfoSource): Record<string, MethodHandler> {
  return {
    hmy_getNodeMetadata: () => getNodeMetadata(src),
    hmy_getLeader: () => {
      const view = src.status().view;
      const committee = src.committee();
      const slot = leaderSlot(committee, view);
      return { slot, blsKey: bytesToHex(committee.keys[slot] as Uint8Array), viewId: Number(view) };
    },
    hmy_getDoubleSignEvidence: () => src.evidence().map(evidenceToJSON),
    hmy_getEpochRandomness: (params) => {
      const epoch = parseEpoch(params[0]);
      if (src.epochRandomness === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, `epoch randomness is served by beacon-shard (shard 0) nodes; this node is on shard ${src.shardId}`);
      const r = src.epochRandomness(epoch);
      if (r === undefined) throw rpcError(RpcErrorCode.SERVER_ERROR, `randomness of epoch ${epoch} is not final (or the epoch is unknown)`, { epoch: Number(epoch) });
      return r;
    },
  };
}

// An epoch as a JSON number or a 0x quantity.
function parseEpoch(v: unknown): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^0x[0-9a-fA-F]{1,16}$/.test(v)) return BigInt(v);
  if (typeof v === "string" && /^[0-9]{1,19}$/.test(v)) return BigInt(v);
  throw rpcError(RpcErrorCode.INVALID_PARAMS, `invalid argument 0: epoch must be a non-negative integer or 0x quantity, got ${JSON.stringify(v)}`);
}
