/**
 * Crosslinks in beacon blocks (DESIGN §Sharding): a beacon header's `crossLinks` holds at most 16
 * links, ordered by shard, each shard's links the consecutive blocks after its last crosslinked one;
 * each link proves its block final with a quorum of the shard's committee of the link's epoch, taken
 * from this beacon chain's own shard state. A leader picks the pending links that satisfy this
 * ({@link selectCrossLinks}); every other node checks the header's ({@link validateBlockCrossLinks})
 * and rejects the block otherwise. The check changes no state (the finalize step pays the crosslinked
 * shard blocks' rewards, epochShardStates.ts); the chain stores the links with the block (crossLinksStore.ts).
 * @module
 */
import { BlockError, BlockErrorCode, type ChainConfig, type CxProof, type Header, type ShardState } from "../core/index.ts";
import type { AggregateCheck, BLS } from "../crypto/index.ts";
import { type BuildBlockOptions, getProcessBLS } from "../execution/index.ts";
import {
  type CrossLink,
  CrossLinkError,
  CrossLinkErrorCode,
  type CrossLinkFailure,
  type CrossLinkTip,
  GENESIS_CROSSLINK_TIP,
  MAX_CROSSLINKS_PER_BLOCK,
  checkCrossLinkSequence,
  decodeCrossLinks,
  getCommitteeSpec,
  getCrossLinkCheck,
  verifyCrossLink,
} from "../shard/index.ts";
import type { ChainDB } from "./chainDB.ts";
import { isBeacon } from "../core/index.ts";

/** What the beacon chain holds to check crosslinks. */
export interface CrossLinkEnv {
  /** Shards of the network: links name shards 1..shardCount-1. */
  readonly shardCount: number;
  readonly bls: Pick<BLS, "verifyChecks">;
  /** The shard state in force at an epoch, from this beacon chain's headers. */
  readonly shardStateAt: (epoch: bigint) => ShardState;
  /** The last stored crosslink of a shard. */
  readonly lastCrossLink: (shardId: number) => CrossLink | undefined;
}

/**
 * Options of a block built by the chain: the builder's, with pending crosslinks and incoming proofs
 * in place of the fields the chain derives from them (and the epoch, which is the chain's).
 */
export type ChainBuildOptions = Omit<BuildBlockOptions, "crossLinks" | "incoming" | "incomingProofs" | "epoch"> & {
  /** Crosslinks offered for the block (beacon): the ones that may come next are included, in order, at most 16. */
  pendingCrossLinks?: readonly CrossLink[];
  /**
   * Incoming cross-shard proofs offered for the block: the ones that verify and whose source block is
   * crosslinked are included in the order given, without receipts already credited or repeated, at
   * most the config's maxIncomingReceiptsPerBlock receipts (incomingProofs.ts).
   */
  pendingIncoming?: readonly CxProof[];
};

/**
 * The crosslink environment of a shard's chain: on the beacon shard of a network with other shards,
 * else none (then no header may carry crosslinks).
 */
export async function openCrossLinkEnv(config: ChainConfig, shardId: number, db: ChainDB, shardStateAt: (epoch: bigint) => ShardState): Promise<CrossLinkEnv | undefined> {
  if (!isBeacon(shardId) || config.shardCount < 2) return undefined;
  return { shardCount: config.shardCount, bls: await getProcessBLS(), shardStateAt, lastCrossLink: (s) => db.getLastCrossLink(s) };
}

function invalid(index: number, f: Pick<CrossLinkFailure, "code" | "reason">): BlockError {
  const where = index < 0 ? "crossLinks" : `crosslink ${index}`;
  return new BlockError({ code: BlockErrorCode.CROSSLINKS_INVALID, index, failure: f.code, reason: f.reason }, `invalid ${where}: ${f.reason}`);
}

const committeeOf = (env: CrossLinkEnv, l: CrossLink) => getCommitteeSpec(env.shardStateAt(l.epoch), l.shardId);

