/**
 * One sync run (DESIGN §Sync): ranges of heights are fetched and verified ahead (stages 1–2, up to
 * `maxRangesInFlight` at once, spread over the best peers), decoded with their senders recovered on
 * workers as soon as they arrive, while the oldest range is executed and committed through
 * `chain.insertBlock` (stage 3), which re-executes every block and compares its roots. A range that
 * fails is fetched again from another peer; a peer that served invalid data is punished. A pass ends
 * when the chain reaches the best peer's head or a range cannot be had; the run repeats passes while
 * they make progress.
 */
import { type Block, BlockError, BlockErrorCode, type Header, type SignedTransaction, decodeBlock } from "../core/index.ts";
import { P2PError, PeerAction, type PeerId } from "../p2p/index.ts";
import { equalBytes } from "../util/bytes.ts";
import type { Logger } from "../util/logger.ts";
import { SyncError, SyncErrorCode, invalidHeader } from "./errors.ts";
import { type RangeContext, type RawBlock, type VerifiedRange, carriedProof, checkCommit, fetchRange } from "./_fetchRange.ts";
import type { PeerBook } from "./_peers.ts";
import type { FinalizedHead, SyncChain } from "./types.ts";

/** Counters a run updates. */
export interface RunCounters {
  blocksImported: number;
  headersVerified: number;
  rangeRetries: number;
}

/** What a run needs from the syncer. */
export interface RunContext {
  readonly chain: SyncChain;
  readonly peers: PeerBook;
  readonly range: RangeContext;
  readonly log: Logger;
  readonly rangeSize: number;
  readonly maxRangesInFlight: number;
  readonly maxAttemptsPerRange: number;
  readonly counters: RunCounters;
  /** Resolves when the syncer stops. */
  readonly halted: Promise<void>;
  isStopped(): boolean;
  /** A block was committed; `proof` is its commit proof. */
  onImported(head: FinalizedHead): void;
  /** Recovers the senders of many transactions at once (on workers); without it each block recovers its own. */
  readonly recover?: (txs: readonly SignedTransaction[]) => Promise<Uint8Array[]>;
}

/** A verified range, decoded, with its senders being recovered while earlier ranges execute. */
interface PreparedRange {
  readonly range: VerifiedRange;
  /** The range's blocks up to the first that does not decode (whose error is `decodeError`). */
  readonly blocks: readonly Block[];
  readonly decodeError: unknown;
  /** Senders per block; undefined when they could not all be recovered (each block then recovers its own). */
  readonly senders: Promise<Uint8Array[][] | undefined>;
}

function prepareRange(ctx: RunContext, r: VerifiedRange): PreparedRange {
  const blocks: Block[] = [];
  let decodeError: unknown;
  for (const raw of r.blocks) {
    try {
      blocks.push(ctx.chain.decodeBlock?.(raw.encoded) ?? decodeBlock(raw.encoded, ctx.chain.common));
    } catch (e) {
      decodeError = e;
      break;
    }
  }
  return { range: r, blocks, decodeError, senders: recoverRange(ctx.recover, blocks) };
}

async function recoverRange(recover: RunContext["recover"], blocks: readonly Block[]): Promise<Uint8Array[][] | undefined> {
  const txs = blocks.flatMap((b) => b.transactions);
  if (recover === undefined || txs.length === 0) return undefined;
  let all: Uint8Array[];
  try {
    all = await recover(txs);
  } catch {
    // An invalid signature (or a stopped pool): the block's own validation recovers again and names it.
    return undefined;
  }
  const out: Uint8Array[][] = [];
  let o = 0;
  for (const b of blocks) {
    out.push(all.slice(o, o + b.transactions.length));
    o += b.transactions.length;
  }
  return out;
}

/** How a run ended. */
export type RunOutcome = "caught-up" | "stuck" | "stopped";
type PassOutcome = RunOutcome | "progress";

function isPeerFault(e: unknown): e is SyncError {
  return e instanceof SyncError && e.action === PeerAction.REJECT;
}

