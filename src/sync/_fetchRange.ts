/**
 * Stages 1 and 2 of DESIGN §Sync for one range of heights from one peer: headers (numbers in
 * sequence, parent-hash linkage, stateless checks, and every commit signature a header carries for
 * its parent), then bodies (each block's header bytes must be the verified header and its
 * transactions must hash to the header's tx root). The last block of the range is proven final by the next header (fetched as the
 * range's proof), or — at the peer's head — by the proof from `sync/commit`.
 */
import { RLP } from "@ethereumjs/rlp";
import { BlockError, type CxReceipt, type Header, computeCxReceiptsRoot, decodeHeader, decodeIncoming, orderedTrieRoot } from "../core/index.ts";
import { PeerAction, type PeerId } from "../p2p/index.ts";
import { equalBytes } from "../util/bytes.ts";
import { SyncError, SyncErrorCode, invalidBody, invalidHeader, unavailable } from "./errors.ts";
import {
  type CommitProof,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_REQUEST,
  SyncMethod,
  decodeCommitResponse,
  decodeItems,
  encodeCommitRequest,
  encodeRangeRequest,
} from "./messages.ts";
import type { SyncP2P, VerifyCommit } from "./types.ts";

/** A block whose header and transaction bytes verified; decoded when it is executed. */
export interface RawBlock {
  readonly header: Header;
  /** `rlp([header, [tx…]])` as served. */
  readonly encoded: Uint8Array;
}

/** A range whose headers, commits and bodies all verified; ready for execution. */
export interface VerifiedRange {
  readonly from: bigint;
  readonly to: bigint;
  readonly peer: PeerId;
  /** Blocks `from..to`, verified, not decoded yet. */
  readonly blocks: readonly RawBlock[];
  /** Commit proof of block `to`. */
  readonly proof: CommitProof;
}

/** What fetching a range needs. */
export interface RangeContext {
  readonly p2p: SyncP2P;
  readonly shardId: number;
  readonly verifyCommit: VerifyCommit;
  readonly timeoutMs: number;
}

async function fetchEncodings(ctx: RangeContext, peer: PeerId, method: string, max: number, from: bigint, count: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  while (out.length < count) {
    const ask = Math.min(max, count - out.length);
    const start = from + BigInt(out.length);
    const res = await ctx.p2p.request(peer, method, encodeRangeRequest({ from: start, count: ask }), { timeoutMs: ctx.timeoutMs });
    const items = decodeItems(res, ask);
    if (items.length === 0) throw unavailable(`${method} from ${start}`);
    out.push(...items);
  }
  return out;
}

function decodeHeaders(encodings: Uint8Array[], from: bigint, shardId: number): Header[] {
  return encodings.map((enc, i) => {
    const expected = from + BigInt(i);
    let h: Header;
    try {
      h = decodeHeader(enc);
      h.validateBasic();
    } catch (e) {
      if (e instanceof BlockError) throw invalidHeader(expected, e.message);
      throw e;
    }
    if (h.number !== expected) throw invalidHeader(expected, `served header ${h.number} in its place`);
    if (h.shardId !== shardId) throw invalidHeader(expected, `shard ${h.shardId}, expected ${shardId}`);
    return h;
  });
}

/**
 * Run `verifyCommit` of `parent` with the proof carried by (or fetched for) it.
 * @throws {SyncError} INVALID_COMMIT (REJECT) on `false`; VERIFIER_FAILED (IGNORE) when the check threw.
 */
export async function checkCommit(verify: VerifyCommit, parent: Header, proof: CommitProof, range?: readonly Header[]): Promise<void> {
  let ok: boolean;
  try {
    ok = await verify(parent, proof.sig, proof.bitmap, range);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new SyncError({ code: SyncErrorCode.VERIFIER_FAILED, action: PeerAction.IGNORE, number: parent.number, reason }, `commit check of block ${parent.number} failed: ${reason}`, { cause: e });
  }
  if (!ok) throw new SyncError({ code: SyncErrorCode.INVALID_COMMIT, action: PeerAction.REJECT, number: parent.number }, `commit signature of block ${parent.number} does not verify`);
}

/** The commit proof a header carries for its parent. */
export function carriedProof(h: Header): CommitProof {
  return { sig: h.lastCommitSig, bitmap: h.lastCommitBitmap };
}

/**
 * Linkage and commit signatures inside `headers` (the first header's own link to its parent is
 * checked when the range joins the chain). Commit checks are issued in chain order and awaited
 * together. The genesis block needs no commit (it is final by configuration).
 * @throws {SyncError} INVALID_HEADER, INVALID_COMMIT, VERIFIER_FAILED.
 */
