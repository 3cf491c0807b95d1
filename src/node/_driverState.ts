/**
 * The consensus state a driver starts (or restarts) from: the chain's head with its commit proof,
 * the commit bitmaps of the last blocks (leader skipping), the rotation counter, and the durable
 * safety record — exactly what survives a crash (DESIGN §Consensus).
 */
import type { Common } from "@ethereumjs/common";
import type { CommitProof } from "../chain/index.ts";
import type { Block, ChainConfig, CxProof, Header } from "../core/index.ts";
import type { CrossLink } from "../shard/index.ts";
import type { DoubleSignRecord } from "../staking/index.ts";
import type { BuildBlockOptions, CandidateTx } from "../execution/index.ts";
import { type AggregateProof, type Committee, type ConsensusState, type SafetyRecord, ABSENT_WINDOW, computeRun, createConsensusState } from "../consensus/index.ts";

/**
 * Contents of a proposal besides transactions: double-sign records (slashEvidence.ts
 * `pendingSlashRecords`), crosslinks offered to a beacon block, incoming cross-shard receipts with
 * their proofs. The chain picks the ones that may go in.
 */
export interface BuildExtras {
  readonly slashes?: readonly DoubleSignRecord[];
  readonly pendingCrossLinks?: readonly CrossLink[];
  readonly pendingIncoming?: readonly CxProof[];
}

/** The chain as the driver uses it (a `Chain` fits). */
export interface DriverChain {
  readonly head: Header;
  readonly config: ChainConfig;
  readonly common: Common;
  /** Decode a block reusing the txpool's decoded transactions (a Chain's); without it, core's decoder. */
  decodeBlock?(bytes: Uint8Array): Block;
  getHeaderByNumber(n: bigint): Header | undefined;
  getHeaderByHash(hash: Uint8Array): Header | undefined;
  getBlockByNumber(n: bigint): Block | undefined;
  getCommitProof(hash: Uint8Array): CommitProof | undefined;
  saveCommitProof(hash: Uint8Array, proof: CommitProof): void;
  verifyBlock(block: Block): Promise<unknown>;
  proposeBlock(candidates: Iterable<CandidateTx>, opts: Omit<BuildBlockOptions, "crossLinks"> & BuildExtras): Promise<{ block: Block }>;
  commitBlock(block: Block, proof: CommitProof): Promise<unknown>;
}

/** Static consensus parameters of a node. */
export interface StateParams {
  readonly committee: Committee;
  readonly mySlots: readonly number[];
  readonly viewChangeBaseMs: number;
  readonly blocksPerLeader: number | null;
  /** Rounds to listen before signing (the state machine's doppelganger guard). */
  readonly listenRounds?: number;
  /** True when block `n` was signed by this committee (bitmaps of another epoch's committee mean nothing here); default all. */
  readonly signedByThisCommittee?: (n: bigint) => boolean;
}

/** A chain proof as the consensus layer names it. */
export function toAggregate(p: CommitProof): AggregateProof {
  return { signature: p.sig, bitmap: p.bitmap };
}

/** Commit proof of canonical block `n` (undefined for genesis or when unknown). */
export function proofAt(chain: DriverChain, n: bigint): CommitProof | undefined {
  if (n <= 0n) return undefined;
  const h = chain.getHeaderByNumber(n);
  return h === undefined ? undefined : chain.getCommitProof(h.hash);
}

/** The consensus state of a node whose chain is `chain` and whose stored record is `safety`. */
export function initialConsensusState(chain: DriverChain, p: StateParams, safety: SafetyRecord | null): ConsensusState {
  const head = chain.head;
  const recentBitmaps: Uint8Array[] = [];
  for (let n = head.number - BigInt(ABSENT_WINDOW) + 1n; n <= head.number; n++) {
    if (p.signedByThisCommittee?.(n) === false) continue;
    const proof = proofAt(chain, n);
    if (proof !== undefined) recentBitmaps.push(proof.bitmap);
  }
  const window = BigInt((p.blocksPerLeader ?? 0) + 1);
  const viewIds: bigint[] = [];
  for (let n = head.number - window + 1n; n <= head.number; n++) {
    if (n < 1n) continue;
    const h = chain.getHeaderByNumber(n);
    if (h !== undefined) viewIds.push(h.viewId);
  }
  const commit = proofAt(chain, head.number);
  return createConsensusState({
    config: { committee: p.committee, mySlots: p.mySlots, viewChangeBaseMs: p.viewChangeBaseMs, blocksPerLeader: p.blocksPerLeader, listenRounds: p.listenRounds ?? 0 },
    head: { number: head.number, hash: head.hash, viewId: head.viewId, commit: commit ? toAggregate(commit) : null },
    recentBitmaps,
    run: computeRun(viewIds),
    safety,
  });
}

/** Committed blocks from height `from` with their proofs, at most `limit`, stopping at the first without one. */
export function committedFrom(chain: Pick<DriverChain, "head" | "getBlockByNumber" | "getCommitProof">, from: bigint, limit: number): { block: Block; proof: CommitProof }[] {
  const out: { block: Block; proof: CommitProof }[] = [];
  for (let n = from < 1n ? 1n : from; n <= chain.head.number && out.length < limit; n++) {
    const block = chain.getBlockByNumber(n);
    const proof = block && chain.getCommitProof(block.hash);
    if (block === undefined || proof === undefined) break;
    out.push({ block, proof });
  }
  return out;
}
