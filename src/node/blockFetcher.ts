/**
 * Answers the state machine's `requestSync` (DESIGN §Sync): committed blocks from a height, each with
 * its commit proof, fed back as `syncedBlock` events. Blocks the chain already has (imported by the
 * syncer) come from the chain; others are fetched from a peer whose head is high enough with the
 * sync protocol (`sync/blocks`; the proof of each block is in the next header, the last one's from
 * `sync/commit` or `sync/headers`). Nothing is trusted here: the state machine verifies every proof
 * and the chain re-executes every block.
 */
import type { AggregateProof } from "../consensus/index.ts";
import { type Block, decodeBlock, decodeHeader } from "../core/index.ts";
import type { P2P, PeerInfo } from "../p2p/index.ts";
import { SyncMethod, decodeCommitResponse, decodeItems, encodeCommitRequest, encodeRangeRequest } from "../sync/index.ts";
import type { Logger } from "../util/logger.ts";
import { type DriverChain, committedFrom, toAggregate } from "./_driverState.ts";
import type { BlockFetcher } from "./driverTypes.ts";

/** Options of {@link createBlockFetcher}. */
export interface BlockFetcherOptions {
  /** Blocks per request (≤ 128). Default 32. */
  batch?: number;
  /** Per request, ms. Default 5,000. */
  timeoutMs?: number;
}

/** Services of {@link createBlockFetcher}. */
export interface BlockFetcherModules {
  readonly chain: Pick<DriverChain, "head" | "common" | "getBlockByNumber" | "getCommitProof" | "decodeBlock">;
  readonly p2p: Pick<P2P, "peers" | "request" | "reportInvalid">;
  readonly logger: Logger;
}

type Deliver = (block: Uint8Array, proof: AggregateProof, from: string) => void;

function pickPeer(peers: PeerInfo[], from: bigint): PeerInfo | undefined {
  const able = peers.filter((p) => p.head.number >= from);
  return able[Math.floor(Math.random() * able.length)];
}

/** Create the fetcher; one request runs at a time (a second one while it runs is dropped). */
export function createBlockFetcher(opts: BlockFetcherOptions, modules: BlockFetcherModules): BlockFetcher {
  const batch = Math.min(128, Math.max(1, opts.batch ?? 32));
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const { chain, p2p, logger: log } = modules;
  let busy = false;

  async function fetchFrom(peer: PeerInfo, from: bigint, deliver: Deliver): Promise<void> {
    const last = peer.head.number < from + BigInt(batch) - 1n ? peer.head.number : from + BigInt(batch) - 1n;
    const count = Number(last - from) + 1;
    const res = await p2p.request(peer.id, SyncMethod.BLOCKS, encodeRangeRequest({ from, count }), { timeoutMs });
    const encodings = decodeItems(res, count);
    const blocks: Block[] = encodings.map((e) => chain.decodeBlock?.(e) ?? decodeBlock(e, chain.common));
    if (blocks.length === 0) return;
    const tail = blocks[blocks.length - 1] as Block;
    let tailProof: AggregateProof | undefined;
    if (tail.number >= peer.head.number) {
      const p = decodeCommitResponse(await p2p.request(peer.id, SyncMethod.COMMIT, encodeCommitRequest(tail.number), { timeoutMs }));
      tailProof = p && toAggregate(p);
    } else {
      const [h] = decodeItems(await p2p.request(peer.id, SyncMethod.HEADERS, encodeRangeRequest({ from: tail.number + 1n, count: 1 }), { timeoutMs }), 1);
      const next = h === undefined ? undefined : decodeHeader(h);
      tailProof = next && { signature: next.lastCommitSig, bitmap: next.lastCommitBitmap };
    }
    blocks.forEach((b, i) => {
      const next = blocks[i + 1];
      const proof = next === undefined ? tailProof : { signature: next.header.lastCommitSig, bitmap: next.header.lastCommitBitmap };
      if (proof !== undefined) deliver(encodings[i] as Uint8Array, proof, peer.id);
    });
  }

  return {
    request(from, deliver) {
      const local = committedFrom(chain, from, batch);
      if (local.length > 0) {
        for (const c of local) deliver(c.block.encode(), toAggregate(c.proof), "local");
        return;
      }
      if (busy) return;
      const peer = pickPeer(p2p.peers(), from);
      if (peer === undefined) return;
      busy = true;
      fetchFrom(peer, from, deliver)
        .catch((e: unknown) => {
          log.debug("fetching blocks for consensus failed", { from, peer: peer.id, error: e });
          if (e instanceof Error && e.name === "BlockError") p2p.reportInvalid(peer.id, `served an undecodable block: ${e.message}`);
        })
        .finally(() => {
          busy = false;
        });
    },
  };
}
