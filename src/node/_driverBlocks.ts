/**
 * What the consensus driver does with blocks (DESIGN §Consensus): build a proposal on the head as
 * leader, fully validate a proposal before signing it (header and parent, the parent's commit
 * signature it carries, transactions, execution and roots — without committing), and commit a final
 * block with its commit proof in one batch. Pure glue between the state machine's actions and the
 * chain; failures the network caused are answers, failures of our own invariants are thrown.
 */
import { type AggregateProof, type SignatureCheck, commitProofCheck, leaderSlot } from "../consensus/index.ts";
import { isBeaconLagError } from "../chain/index.ts";
import { type Block, BlockError, BlockErrorCode, type Header, decodeBlock } from "../core/index.ts";
import { type BLS, keccak256 } from "../crypto/index.ts";
import { type RandomnessParams, computeVRF, epochOfBlock, isVRFActive, validateVRFField } from "../randomness/index.ts";
import type { CandidateTx } from "../execution/index.ts";
import { concatBytes, equalBytes } from "../util/bytes.ts";
import { type DriverChain, toAggregate } from "./_driverState.ts";
import type { EpochCommittee } from "./epochCommittees.ts";
import { isBeacon } from "../core/index.ts";

/** What the block operations need. */
export interface BlockOpsContext {
  readonly chain: DriverChain;
  /** Committees by epoch: a header's leader, its parent's commit proof and our keys are read in its epoch's. */
  readonly committees: { at(epoch: bigint): EpochCommittee | undefined; epochOfHeight(height: bigint): bigint };
  readonly verify: (checks: readonly SignatureCheck[]) => Promise<boolean[]>;
  /** Coinbase of the blocks we propose (fees are burnt either way). */
  readonly coinbase: Uint8Array;
  /** A proposal whose timestamp is further ahead of our clock than this is invalid. */
  readonly maxFutureMs: number;
  readonly now: () => number;
  /** The random beacon (beacon shard only): leaders add their VRF, validators check the proposer's. */
  readonly beacon?: BeaconOps;
}

/** What the block operations need for the random beacon (DESIGN §Randomness). */
export interface BeaconOps {
  readonly bls: BLS;
  readonly params: RandomnessParams;
  /** The node's beacon accumulator (a `RandomBeacon` fits): checks proposals, offers our VDF output. */
  readonly tracker?: BeaconTracker;
}

/** What the driver asks the node's random beacon. */
export interface BeaconTracker {
  /** Why a proposal on the head breaks the beacon's rules (VDF field, epoch, place), or null. */
  checkProposal(header: Header): string | null;
  /** The `vdf` field for our block `number`, when it may and can carry one. */
  vdfFor(number: bigint): Uint8Array | undefined;
}

/** A validation verdict, or null when the question no longer applies (our head moved meanwhile). */
export type Verdict = { valid: true } | { valid: false; reason: string; beaconLag?: true } | null;

const STALE_CODES: ReadonlySet<string> = new Set([BlockErrorCode.ALREADY_KNOWN, BlockErrorCode.PARENT_MISMATCH, BlockErrorCode.PARENT_UNKNOWN]);

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

/**
 * Check the commit proof of `parent` that `header` carries: none for the genesis' child; otherwise a
 * quorum bitmap and an aggregate signature over the parent's commit payload. Returns the reason it
 * is invalid, or null.
 */
export async function checkCarriedCommit(ctx: BlockOpsContext, header: Header, parent: Header): Promise<string | null> {
  const sig = header.lastCommitSig;
  const bitmap = header.lastCommitBitmap;
  if (parent.number === 0n) return isZero(sig) && bitmap.length === 0 ? null : "the genesis has no commit signature";
  const ec = ctx.committees.at(parent.epoch);
  if (ec === undefined) return `the committee of epoch ${parent.epoch} is not known`;
  const proof = commitProofCheck(ec.committee, parent, sig, bitmap);
  if (!proof.ok) return `last ${proof.reason}`;
  const known = ctx.chain.getCommitProof(parent.hash);
  if (known !== undefined && equalBytes(known.sig, sig) && equalBytes(known.bitmap, bitmap)) return null;
  const [ok] = await ctx.verify([proof.check]);
  return ok ? null : "last commit signature does not verify";
}

/** Fully validate proposal bytes on the head without committing (the execution is cached). */
export async function validateProposal(ctx: BlockOpsContext, bytes: Uint8Array): Promise<Verdict> {
  let block: Block;
  try {
    block = (ctx.chain.decodeBlock?.(bytes) ?? decodeBlock(bytes, ctx.chain.common));
  } catch (e) {
    return { valid: false, reason: e instanceof Error ? e.message : String(e) };
  }
  const h = block.header;
  const head = ctx.chain.head;
  if (!equalBytes(h.parentHash, head.hash)) return null;
  if (Number(h.timestamp) * 1000 > ctx.now() + ctx.maxFutureMs) return { valid: false, reason: `timestamp ${h.timestamp} is in the future` };
  const vrf = checkBeaconVRF(ctx, h);
  if (vrf !== null) return { valid: false, reason: vrf };
  try {
    const [carried] = await Promise.all([checkCarriedCommit(ctx, h, head), ctx.chain.verifyBlock(block)]);
    return carried === null ? { valid: true } : { valid: false, reason: carried };
  } catch (e) {
    if (isBeaconLagError(e)) return { valid: false, reason: (e as Error).message, beaconLag: true };
    if (e instanceof BlockError) return STALE_CODES.has(e.code) ? null : { valid: false, reason: e.message };
    throw e;
  }
}