function shardCheck(env: CrossLinkEnv, l: CrossLink): CrossLinkFailure | undefined {
  if (l.shardId > 0 && l.shardId < env.shardCount) return undefined;
  return { ok: false, code: CrossLinkErrorCode.NOT_A_SHARD, reason: `shard ${l.shardId} is not a crosslinked shard of a ${env.shardCount}-shard network` };
}

/**
 * Check the crosslinks `header` carries against the chain (`env`: undefined off the beacon shard or
 * with one shard) and return them. The signatures are checked in one batch after the rest.
 * @throws {BlockError} CROSSLINKS_INVALID naming the first bad link (index -1 for the field itself).
 */
export function validateBlockCrossLinks(env: CrossLinkEnv | undefined, header: Header): CrossLink[] {
  if (header.crossLinks.length === 0) return [];
  if (env === undefined) {
    const reason = !isBeacon(header.shardId) ? `shard ${header.shardId} blocks carry no crosslinks (beacon blocks do)` : "the network has no other shard to crosslink";
    throw invalid(-1, { code: CrossLinkErrorCode.NOT_A_SHARD, reason });
  }
  let links: CrossLink[];
  try {
    links = decodeCrossLinks(header.crossLinks);
  } catch (e) {
    if (!(e instanceof CrossLinkError)) throw e;
    throw invalid(-1, { code: e.code, reason: e.type.reason });
  }
  const tips = new Map<number, CrossLinkTip>();
  const checks: AggregateCheck[] = [];
  let shard = 0;
  links.forEach((l, i) => {
    if (l.shardId < shard) throw invalid(i, { code: CrossLinkErrorCode.OUT_OF_ORDER, reason: `shard ${l.shardId} after shard ${shard}: links are ordered by shard` });
    shard = l.shardId;
    const bad = shardCheck(env, l);
    if (bad !== undefined) throw invalid(i, bad);
    const seq = checkCrossLinkSequence(l, tips.get(l.shardId) ?? env.lastCrossLink(l.shardId) ?? GENESIS_CROSSLINK_TIP, header.epoch);
    if (!seq.ok) throw invalid(i, seq);
    const c = getCrossLinkCheck(l, committeeOf(env, l));
    if (!c.ok) throw invalid(i, c);
    checks.push(c.check);
    tips.set(l.shardId, l);
  });
  const verdicts = env.bls.verifyChecks(checks);
  const bad = verdicts.findIndex((ok) => !ok);
  if (bad >= 0) {
    const l = links[bad] as CrossLink;
    throw invalid(bad, { code: CrossLinkErrorCode.BAD_SIGNATURE, reason: `the signature is not the signers' commit over shard ${l.shardId} block ${l.blockNumber}` });
  }
  return links;
}

/**
 * The crosslinks a beacon block of `epoch` includes from `pending` (any order, repeats and bad ones
 * allowed): by shard, each shard's run of verified links from the block after its last crosslinked
 * one, at most {@link MAX_CROSSLINKS_PER_BLOCK} in all. None without `env`.
 */
export function selectCrossLinks(env: CrossLinkEnv | undefined, pending: readonly CrossLink[], epoch: bigint): CrossLink[] {
  if (env === undefined || pending.length === 0) return [];
  const sorted = pending.filter((l) => shardCheck(env, l) === undefined).sort((a, b) => a.shardId - b.shardId || (a.blockNumber < b.blockNumber ? -1 : a.blockNumber > b.blockNumber ? 1 : 0));
  const out: CrossLink[] = [];
  const tips = new Map<number, CrossLinkTip>();
  for (const l of sorted) {
    if (out.length === MAX_CROSSLINKS_PER_BLOCK) break;
    const tip = tips.get(l.shardId) ?? env.lastCrossLink(l.shardId) ?? GENESIS_CROSSLINK_TIP;
    if (!checkCrossLinkSequence(l, tip, epoch).ok || !verifyCrossLink(l, committeeOf(env, l), env.bls).ok) continue;
    out.push(l);
    tips.set(l.shardId, l);
  }
  return out;
}
