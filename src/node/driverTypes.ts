/** Contract of the consensus driver: options, injected services, status. */
import type { AggregateProof, ConsensusMessage, Phase, SignatureCheck } from "../consensus/index.ts";
import type { BLS } from "../crypto/index.ts";
import type { CandidateTx } from "../execution/index.ts";
import type { RandomnessParams } from "../randomness/index.ts";
import type { Logger } from "../util/logger.ts";
import type { BeaconTracker } from "./_driverBlocks.ts";
import type { BuildExtras, DriverChain } from "./_driverState.ts";

export type { BuildExtras };
import type { EpochCommittee } from "./epochCommittees.ts";
import type { EvidenceStore } from "./evidenceStore.ts";
import type { Failpoint } from "./failpoint.ts";
import type { SafetyStore } from "./safetyFile.ts";

/** Where the driver sends messages (a {@link ./consensusNet.ts ConsensusNet} fits). */
export interface DriverNet {
  broadcast(message: ConsensusMessage): void;
  send(slot: number, message: ConsensusMessage): void;
  penalize(from: string, reason: string): void;
}

/** Time and timers (injectable, STYLE §13). */
export interface DriverClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The wall clock. */
export const SYSTEM_DRIVER_CLOCK: DriverClock = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/** Fetches committed blocks from `fromHeight` for a node that is behind (answers `requestSync`). */
export interface BlockFetcher {
  request(fromHeight: bigint, deliver: (block: Uint8Array, proof: AggregateProof, from: string) => void): void;
}

/** The committees the driver decides with, per epoch (an `EpochCommittees` fits). */
export interface DriverCommittees {
  /** The committee of `epoch`, or undefined while it is not settled. */
  at(epoch: bigint): EpochCommittee | undefined;
  /** The committee of the epoch block `height` belongs to, or undefined while it is not settled. */
  forHeight(height: bigint): EpochCommittee | undefined;
  epochOfHeight(height: bigint): bigint;
  /** True when this node holds BLS keys at all (elected this epoch or not). */
  readonly hasOwnKeys: boolean;
}

/** Options of {@link ConsensusDriver}. */
export interface ConsensusDriverOptions {
  /** Committees by epoch, with the slots and secret keys we hold in each (none: an observer). */
  readonly committees: DriverCommittees;
  readonly viewChangeBaseMs: number;
  /** Target time between our proposals' starts, ms. */
  readonly blockTimeMs: number;
  readonly coinbase?: Uint8Array;
  /** Rounds to listen for our keys signing elsewhere before signing (default 2; 0 = off). */
  readonly doppelgangerViews?: number;
  /**
   * After the start-up scan found our keys in blocks committed while we were down: consecutive
   * committed blocks without them after which no other instance is running, and we may sign again
   * (default 64, the scan's window).
   */
  readonly doppelgangerClearBlocks?: number;
  /** Proposals dated further ahead than this are invalid, ms (default 15,000). */
  readonly maxFutureMs?: number;
  readonly failpoint?: Failpoint;
  /** The random beacon's rules (default: derived from the chain config). */
  readonly randomness?: RandomnessParams;
}

/** Services of {@link ConsensusDriver} (STYLE §13). */
export interface ConsensusDriverModules {
  readonly chain: DriverChain;
  readonly bls: BLS;
  readonly verifier: { verify(checks: readonly SignatureCheck[]): Promise<boolean[]> };
  readonly net: DriverNet;
  readonly safety: SafetyStore;
  /** Candidate transactions for our proposals, best first. */
  readonly txSource?: () => Iterable<CandidateTx>;
  readonly fetcher?: BlockFetcher;
  readonly evidence?: EvidenceStore;
  /** What our proposals include besides transactions, read when we build one. */
  readonly buildExtras?: () => BuildExtras;
  readonly clock?: DriverClock;
  readonly logger: Logger;
  /** The node's random beacon (beacon shard): proposal checks and our VDF output. */
  readonly beacon?: BeaconTracker;
  /** Called once when a broken invariant stopped the driver. */
  readonly onFatal?: (e: unknown) => void;
  /** What the fail point does (default: SIGKILL this process). */
  readonly kill?: () => void;
}

/** Doppelganger guard: listening before signing, clear (signing), or another instance of our keys seen. */
export type GuardState = "listening" | "clear" | "detected";

/** Consensus mode as `hmy_getNodeMetadata` reports it (the node adds "syncing"). */
export type DriverMode = "normal" | "viewChange" | "listening" | "nonValidator";

/** Where the driver is. */
export interface DriverStatus {
  readonly started: boolean;
  readonly validator: boolean;
  readonly height: bigint;
  readonly view: bigint;
  readonly phase: Phase;
  readonly mode: DriverMode;
  readonly leaderSlot: number;
  readonly isLeader: boolean;
  readonly doppelganger: GuardState;
}
