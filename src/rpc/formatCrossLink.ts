/**
 * Harmony's JSON of a crosslink (core/types CrossLink.MarshalJSON: `hash`, `block-number`, `view-id`,
 * `signature`, `signature-bitmap`, `shard-id`, `epoch-number`; numbers as exact JSON numbers, the hash
 * `0x` hex, signature and bitmap plain hex), for hmy_getLastCrossLinks / hmy_getCrossLinkByBlockNum and
 * the crosslinks of a beacon header (hmy_latestHeader, hmy_getHeaderByNumber).
 * @module
 */
import type { CrossLink } from "../shard/index.ts";
import { jsonNumber, toData } from "./hex.ts";

const plainHex = (b: Uint8Array) => toData(b).slice(2);

/** Harmony's JSON of one crosslink. */
export function crossLinkJSON(l: CrossLink): Record<string, unknown> {
  return {
    hash: toData(l.blockHash),
    "block-number": jsonNumber(l.blockNumber),
    "view-id": jsonNumber(l.viewId),
    signature: plainHex(l.signature),
    "signature-bitmap": plainHex(l.bitmap),
    "shard-id": l.shardId,
    "epoch-number": jsonNumber(l.epoch),
  };
}

