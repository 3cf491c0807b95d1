/**
 * The node's view of "the committee of our shard at epoch E" (DESIGN §Consensus, §Staking): built from
 * the chain's shard state (`chain.committeeSpecAt`, the one answer) into the consensus layer's
 * `Committee`, with the slots our BLS keys hold in it and the leader schedule's blocks per leader.
 * Every user — the driver, consensusNet, sync, the vote log, RPC and metrics — asks this object;
 * none keeps a committee of its own. One commit-proof check, {@link EpochCommittees.verifyCommitProof},
 * serves the driver and sync.
 *
 * An epoch's committee is settled once the block that elected it (the previous epoch's last beacon
 * block) is in the chain; before that it is unknown, and a caller that must have it waits for the
 * chain's head ({@link EpochCommittees.waitFor}).
 */
import { type Committee, type SignatureCheck, blocksPerLeader, commitProofCheck, createCommittee } from "../consensus/index.ts";
import { type ChainConfig, type Header, decodeShardState } from "../core/index.ts";
import { type CommitteeSpec, getCommitteeSpec } from "../shard/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import { ValidatorNodeError, ValidatorNodeErrorCode } from "./errors.ts";
import { isBeacon } from "../core/index.ts";

/** The chain as the committees read it (a `Chain` fits). */
export interface CommitteeChain {
  readonly config: ChainConfig;
  readonly shardId: number;
  readonly head: Header;
  isEpochSettled(epoch: bigint): boolean;
  committeeSpecAt(epoch: bigint): CommitteeSpec | undefined;
  /** The epoch of the block after `parent` (a shard's follows the beacon chain). */
  nextEpoch(parent: Header): bigint;
  getHeaderByNumber(n: bigint): Header | undefined;
  on(event: "head", fn: (h: Header) => void): () => void;
}

/** One of our BLS keys. */
export interface OwnKey {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** The committee of one epoch, as this node sees it. */
export interface EpochCommittee {
  readonly epoch: bigint;
  readonly committee: Committee;
  /** Validator address of each slot (all zero for unstaked genesis keys). */
  readonly addresses: readonly Uint8Array[];
  /** Slots our keys hold (empty: we observe this epoch). */
  readonly mySlots: readonly number[];
  /** Our secret keys by slot. */
  readonly secretKeys: ReadonlyMap<number, Uint8Array>;
  /** Consecutive blocks a leader proposes (null: leader rotation not active). */
  readonly blocksPerLeader: number | null;
}

/** Verifies signature checks (the node's BLS pool fits). */
export interface CheckVerifier {
  verify(checks: readonly SignatureCheck[]): Promise<boolean[]>;
}

const CACHE_EPOCHS = 8;
const MAX_WAITERS = 4096;

/** Committees by epoch for one node. */
export class EpochCommittees {
  readonly #chain: CommitteeChain;
  readonly #keys: ReadonlyMap<string, Uint8Array>;
  readonly #cache = new Map<bigint, EpochCommittee>();
  readonly #waiters = new Set<{ epoch: bigint; resolve: (c: EpochCommittee | undefined) => void }>();
  #off: (() => void) | undefined;
  #fromRangeMemo: { hash: string; committee: Committee | undefined } | undefined;

  /**
   * @param beaconHeads subscribes to the beacon chain's head when it is another chain (a shard
   * follows it): epochs of a shard settle when the beacon moves, not when the shard does.
   */
  constructor(chain: CommitteeChain, ownKeys: readonly OwnKey[], private readonly beaconHeads?: (fn: () => void) => () => void) {
    this.#chain = chain;
    this.#keys = new Map(ownKeys.map((k) => [bytesToHex(k.publicKey), k.secretKey]));
  }

  /** True when this node holds BLS keys at all (elected or not). */
  get hasOwnKeys(): boolean {
    return this.#keys.size > 0;
  }

