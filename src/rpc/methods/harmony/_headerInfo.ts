/**
 * Harmony's `HeaderInformation` (hmy_latestHeader, hmy_getHeaderByNumber): the same JSON in both
 * namespaces — numbers as JSON numbers, signatures and VRF as hex without `0x`, the leader `one1…`,
 * and on the beacon shard the header's crosslinks (Harmony's CrossLink JSON).
 * @module
 */
import { isBeacon } from "../../../core/index.ts";
import { decodeCrossLinks } from "../../../shard/index.ts";
import type { RpcHeader } from "../../backend.ts";
import { toData } from "../../hex.ts";
import { jsonNumber, oneAddress } from "./_shape.ts";
import { crossLinkJSON } from "../../formatCrossLink.ts";

const plainHex = (b: Uint8Array) => toData(b).slice(2);
const pad2 = (n: number) => String(n).padStart(2, "0");

/** Go's `time.Time.String()` of a UTC instant: "2006-01-02 15:04:05 +0000 UTC". */
export function goUTCString(unixSeconds: bigint): string {
  const d = new Date(Number(unixSeconds) * 1000);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return `${date} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000 UTC`;
}

/**
 * Harmony's header information of `h`.
 * @throws {SyntaxError} when a stored header's crosslinks do not decode (a store inconsistency).
 */
export function formatHeaderInformation(h: RpcHeader): Record<string, unknown> {
  const vrf = h.vrf?.length === 128 ? h.vrf : undefined;
  const shardId = h.shardId ?? 0;
  const out: Record<string, unknown> = {
    blockHash: toData(h.hash),
    blockNumber: jsonNumber(h.number),
    shardID: shardId,
    leader: oneAddress(h.miner),
    viewID: jsonNumber(h.viewId ?? 0n),
    epoch: jsonNumber(h.epoch ?? 0n),
    timestamp: goUTCString(h.timestamp),
    unixtime: jsonNumber(h.timestamp),
    // Harmony's header holds a fixed 96-byte signature: zeros where there is none (genesis).
    lastCommitSig: plainHex(h.lastCommitSig?.length ? h.lastCommitSig : new Uint8Array(96)),
    lastCommitBitmap: plainHex(h.lastCommitBitmap ?? new Uint8Array()),
    vrf: plainHex(vrf ? vrf.subarray(0, 32) : new Uint8Array(32)),
    vrfProof: plainHex(vrf ? vrf.subarray(32) : new Uint8Array()),
  };
  if (isBeacon(shardId)) out.crossLinks = decodeCrossLinks(h.crossLinks ?? new Uint8Array()).map(crossLinkJSON);
  return out;
}