/**
 * Check a beacon proposal's VRF against the BLS key of its view's leader (the proposer), then the
 * rest of the beacon's rules with the node's accumulator (the VDF field). Returns the reason it is
 * invalid, or null (also on a non-beacon shard, where headers carry no VRF).
 */
export function checkBeaconVRF(ctx: BlockOpsContext, h: Header): string | null {
  if (!isBeacon(h.shardId)) return h.vrf.length === 0 ? null : "VRF on a non-beacon shard";
  const b = ctx.beacon;
  if (b === undefined) return null;
  const ec = ctx.committees.at(h.epoch);
  if (ec === undefined) return `the committee of epoch ${h.epoch} is not known`;
  const leaderPublicKey = ec.committee.keys[leaderSlot(ec.committee, h.viewId)] as Uint8Array;
  const r = validateVRFField(b.bls, h, { leaderPublicKey, params: b.params });
  if (!r.ok) return r.error.message;
  return b.tracker?.checkProposal(h) ?? null;
}

/** Our VRF for a beacon block at (height, view) on `parentHash`, when the VRF is active and we lead the view. */
function ourVRF(ctx: BlockOpsContext, parent: Header, height: bigint, view: bigint): Uint8Array | undefined {
  const b = ctx.beacon;
  if (b === undefined || !isBeacon(parent.shardId) || !isVRFActive(b.params, epochOfBlock(b.params, height))) return undefined;
  const ec = ctx.committees.at(ctx.committees.epochOfHeight(height));
  const sk = ec?.secretKeys.get(leaderSlot(ec.committee, view));
  if (sk === undefined) throw new Error(`building a beacon block for view ${view} without the leader's BLS key`);
  return computeVRF(b.bls, sk, parent.hash);
}

/** Arguments of {@link buildProposal}. */
export interface BuildRequest {
  readonly height: bigint;
  readonly view: bigint;
  readonly parentHash: Uint8Array;
  readonly lastCommit: AggregateProof | null;
}

/**
 * Build our proposal for (height, view) on the head. Returns null when the head is no longer the
 * parent asked for, or when the head's commit proof (which the header must carry) is unknown.
 */
export async function buildProposal(ctx: BlockOpsContext, req: BuildRequest, candidates: Iterable<CandidateTx>): Promise<Block | null> {
  const parent = ctx.chain.head;
  if (!equalBytes(parent.hash, req.parentHash) || parent.number + 1n !== req.height) return null;
  let last = req.lastCommit;
  if (last === null && parent.number > 0n) {
    const stored = ctx.chain.getCommitProof(parent.hash);
    if (stored === undefined) return null;
    last = toAggregate(stored);
  }
  const vrf = ourVRF(ctx, parent, req.height, req.view);
  const vdf = isBeacon(parent.shardId) ? ctx.beacon?.tracker?.vdfFor(req.height) : undefined;
  const built = await ctx.chain.proposeBlock(candidates, {
    timestamp: BigInt(Math.floor(ctx.now() / 1000)),
    viewId: req.view,
    coinbase: ctx.coinbase,
    // PREVRANDAO: a hash chain over the parents, as `--dev` (the VRF output is in `vrf`).
    mixHash: keccak256(concatBytes(parent.mixHash, parent.hash)),
    ...(vrf !== undefined ? { vrf } : {}),
    ...(vdf !== undefined ? { vdf } : {}),
    ...(last !== null ? { lastCommitSig: last.signature, lastCommitBitmap: last.bitmap } : {}),
  });
  return built.block;
}

/**
 * Commit a final block with its commit proof. A block that sync committed meanwhile is fine (its
 * proof is stored when it is the head).
 * @throws {Error} when a different block is final at that height, or a final block does not
 * execute here: broken invariants that must stop the node.
 */
export async function commitFinal(ctx: BlockOpsContext, bytes: Uint8Array, proof: AggregateProof): Promise<Block> {
  const block = (ctx.chain.decodeBlock?.(bytes) ?? decodeBlock(bytes, ctx.chain.common));
  const p = { sig: proof.signature, bitmap: proof.bitmap };
  try {
    await ctx.chain.commitBlock(block, p);
    return block;
  } catch (e) {
    if (!(e instanceof BlockError) || e.code !== BlockErrorCode.ALREADY_KNOWN) {
      throw new Error(`final block ${block.number} cannot be committed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  const stored = ctx.chain.getHeaderByNumber(block.number);
  if (stored === undefined || !equalBytes(stored.hash, block.hash)) throw new Error(`two different final blocks at height ${block.number}`);
  if (ctx.chain.getCommitProof(block.hash) === undefined) ctx.chain.saveCommitProof(block.hash, p);
  return block;
}