  /**
   * The epoch of block `height` (beacon: by number; a shard follows the beacon: a stored block's own,
   * the next block's as the beacon chain has settled it).
   */
  epochOfHeight(height: bigint): bigint {
    const c = this.#chain;
    if (isBeacon(c.shardId)) return c.config.epochOf(height);
    if (height > c.head.number) return c.nextEpoch(c.head);
    return c.getHeaderByNumber(height)?.epoch ?? c.head.epoch;
  }

  /**
   * True when {@link epochOfHeight} is sure of `height`'s epoch: always on the beacon; on a shard up to
   * the block after the head (a later block's epoch depends on blocks not seen yet — a message of it
   * that fails our check may be valid in the epoch its sender is in).
   */
  isEpochCertain(height: bigint): boolean {
    return isBeacon(this.#chain.shardId) || height <= this.#chain.head.number + 1n;
  }

  /** The epoch of the block after the head (the one consensus is deciding). */
  get currentEpoch(): bigint {
    return this.#chain.nextEpoch(this.#chain.head);
  }

  /** The committee consensus is deciding with now (the block after the head's). */
  current(): EpochCommittee {
    return this.at(this.currentEpoch) as EpochCommittee;
  }

  /** True when the committee of `epoch` is settled. */
  isKnown(epoch: bigint): boolean {
    return this.#chain.isEpochSettled(epoch);
  }

  /**
   * The committee of `epoch`, or undefined while it is not settled.
   * @throws {ValidatorNodeError} NO_COMMITTEE when the shard state has no slot for our shard.
   */
  at(epoch: bigint): EpochCommittee | undefined {
    const hit = this.#cache.get(epoch);
    if (hit !== undefined) return hit;
    if (!this.isKnown(epoch)) return undefined;
    const spec = this.#chain.committeeSpecAt(epoch);
    if (spec === undefined) {
      throw new ValidatorNodeError({ code: ValidatorNodeErrorCode.NO_COMMITTEE, shardId: this.#chain.shardId }, `epoch ${epoch} has no committee for shard ${this.#chain.shardId}`);
    }
    const built = this.#build(epoch, spec);
    if (this.#cache.size >= CACHE_EPOCHS) this.#cache.delete(this.#cache.keys().next().value as bigint);
    this.#cache.set(epoch, built);
    return built;
  }

  /** The committee of the epoch block `height` belongs to, or undefined while it is not settled. */
  forHeight(height: bigint): EpochCommittee | undefined {
    return this.at(this.epochOfHeight(height));
  }

  /**
   * The committee of `epoch`, waiting up to `timeoutMs` for the chain to settle it (a message or a
   * synced header of the next epoch may arrive before the block that elected its committee).
   * Resolves undefined on timeout, when too many wait, or when the epoch is more than `maxAhead`
   * epochs after the one being decided (null: any).
   */
  waitFor(epoch: bigint, timeoutMs: number, maxAhead: bigint | null = 1n): Promise<EpochCommittee | undefined> {
    const now = this.at(epoch);
    if (now !== undefined) return Promise.resolve(now);
    if ((maxAhead !== null && epoch > this.currentEpoch + maxAhead) || this.#waiters.size >= MAX_WAITERS || timeoutMs <= 0) return Promise.resolve(undefined);
    if (this.#off === undefined) {
      const offs = [this.#chain.on("head", () => this.#wake()), ...(this.beaconHeads ? [this.beaconHeads(() => this.#wake())] : [])];
      this.#off = () => offs.forEach((f) => f());
    }
    return new Promise((resolve) => {
      const w = {
        epoch,
        resolve: (c: EpochCommittee | undefined) => {
          clearTimeout(timer);
          this.#waiters.delete(w);
          resolve(c);
        },
      };
      const timer = setTimeout(() => w.resolve(undefined), timeoutMs);
      this.#waiters.add(w);
    });
  }

  /**
   * Check the commit proof `sig`/`bitmap` of `header` against the committee of the header's epoch:
   * a quorum of it, and the aggregate signature over the header's commit payload. The one check of
   * commit proofs (driver, sync; crosslinks later). False when the epoch's committee is not settled
   * within `waitMs` (sync verifies ranges ahead of importing them, epochs ahead included).
   */
  async verifyCommitProof(verifier: CheckVerifier, header: Header, sig: Uint8Array, bitmap: Uint8Array, o: { waitMs?: number; range?: readonly Header[] } = {}): Promise<boolean> {
    const committee = this.at(header.epoch)?.committee ?? this.#fromRange(header, o.range) ?? (await this.waitFor(header.epoch, o.waitMs ?? 0, null))?.committee;
    if (committee === undefined) return false;
    const proof = commitProofCheck(committee, header, sig, bitmap);
    if (!proof.ok) return false;
    const [ok] = await verifier.verify([proof.check]);
    return ok === true;
  }

  /** Stop waiting: every waiter resolves undefined. */
  close(): void {
    this.#off?.();
    this.#off = undefined;
    for (const w of [...this.#waiters]) w.resolve(undefined);
  }

  /**
   * The committee of `header`'s epoch from an election header before it in `range` (headers linked by
   * hash and each carried commit proof checked in turn, so the election header is the one its own
   * committee signed).
   */
  #fromRange(header: Header, range: readonly Header[] | undefined): Committee | undefined {
    const election = range?.find((h) => h.number < header.number && h.epoch + 1n === header.epoch && h.shardState.length > 0);
    if (election === undefined) return undefined;
    // Every header of the range's next epoch asks: decode its election header once.
    const key = bytesToHex(election.hash);
    if (this.#fromRangeMemo?.hash === key) return this.#fromRangeMemo.committee;
    const committee = this.#decodeElection(election, header.epoch);
    this.#fromRangeMemo = { hash: key, committee };
    return committee;
  }

  #decodeElection(election: Header, epoch: bigint): Committee | undefined {
    let spec: CommitteeSpec | undefined;
    try {
      const state = decodeShardState(election.shardState);
      spec = state.epoch === epoch ? getCommitteeSpec(state, this.#chain.shardId) : undefined;
    } catch {
      return undefined;
    }
    return spec === undefined ? undefined : createCommittee({ keys: spec.keys, power: spec.power, validators: spec.validators });
  }

  #wake(): void {
    for (const w of [...this.#waiters]) {
      const c = this.isKnown(w.epoch) ? this.at(w.epoch) : undefined;
      if (c !== undefined) w.resolve(c);
    }
  }

  #build(epoch: bigint, spec: CommitteeSpec): EpochCommittee {
    const committee = createCommittee({ keys: spec.keys, power: spec.power, validators: spec.validators });
    const secretKeys = new Map<number, Uint8Array>();
    committee.keys.forEach((k, slot) => {
      const sk = this.#keys.get(bytesToHex(k));
      if (sk !== undefined) secretKeys.set(slot, sk);
    });
    const cfg = this.#chain.config;
    return Object.freeze({
      epoch, committee, addresses: spec.addresses, secretKeys, mySlots: Object.freeze([...secretKeys.keys()]),
      blocksPerLeader: blocksPerLeader(cfg.epochBlocks, committee.size, cfg.consensus.leaderRotationMinBlocks, cfg.isActive("leaderRotation", epoch)),
    });
  }
}

/** True when two epochs' committees decide alike: same slots, power, validators, our slots and leader schedule. */
export function sameCommittee(a: EpochCommittee, b: EpochCommittee): boolean {
  const x = a.committee;
  const y = b.committee;
  if (x.size !== y.size || a.blocksPerLeader !== b.blocksPerLeader || a.mySlots.length !== b.mySlots.length) return false;
  for (let i = 0; i < x.size; i++) {
    if (x.power[i] !== y.power[i] || x.validators[i] !== y.validators[i] || bytesToHex(x.keys[i] as Uint8Array) !== bytesToHex(y.keys[i] as Uint8Array)) return false;
  }
  return a.mySlots.every((s, i) => b.mySlots[i] === s);
}