export async function verifyHeaderChain(verify: VerifyCommit, headers: readonly Header[]): Promise<void> {
  const checks: Promise<void>[] = [];
  for (let i = 1; i < headers.length; i++) {
    const parent = headers[i - 1] as Header;
    const h = headers[i] as Header;
    if (!equalBytes(h.parentHash, parent.hash)) throw invalidHeader(h.number, "parent hash does not match the previous header");
    if (h.timestamp < parent.timestamp) throw invalidHeader(h.number, "timestamp before its parent's");
    // The range goes along: a header of the next epoch is checked against the committee its own
    // range's election header carries (the chain settles it only once that header is imported).
    if (parent.number !== 0n) checks.push(checkCommit(verify, parent, carriedProof(h), headers));
  }
  // Settle every check before throwing, so no rejection is left unobserved.
  const results = await Promise.allSettled(checks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/**
 * Stage 2 on the raw bytes: the block's header must be the verified header, byte for byte, and its
 * transaction encodings must hash to the header's tx root. Transactions are decoded only when the
 * block is executed (stage 3), one block at a time, so a range of large blocks does not stall the
 * event loop here; a block that passes this check is exactly the one the committee signed.
 */
// The incoming receipts a body carries must be the ones its header credits (their root): proofs are
// not in the header hash, so a peer that serves other ones is caught here, not by the chain later.
function checkIncoming(h: Header, item: unknown): void {
  let receipts: CxReceipt[] = [];
  if (item !== undefined) {
    try {
      receipts = decodeIncoming(RLP.encode(item as Uint8Array[]), MAX_SYNC_INCOMING_RECEIPTS).flatMap((p) => p.receipts.map((r) => r.receipt));
    } catch (e) {
      throw invalidBody(h.number, `incoming receipts: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!equalBytes(computeCxReceiptsRoot(receipts), h.incomingCxReceiptsRoot)) throw invalidBody(h.number, "incoming receipts do not match the header's incomingCxReceiptsRoot");
}

// Bound of one body's incoming receipts at decode; the chain applies its network's own (6,000 by default).
const MAX_SYNC_INCOMING_RECEIPTS = 100_000;

function checkBodies(encodings: Uint8Array[], headers: readonly Header[]): RawBlock[] {
  return encodings.map((enc, i) => {
    const h = headers[i] as Header;
    let item: unknown;
    try {
      item = RLP.decode(enc);
    } catch (e) {
      throw invalidBody(h.number, `invalid RLP (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!Array.isArray(item) || (item.length !== 2 && item.length !== 3) || !Array.isArray(item[0]) || !Array.isArray(item[1])) throw invalidBody(h.number, "expected [header, [tx…]] or [header, [tx…], [incoming proof…]]");
    if (!equalBytes(RLP.encode(item[0] as Uint8Array[]), h.encoded)) throw invalidBody(h.number, "block header differs from the verified header");
    const txs = item[1] as unknown[];
    if (!txs.every((t): t is Uint8Array => t instanceof Uint8Array)) throw invalidBody(h.number, "a transaction is not a byte string");
    if (!equalBytes(orderedTrieRoot(txs), h.txRoot)) throw invalidBody(h.number, "transactions do not match the header's tx root");
    checkIncoming(h, item[2]);
    return { header: h, encoded: enc };
  });
}

/**
 * Fetch and verify blocks `from..to` from `peer`; `atHead` when `to` is the peer's head, so its
 * proof comes from `sync/commit` instead of the next header.
 * @throws {SyncError} with REJECT when the peer served invalid data, IGNORE when it could not serve;
 * {P2PError} from the request (timeouts, disconnects: IGNORE).
 */
export async function fetchRange(ctx: RangeContext, peer: PeerId, range: { from: bigint; to: bigint; atHead: boolean }): Promise<VerifiedRange> {
  const { from, to, atHead } = range;
  const count = Number(to - from) + 1;
  const headerEncodings = await fetchEncodings(ctx, peer, SyncMethod.HEADERS, MAX_HEADERS_PER_REQUEST, from, atHead ? count : count + 1);
  const headers = decodeHeaders(headerEncodings, from, ctx.shardId);
  await verifyHeaderChain(ctx.verifyCommit, headers);
  const last = headers[count - 1] as Header;
  let proof: CommitProof;
  if (atHead) {
    const res = await ctx.p2p.request(peer, SyncMethod.COMMIT, encodeCommitRequest(to), { timeoutMs: ctx.timeoutMs });
    const served = decodeCommitResponse(res);
    if (served === undefined) throw unavailable(`the commit proof of block ${to}`);
    await checkCommit(ctx.verifyCommit, last, served, headers);
    proof = served;
  } else {
    proof = carriedProof(headers[count] as Header);
  }
  const blockEncodings = await fetchEncodings(ctx, peer, SyncMethod.BLOCKS, MAX_BLOCKS_PER_REQUEST, from, count);
  const blocks = checkBodies(blockEncodings, headers);
  return { from, to, peer, blocks, proof };
}
