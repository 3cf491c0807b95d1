/**
 * The consensus driver's asynchronous work, each answering one action of the state machine with the
 * event that carries its result: building our proposal (paced to the block time), and validating a
 * proposal. The driver enqueues the answer unless its state moved on meanwhile.
 */
import type { AggregateProof, ConsensusAction, ConsensusEvent } from "../consensus/index.ts";
import type { CandidateTx } from "../execution/index.ts";
import type { Logger } from "../util/logger.ts";
import { type BlockOpsContext, buildProposal, validateProposal } from "./_driverBlocks.ts";
import type { DriverChain } from "./_driverState.ts";
import type { ProposalPacing } from "./_proposalPacing.ts";
import type { DriverStats } from "./driverStats.ts";
import type { BuildExtras, DriverClock } from "./driverTypes.ts";

/** How long a validator waits for its beacon follower to reach a proposal's beacon state. */
export const BEACON_LAG_WAIT_MS = 3_000;

/** What the work needs. */
export interface WorkEnv {
  readonly ops: BlockOpsContext;
  readonly pacing: ProposalPacing;
  readonly clock: DriverClock;
  readonly stats: DriverStats;
  readonly logger: Logger;
  readonly txSource?: () => Iterable<CandidateTx>;
  /** False once the state that asked is gone (checked after waiting). */
  readonly current: () => boolean;
  /**
   * The parent's commit proof as the state machine holds it now: late commits collected while we
   * waited for the block time make it fuller than the one in the `buildBlock` action.
   */
  readonly latestCommit?: (height: bigint) => AggregateProof | null | undefined;
  /** What our proposal includes besides transactions (slashes, crosslinks, incoming receipts). */
  readonly extras?: () => BuildExtras;
}

// The build request has none of these fields; the chain's build options do, so they are added there.
function withExtras(chain: DriverChain, extras: BuildExtras): DriverChain {
  const proposeBlock: DriverChain["proposeBlock"] = (c, o) => chain.proposeBlock(c, { ...o, ...extras });
  return new Proxy(chain, {
    get(target, p) {
      if (p === "proposeBlock") return proposeBlock;
      const v = Reflect.get(target, p, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** Wait for the block time, build our proposal, and answer `propose` (null: nothing to answer). */
export async function buildWork(w: WorkEnv, a: Extract<ConsensusAction, { type: "buildBlock" }>): Promise<ConsensusEvent | null> {
  const asked = w.clock.now();
  const wait = w.pacing.waitMs(asked);
  if (wait > 0) await new Promise<void>((r) => w.clock.setTimeout(r, wait));
  if (!w.current()) return null;
  const t = w.clock.now();
  try {
    const extras = w.extras?.() ?? {};
    const ops = Object.values(extras).every((v) => v === undefined || v.length === 0) ? w.ops : { ...w.ops, chain: withExtras(w.ops.chain, extras) };
    const block = await buildProposal(ops, { ...a, lastCommit: w.latestCommit?.(a.height) ?? a.lastCommit }, w.txSource?.() ?? []);
    if (block === null) {
      w.logger.warn("cannot propose: the head moved or its commit proof is unknown", { height: a.height, view: a.view });
      return null;
    }
    // The next block is due T after this one's slot (T after the head's), not after the timer's
    // late firing or a slow round: lateness would otherwise add up, block after block (0.5 s blocks
    // came at ~1.9/s). A block later than one block time (a view change) starts the schedule anew,
    // so no burst of blocks follows a stall.
    const due = asked + wait;
    w.pacing.built(a.height, t - due <= w.pacing.blockTimeMs ? Math.min(t, due) : t);
    w.stats.proposalsBuilt++;
    return { type: "propose", height: a.height, view: a.view, block: block.encode() };
  } catch (e) {
    w.logger.error("building a proposal failed", { height: a.height, error: e });
    return null;
  }
}

/** Validate a proposal and answer `blockValidated` (null: the question no longer applies). */
export async function validateWork(w: WorkEnv, a: Extract<ConsensusAction, { type: "validateBlock" }>): Promise<ConsensusEvent | null> {
  w.pacing.started(a.height, w.clock.now());
  try {
    let v = await validateProposal(w.ops, a.block);
    // Our beacon follower is behind the proposer's (a shard block of the epoch it settled, or
    // receipts it crosslinked): not an invalid block — ask again as it catches up, within a bound.
    for (const until = w.clock.now() + BEACON_LAG_WAIT_MS; v !== null && !v.valid && v.beaconLag === true && w.clock.now() < until; ) {
      await new Promise<void>((r) => w.clock.setTimeout(r, 100));
      if (!w.current()) return null;
      v = await validateProposal(w.ops, a.block);
    }
    if (v === null || (!v.valid && v.beaconLag === true)) return null;
    w.stats.proposalsValidated++;
    if (v.valid) return { type: "blockValidated", hash: a.hash, valid: true };
    w.stats.proposalsInvalid++;
    w.logger.warn("invalid proposal", { height: a.height, reason: v.reason });
    return { type: "blockValidated", hash: a.hash, valid: false, reason: v.reason };
  } catch (e) {
    w.logger.error("validating a proposal failed", { error: e });
    return null;
  }
}
