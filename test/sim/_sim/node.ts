/** One simulated node: its keys, consensus state, chain, durable safety record and observations. */
import {
  type AggregateProof, type BlockInfo, type Committee, type ConsensusState, type DoubleSignEvidence, type SafetyRecord, type StepContext,
  bitmapFromSlots, computeRun, createConsensusState, decodeSafetyRecord, encodeSafetyRecord,
} from "../../../src/consensus/index.ts";
import { InvariantError, SignedHistory } from "./invariants.ts";
import { SIM_GENESIS, simBlockCodec } from "./simBlock.ts";

/** A committed block in a node's chain. */
export interface ChainEntry {
  readonly block: Uint8Array;
  readonly info: BlockInfo;
  readonly proof: AggregateProof | null;
}

/** Byzantine behaviour of a node (honest when all false). */
export interface Behaviour {
  /** Sends and processes nothing. */
  silent: boolean;
  /** Also signs a conflicting vote for every vote it sends. */
  doubleSign: boolean;
  /** As leader, sends different blocks to the two halves of the committee. */
  equivocate: boolean;
}

/** Static parameters of the nodes. */
export interface NodeParams {
  readonly committee: Committee;
  readonly viewChangeBaseMs: number;
  readonly blocksPerLeader: number | null;
}

/** A simulated node. */
export class SimNode {
  readonly id: number;
  readonly slots: readonly number[];
  readonly ctx: StepContext;
  readonly behaviour: Behaviour;
  readonly history = new SignedHistory();
  state: ConsensusState;
  chain: ChainEntry[];
  /** Bytes of the durable safety record (what survives a crash). */
  disk: Uint8Array | null = null;
  crashed = false;
  timerGen = 0;
  /** Restarts so far: verdicts asked for before a restart are not delivered after it. */
  life = 0;
  /** Views this node left because they failed (timeouts and joined view changes). */
  viewChanges = 0;
  readonly evidence: DoubleSignEvidence[] = [];
  /** Set when the node saw its own keys signing elsewhere and stopped signing. */
  doppelganger: readonly number[] | null = null;
  /** Rounds to listen before signing at the next (re)start. */
  listenRounds = 0;
  readonly penalties: { from: string; reason: string }[] = [];

  constructor(id: number, slots: readonly number[], ctx: StepContext, behaviour: Behaviour, readonly params: NodeParams, listenRounds = 0) {
    this.id = id;
    this.slots = slots;
    this.ctx = ctx;
    this.behaviour = behaviour;
    this.listenRounds = listenRounds;
    const g = simBlockCodec.decodeBlockInfo(SIM_GENESIS);
    this.chain = [{ block: SIM_GENESIS, info: g, proof: null }];
    this.state = this.#fresh();
  }

  /** Bitmap of this node's keys. */
  get signers(): Uint8Array {
    return bitmapFromSlots(this.params.committee.size, this.slots);
  }

  get head(): ChainEntry {
    return this.chain[this.chain.length - 1] as ChainEntry;
  }

  get height(): bigint {
    return this.head.info.number;
  }

  /** The record as read back from disk. */
  get safety(): SafetyRecord | null {
    return this.disk ? decodeSafetyRecord(this.disk) : null;
  }

  /** Write the record durably (checked against everything recorded before). */
  persist(r: SafetyRecord): void {
    this.history.persist(this.id, r);
    this.disk = encodeSafetyRecord(r);
  }

  /**
   * Invariant after every step: the record the state machine acts on is the one on disk (every
   * change went through `persistSafety`), or an empty one (nothing signed yet at this height) not
   * below the durable view.
   */
  checkRecordDurable(): void {
    const r = this.state.safety;
    if (r === this.#checked) return;
    const empty = r.prepare === null && r.commit === null && r.viewChange === null && r.lock === null;
    const bytes = encodeSafetyRecord(r);
    const same = this.disk !== null && bytes.length === this.disk.length && bytes.every((x, i) => x === this.disk?.[i]);
    // A new height starts from an empty record that must not be below the durable view.
    const ok = same || (empty && (this.disk === null || r.view >= (this.safety as SafetyRecord).view));
    if (!ok) throw new InvariantError(`node ${this.id}: the state's safety record differs from the durable one`);
    this.#checked = r;
  }

  #checked: SafetyRecord | null = null;

  /** Lose all memory but the chain and the disk, as after a crash, and rebuild the state from them. */
  restart(): void {
    this.crashed = false;
    this.timerGen++;
    this.life++;
    this.state = this.#fresh();
  }

  #fresh(): ConsensusState {
    const head = this.head;
    return createConsensusState({
      config: {
        committee: this.params.committee, mySlots: this.slots, viewChangeBaseMs: this.params.viewChangeBaseMs, blocksPerLeader: this.params.blocksPerLeader,
        listenRounds: this.listenRounds,
      },
      head: { number: head.info.number, hash: head.info.hash, viewId: head.info.viewId, commit: head.proof },
      recentBitmaps: this.chain.slice(-4).flatMap((e) => (e.proof ? [e.proof.bitmap] : [])),
      run: computeRun(this.chain.slice(1).map((e) => e.info.viewId)),
      safety: this.safety,
    });
  }
}
