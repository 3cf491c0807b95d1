/**
 * What the chain hands the block builder for the block after a parent: its epoch, the shard's epoch
 * marker, the crosslinks and incoming receipt proofs chosen from the pending ones (only what verifies
 * here reaches the block) and the finalize step's input. The chain supplies its parts (chain.ts).
 */
import { type BuildBlockOptions, type FinalizeInput, isCxReceiptSpent } from "../execution/index.ts";
import type { ChainConfig, Header } from "../core/index.ts";
import { type CrossLink, encodeCrossLinks } from "../shard/index.ts";
import { type StateStore, WorldState } from "../state/index.ts";
import { isBeacon } from "../core/beacon.ts";
import { type BeaconView, shardEpochMarker } from "./beaconView.ts";
import { type ChainBuildOptions, type CrossLinkEnv, selectCrossLinks } from "./crossLinks.ts";
import type { FinalizeHeaderFields } from "./epochShardStates.ts";
import { type IncomingEnv, selectIncomingProofs, verifyIncomingProofs } from "./incomingProofs.ts";

/** The chain's parts the builder's options are made from. */
export interface BuildInputsEnv {
  readonly config: ChainConfig;
  readonly shardId: number;
  readonly beacon: BeaconView;
  /** Blocks a shard leader waits after the beacon's election before closing its epoch. */
  readonly epochCloseDelay: number;
  readonly crossLinks: CrossLinkEnv | undefined;
  readonly state: StateStore;
  readonly incoming: IncomingEnv;
  nextEpoch(parent: Header): bigint;
  finalizeInput(parent: Header, h: FinalizeHeaderFields): FinalizeInput | undefined;
}

/** The builder's options for the block after `parent`. */
export function buildInputs(env: BuildInputsEnv, parent: Header, opts: ChainBuildOptions): BuildBlockOptions {
  // Fields a caller may have set beside the pending lists are dropped: the chain chooses them.
  const { pendingCrossLinks, pendingIncoming, ...rest } = opts;
  const { crossLinks: _l, incoming: _i, incomingProofs: _p, epoch: _e, shardState: _s, ...base } = rest as BuildBlockOptions;
  const epoch = env.nextEpoch(parent);
  // A shard block closes its epoch once the beacon chain has settled the next one.
  // The election of epoch+1 is the beacon's last block of `epoch`; the close waits the configured delay after it.
  const closeAt = (epoch + 1n) * BigInt(env.config.epochBlocks) - 1n + BigInt(env.epochCloseDelay);
  const marker = isBeacon(env.shardId) ? undefined : shardEpochMarker(env.beacon, epoch, closeAt);
  const links = selectCrossLinks(env.crossLinks, pendingCrossLinks ?? [], epoch);
  const world = new WorldState(env.state, parent.stateRoot);
  const proofs = selectIncomingProofs(pendingIncoming ?? [], { ...env.incoming, isSpent: (txHash, index) => isCxReceiptSpent(world, txHash, index) });
  const incoming = proofs.length === 0 ? {} : { incomingProofs: proofs, incoming: verifyIncomingProofs(proofs, env.incoming) };
  const finalize = env.finalizeInput(parent, nextHeaderFields(parent, base, epoch, links));
  return { ...base, epoch, ...(marker ? { shardState: marker } : {}), ...(links.length > 0 ? { crossLinks: encodeCrossLinks(links) } : {}), ...incoming, finalize };
}

/** Header fields of the block after `parent` that the finalize step reads, before it is built. */
function nextHeaderFields(parent: Header, opts: BuildBlockOptions, epoch: bigint, crossLinks: readonly CrossLink[]): FinalizeHeaderFields {
  const fields = { number: parent.number + 1n, epoch, lastCommitBitmap: opts.lastCommitBitmap ?? new Uint8Array(0) };
  return { ...fields, coinbase: opts.coinbase ?? new Uint8Array(20), slashes: opts.slashes ?? [], crossLinks };
}