async function fetchWithRetry(ctx: RunContext, from: bigint, to: bigint, atHead: boolean): Promise<VerifiedRange> {
  const tried = new Set<PeerId>();
  for (let attempt = 0; attempt < ctx.maxAttemptsPerRange; attempt++) {
    const peer = ctx.peers.pick(atHead ? to : to + 1n, tried);
    if (peer === undefined) break;
    tried.add(peer);
    if (attempt > 0) ctx.counters.rangeRetries++;
    try {
      const r = await fetchRange(ctx.range, peer, { from, to, atHead });
      ctx.peers.release(peer, true);
      ctx.counters.headersVerified += r.blocks.length;
      return r;
    } catch (e) {
      ctx.peers.release(peer, false);
      if (ctx.isStopped()) throw e;
      if (isPeerFault(e)) ctx.peers.punish(peer, e.message);
      else if (e instanceof SyncError && e.code === SyncErrorCode.VERIFIER_FAILED) throw e;
      else if (e instanceof SyncError || e instanceof P2PError) ctx.peers.strike(peer, e.message);
      else throw e;
      ctx.log.debug("sync range failed; trying another peer", { from, to, peer, error: e.message });
    }
  }
  throw new SyncError({ code: SyncErrorCode.NO_PEERS, action: PeerAction.IGNORE, from, to }, `no peer could serve blocks ${from}..${to}`);
}

/** Join a verified range to the chain: its first header must extend `anchor` with a valid commit of it. */
async function joinAndImport(ctx: RunContext, p: PreparedRange, anchor: Header): Promise<Header> {
  const r = p.range;
  const first = (r.blocks[0] as RawBlock).header;
  try {
    if (!equalBytes(first.parentHash, anchor.hash)) throw invalidHeader(first.number, "does not extend the local chain");
    if (anchor.number !== 0n) await checkCommit(ctx.range.verifyCommit, anchor, carriedProof(first));
  } catch (e) {
    if (isPeerFault(e)) ctx.peers.punish(r.peer, e.message);
    throw e;
  }
  const senders = await p.senders;
  let head = anchor;
  for (let i = 0; i < r.blocks.length; i++) {
    if (ctx.isStopped()) break;
    const raw = r.blocks[i] as RawBlock;
    // A decode failure is not the peer's: these are the bytes the committee signed.
    const block = p.blocks[i];
    if (block === undefined) throw p.decodeError;
    try {
      await ctx.chain.insertBlock(block, senders === undefined ? {} : { senders: senders[i] as Uint8Array[] });
    } catch (e) {
      // Imported meanwhile by another path (consensus): the same final block, nothing to do.
      if (!(e instanceof BlockError && e.code === BlockErrorCode.ALREADY_KNOWN)) throw e;
    }
    head = raw.header;
    ctx.counters.blocksImported++;
    const next = r.blocks[i + 1];
    ctx.onImported({ number: head.number, hash: head.hash, ...(next === undefined ? r.proof : carriedProof(next.header)) });
  }
  return head;
}

async function runPass(ctx: RunContext): Promise<PassOutcome> {
  let anchor = ctx.chain.head;
  let nextFrom = anchor.number + 1n;
  const queue: Promise<PreparedRange>[] = [];
  const stopped = ctx.halted.then(() => undefined);
  while (!ctx.isStopped()) {
    const target = ctx.peers.bestHead() ?? anchor.number;
    while (queue.length < ctx.maxRangesInFlight && nextFrom <= target) {
      const to = nextFrom + BigInt(ctx.rangeSize) - 1n < target ? nextFrom + BigInt(ctx.rangeSize) - 1n : target;
      const p = fetchWithRetry(ctx, nextFrom, to, to === target).then((r) => prepareRange(ctx, r));
      p.catch(() => undefined); // observed below, or dropped with the pass
      queue.push(p);
      nextFrom = to + 1n;
    }
    const next = queue.shift();
    if (next === undefined) return ctx.chain.head.number >= target ? "caught-up" : "progress";
    const r = await Promise.race([next, stopped]);
    if (r === undefined) return "stopped";
    anchor = await joinAndImport(ctx, r, anchor);
  }
  return "stopped";
}

/**
 * Sync until caught up with the best usable peer, stuck (two passes without progress), or stopped.
 * @throws only on a broken invariant or a failure that is not a peer's (chain closed, a proven block
 * failing execution); the syncer logs it and retries later.
 */
export async function runSync(ctx: RunContext): Promise<RunOutcome> {
  let idle = 0;
  while (!ctx.isStopped()) {
    const before = ctx.chain.head.number;
    let outcome: PassOutcome;
    try {
      outcome = await runPass(ctx);
    } catch (e) {
      if (!(e instanceof SyncError)) throw e;
      ctx.log.info("sync pass ended", { head: ctx.chain.head.number, reason: e.message });
      outcome = "progress";
    }
    if (outcome !== "progress") return outcome;
    idle = ctx.chain.head.number > before ? 0 : idle + 1;
    if (idle >= 2) return "stuck";
  }
  return "stopped";
}
