/**
 * From the double signs the consensus driver sees to what the chain slashes (DESIGN §Slashing): the
 * driver's evidence names committee slots, a chain record names the key, so it is converted with the
 * committee of the offence epoch. A leader offers the records not yet applied to the block it builds
 * (the builder leaves out any that do not apply).
 * @module
 */
import { type DoubleSignEvidence, slotsOfBitmap } from "../consensus/index.ts";
import type { ChainConfig, Header } from "../core/index.ts";
import { type StateStore, WorldState } from "../state/index.ts";
import { type DoubleSignRecord, StakingState, ValidatorStatus } from "../staking/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import { isBeacon } from "../core/index.ts";

/** Most records a leader offers per block: each costs the builder two signature checks. */
export const MAX_SLASHES_PER_BLOCK = 4;

/**
 * The chain record of a COMMIT double sign, given the keys of the offence epoch's committee (slot
 * order). Undefined when the evidence cannot be one: a PREPARE double sign (its signature is over the
 * bare hash, not the COMMIT payload), or votes that are aggregates of several keys (a record holds one
 * key's own signatures; a node signing with several keys sends aggregates, which cannot be split).
 */
export function evidenceToRecord(e: DoubleSignEvidence, committeeKeys: readonly Uint8Array[], where: { shardId: number; epoch: bigint }): DoubleSignRecord | undefined {
  if (e.phase !== "commit" || e.first.blockView !== e.view || e.second.blockView !== e.view) return undefined;
  const a = slotsOfBitmap(e.first.signers);
  const b = slotsOfBitmap(e.second.signers);
  if (a.length !== 1 || b.length !== 1 || a[0] !== b[0]) return undefined;
  const key = committeeKeys[a[0] as number];
  if (key === undefined) return undefined;
  return {
    shardId: where.shardId, epoch: where.epoch, height: e.height, view: e.view, offender: key,
    first: { blockHash: e.first.blockHash, signature: e.first.signature },
    second: { blockHash: e.second.blockHash, signature: e.second.signature },
  };
}

/** The chain as {@link pendingSlashRecords} reads it (a `Chain` fits). */
export interface SlashChain {
  readonly config: ChainConfig;
  readonly shardId: number;
  readonly head: Header;
  readonly state: StateStore;
  committeeSpecAt(epoch: bigint): { readonly keys: readonly Uint8Array[] } | undefined;
}

/**
 * Records a leader offers: the evidence's COMMIT double signs on the beacon shard whose key belongs
 * to a validator at the head that is not banned yet (not slashed already), one per key, newest first,
 * at most {@link MAX_SLASHES_PER_BLOCK}. A key released since the offence is not offered (rare; anyone
 * may still report it with reportDoubleSign).
 */
export function pendingSlashRecords(chain: SlashChain, evidence: readonly DoubleSignEvidence[]): DoubleSignRecord[] {
  if (!isBeacon(chain.shardId) || evidence.length === 0) return [];
  const staking = new StakingState(new WorldState(chain.state, chain.head.stateRoot));
  const out: DoubleSignRecord[] = [];
  const seen = new Set<string>();
  for (let i = evidence.length - 1; i >= 0; i--) {
    const e = evidence[i] as DoubleSignEvidence;
    if (out.length >= MAX_SLASHES_PER_BLOCK) break;
    if (e.height > chain.head.number + 1n) continue;
    const epoch = chain.config.epochOf(e.height);
    const keys = chain.committeeSpecAt(epoch)?.keys;
    const r = keys === undefined ? undefined : evidenceToRecord(e, keys, { shardId: 0, epoch });
    if (r === undefined) continue;
    const id = bytesToHex(r.offender);
    if (seen.has(id)) continue;
    seen.add(id);
    const owner = staking.keyOwner(r.offender);
    const status = owner === undefined ? undefined : staking.getValidator(owner)?.status;
    if (status === undefined || status === ValidatorStatus.BANNED) continue;
    out.push(r);
  }
  return out;
}
