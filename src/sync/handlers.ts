/**
 * The serving side of block sync (DESIGN §Sync): answers `sync/headers`, `sync/blocks` and
 * `sync/commit` from the local chain. Requests are validated strictly; a malformed one is answered
 * with an error and scores the requester down (a `P2PError` with action REJECT, which the p2p layer
 * turns into a penalty).
 */
import { Chain } from "../chain/index.ts";
import { getBlockEncodingByNumber, getHeaderEncodingByNumber } from "../chain/index.ts";
import type { Block, Header } from "../core/index.ts";
import { P2PError, P2PErrorCode, PeerAction, type P2P } from "../p2p/index.ts";
import { SyncError } from "./errors.ts";
import {
  type CommitProof,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_REQUEST,
  SyncMethod,
  decodeCommitRequest,
  decodeRangeRequest,
  encodeCommitResponse,
  encodeItems,
} from "./messages.ts";

/** What the serving side reads from the chain (a `Chain` fits). */
export interface SyncSource {
  readonly head: Header;
  getHeaderByNumber(n: bigint): Header | undefined;
  getBlockByNumber(n: bigint): Block | undefined;
}

/** Options of {@link registerSyncHandlers}. */
export interface SyncServerOptions {
  /**
   * Byte budget of one response (default 8 MiB); it must stay below the p2p `maxMessageBytes` minus
   * a little framing, or large responses are refused by the p2p layer. At least one item is always sent.
   */
  maxResponseBytes?: number;
  /**
   * The commit proof of the head block, which no header carries yet; the node keeps the latest one
   * (from consensus, or from sync). Returns undefined when it has none for this head.
   */
  getHeadCommit?: (head: Header) => CommitProof | undefined;
}

// Slack per item for the RLP prefix of each encoding inside the response list.
const ITEM_OVERHEAD = 9;

function collect(from: bigint, count: number, last: bigint, budget: number, get: (n: bigint) => Uint8Array | undefined): Uint8Array[] {
  const out: Uint8Array[] = [];
  let bytes = 0;
  for (let n = from; n < from + BigInt(count) && n <= last; n++) {
    const enc = get(n);
    if (enc === undefined) break;
    if (out.length > 0 && bytes + enc.length + ITEM_OVERHEAD > budget) break;
    out.push(enc);
    bytes += enc.length + ITEM_OVERHEAD;
  }
  return out;
}

// Malformed requests become the p2p layer's REJECT error so that it scores the requester down.
function guard(fn: (data: Uint8Array) => Uint8Array): (data: Uint8Array) => Uint8Array {
  return (data) => {
    try {
      return fn(data);
    } catch (e) {
      if (!(e instanceof SyncError) || e.action !== PeerAction.REJECT) throw e;
      throw new P2PError({ code: P2PErrorCode.MALFORMED_FRAME, action: PeerAction.REJECT, reason: e.message }, e.message, { cause: e });
    }
  };
}

/**
 * Serve the sync methods from `chain` on `p2p`; returns a function that removes the handlers.
 * @throws {TypeError} when a sync method already has a handler.
 */
export function registerSyncHandlers(p2p: Pick<P2P, "handle">, chain: SyncSource, opts: SyncServerOptions = {}): () => void {
  const budget = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(budget > 0)) throw new RangeError("maxResponseBytes must be positive");
  // A chain serves its stored bytes as they are (no transaction decoding on the serving node).
  const headerBytes = chain instanceof Chain ? (n: bigint) => getHeaderEncodingByNumber(chain, n) : (n: bigint) => chain.getHeaderByNumber(n)?.encoded;
  const blockBytes = chain instanceof Chain ? (n: bigint) => getBlockEncodingByNumber(chain, n) : (n: bigint) => chain.getBlockByNumber(n)?.encode();
  const headers = guard((data) => {
    const r = decodeRangeRequest(data, MAX_HEADERS_PER_REQUEST);
    return encodeItems(collect(r.from, r.count, chain.head.number, budget, headerBytes));
  });
  const blocks = guard((data) => {
    const r = decodeRangeRequest(data, MAX_BLOCKS_PER_REQUEST);
    return encodeItems(collect(r.from, r.count, chain.head.number, budget, blockBytes));
  });
  const commit = guard((data) => {
    const height = decodeCommitRequest(data);
    const head = chain.head;
    if (height > head.number) return encodeCommitResponse(undefined);
    if (height === head.number) return encodeCommitResponse(opts.getHeadCommit?.(head));
    // Below the head the proof is in the next header (DESIGN §Consensus: COMMITTED → next header).
    const next = chain.getHeaderByNumber(height + 1n);
    return encodeCommitResponse(next === undefined ? undefined : { sig: next.lastCommitSig, bitmap: next.lastCommitBitmap });
  });
  const offs: (() => void)[] = [];
  const off = () => {
    for (const f of offs.splice(0)) f();
  };
  try {
    offs.push(p2p.handle(SyncMethod.HEADERS, headers), p2p.handle(SyncMethod.BLOCKS, blocks), p2p.handle(SyncMethod.COMMIT, commit));
  } catch (e) {
    off(); // all three or none
    throw e;
  }
  return off;
}
