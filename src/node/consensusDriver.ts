/**
 * The I/O driver of the FBFT state machine (DESIGN §Consensus, STYLE §11): every input — peer
 * messages, timer ticks, validation results, signature verdicts, synced blocks — enters ONE queue and
 * is handled in order by `step`; only this loop changes the consensus state. The actions of a step
 * are executed in order: the safety record is written durably (`persistSafety`) before the sends it
 * covers; blocks are built, validated and signatures verified asynchronously, their results coming
 * back as events; a final block is committed (with its commit proof, in one batch) before the next
 * input is handled.
 *
 * Fail point (see failpoint.ts): with `HARMONY_FAILPOINT=after-persist-safety` (and optionally
 * `HARMONY_FAILPOINT_HEIGHT=n`) the driver stops handling input and SIGKILLs its process right after a
 * safety record (of height n) is persisted and the signed message it covers has been sent.
 */
import {
  type AggregateProof, type ConsensusAction, type ConsensusEvent, type ConsensusMessage, type ConsensusState, type StepContext, coreBlockCodec, createStepContext, leaderSlot, step,
} from "../consensus/index.ts";
import { type EpochCommittee, sameCommittee } from "./epochCommittees.ts";
import { createRandomnessParams } from "../randomness/index.ts";
import { type BlockOpsContext, commitFinal } from "./_driverBlocks.ts";
import { type WorkEnv, buildWork, validateWork } from "./_driverWork.ts";
import { committedFrom, initialConsensusState, toAggregate } from "./_driverState.ts";
import { bitmapHasOurKeys, findOwnKeysInChain } from "./_doppelgangerScan.ts";
import { HeldInputs, routeByEpoch } from "./_epochInbox.ts";
import { SigningRefusal } from "./_signingRefusal.ts";
import { type DriverStats, copyDriverStats, createDriverStats, recordCommit, recordPhase, recordRound } from "./driverStats.ts";
import { FailpointTrigger, killSelf } from "./failpoint.ts";
import { ProposalPacing } from "./_proposalPacing.ts";
import { SerialQueue } from "./_serialQueue.ts";
import { type ConsensusDriverModules, type ConsensusDriverOptions, type DriverClock, type DriverMode, type DriverStatus, type GuardState, SYSTEM_DRIVER_CLOCK } from "./driverTypes.ts";
export type { BlockFetcher, ConsensusDriverModules, ConsensusDriverOptions, DriverClock, DriverCommittees, DriverMode, DriverNet, DriverStatus, GuardState } from "./driverTypes.ts";
export { SYSTEM_DRIVER_CLOCK } from "./driverTypes.ts";

/**
 * Runs the FBFT state machine of one node. The state machine decides with one committee; at each
 * epoch boundary (the commit of an epoch's last block, by consensus or by sync) the driver rebuilds it
 * from the chain with the next epoch's committee, so a key voted out stops signing there and a key
 * voted in starts, without a restart. Messages and synced blocks of a later epoch are held until then.
 */
export class ConsensusDriver {
  readonly #o: ConsensusDriverOptions;
  readonly #m: ConsensusDriverModules;
  readonly #clock: DriverClock;
  /** The committee of the state machine's epoch (set by #reset). */
  #ec: EpochCommittee | undefined;
  #ctx: StepContext;
  /** Inputs of a later epoch, replayed once its committee is in force. */
  readonly #ahead = new HeldInputs<Extract<ConsensusEvent, { type: "message" | "syncedBlock" }>>();
  /** The previous epoch had this committee: its late votes (on its last block) still count. */
  #carriedOver = false;
  readonly #ops: BlockOpsContext;
  readonly #stats: DriverStats = createDriverStats();
  readonly #queue: SerialQueue<ConsensusEvent>;
  readonly #pacing: ProposalPacing;
  readonly #early: { message: ConsensusMessage; from: string }[] = [];
  /** Messages seen while listening, replayed when a restart quorum ends the listening (see endListening). */
  readonly #heardWhileListening: { message: ConsensusMessage; from: string }[] = [];
  #state: ConsensusState | undefined;
  /** Why we refuse to sign (another instance of our keys), once known. */
  readonly #refusal: SigningRefusal;
  #listenRounds = 0;
  #timer: unknown;
  #catchUpTimer: unknown;
  #started = false;
  readonly #failpoint: FailpointTrigger;
  #phaseSince = 0;
  #heightSince = 0;

  constructor(opts: ConsensusDriverOptions, modules: ConsensusDriverModules) {
    this.#o = opts;
    this.#m = modules;
    this.#clock = modules.clock ?? SYSTEM_DRIVER_CLOCK;
    this.#refusal = new SigningRefusal(opts.doppelgangerClearBlocks ?? 64);
    this.#ctx = createStepContext(modules.bls, new Map(), coreBlockCodec);
    this.#ops = {
      chain: modules.chain, committees: opts.committees, verify: (c) => modules.verifier.verify(c), coinbase: opts.coinbase ?? new Uint8Array(20),
      maxFutureMs: opts.maxFutureMs ?? 15_000, now: () => this.#clock.now(),
      beacon: { bls: modules.bls, params: opts.randomness ?? createRandomnessParams(modules.chain.config), ...(modules.beacon ? { tracker: modules.beacon } : {}) },
    };
    this.#queue = new SerialQueue((e) => this.#handle(e), undefined, (e) => this.#fatal(e));
    this.#pacing = new ProposalPacing(opts.blockTimeMs);
    this.#failpoint = new FailpointTrigger(opts.failpoint, { clock: this.#clock, logger: modules.logger, kill: modules.kill ?? killSelf });
  }

  /** Our slots in the committee of the epoch being decided (empty: we observe it). */
  get mySlots(): readonly number[] {
    return (this.#ec ?? this.#o.committees.forHeight(this.#m.chain.head.number + 1n))?.mySlots ?? [];
  }

  /** The epoch the state machine decides in (the next block's, before the start). */
  get epoch(): bigint {
    return this.#ec?.epoch ?? this.#o.committees.epochOfHeight(this.#m.chain.head.number + 1n);
  }

  get #halted(): boolean {
    return this.#queue.halted;
  }

  get #gen(): number {
    return this.#queue.gen;
  }

  /**
   * Load the safety record, arm the doppelganger guard, and start the state machine on the chain's head.
   * @throws {ConsensusError} SAFETY_RECORD_CORRUPT: the node must not sign until an operator looks.
   */
  start(): void {
    if (this.#started) return;
    const record = this.#m.safety.load();
    this.#started = true;
    // A new network has nothing to protect; a restarted node listens before it signs (the state
    // machine's guard) after checking the blocks committed while it was down.
    this.#listenRounds = this.#listenRoundsFor(record);
    // A doppelganger reported before the start (listenQuorum.ts) stands.
    if (this.#refusal.reason === undefined) this.#refusal.scanned(findOwnKeysInChain(this.#m.chain, { record, ownSlotsAt: (n) => this.#o.committees.forHeight(n) }));
    const refused = this.#refusal.reason;
    if (refused !== undefined) this.#alarm(refused);
    else if (this.#listenRounds > 0) this.#m.logger.info("listening for our keys signing elsewhere before signing", { rounds: this.#listenRounds });
    this.#reset();
    for (const { message, from } of this.#early.splice(0)) this.#admit({ type: "message", message, from });
  }

  /**
   * Stop signing now, synchronously: no further input is handled and no further action of the step
   * in progress runs (a fatal error elsewhere, e.g. a failed store write; `stop` follows).
   */
  halt(): void {
    this.#clearTimers();
    void this.#queue.halt();
  }

  /**
   * End the doppelganger guard's listening now (a quorum of the committee is restarting too; see
   * listenQuorum.ts). No effect unless the guard is listening and saw nothing.
   */
  endListening(): void {
    const s = this.#state;
    if (!this.#started || this.#halted || this.#refusal.reason !== undefined || s === undefined || s.halted || s.listening === 0) return;
    this.#listenRounds = 0;
    this.#reset();
    this.#m.logger.info("listening period over; signing", { slots: this.mySlots, reason: "restart quorum" });
    // The fresh state has not seen the round in progress: a leader that ended its listening a moment
    // earlier has already proposed, and waiting for the next view would cost a timeout.
    for (const { message, from } of this.#heardWhileListening.splice(0)) this.#admit({ type: "message", message, from });
  }

  /** Another instance of our keys was found outside the state machine: never sign again. */
  reportDoppelganger(what: string): void {
    if (!this.#refusal.detected(what)) return;
    this.#alarm(what);
    if (this.#started && !this.#halted) this.#reset();
  }

  /** True when the doppelganger guard listens (or, before the start, will listen) and saw nothing yet. */
  get listening(): boolean {
    if (this.#refusal.reason !== undefined) return false;
    if (!this.#started) {
      try {
        return this.#listenRoundsFor(this.#m.safety.load()) > 0;
      } catch {
        // A corrupt record: start() refuses to run, so this node will not sign at all.
        return false;
      }
    }
    return this.status().doppelganger === "listening";
  }

  #listenRoundsFor(record: ReturnType<ConsensusDriverModules["safety"]["load"]>): number {
    const fresh = record === null && this.#m.chain.head.number === 0n;
    return fresh || !this.#o.committees.hasOwnKeys ? 0 : (this.#o.doppelgangerViews ?? 2);
  }

  /** Stop handling input and wait for the step in progress. */
  async stop(): Promise<void> {
    this.#clearTimers();
    await this.#queue.halt();
  }

  #clearTimers(): void {
    for (const t of [this.#timer, this.#catchUpTimer]) if (t !== undefined) this.#clock.clearTimeout(t);
  }

  /** A consensus message from the network. */
  receive(message: ConsensusMessage, from: string): void {
    if (this.#halted) return;
    if (!this.#started) {
      // Peers may start a round just before we join (e.g. the first ANNOUNCE of a new network).
      this.#early.push({ message, from });
      if (this.#early.length > 256) this.#early.shift();
      return;
    }
    if ((this.#state?.listening ?? 0) > 0) {
      this.#heardWhileListening.push({ message, from });
      if (this.#heardWhileListening.length > 256) this.#heardWhileListening.shift();
    }
    this.#admit({ type: "message", message, from });
  }

  /** A committed block with its proof, fetched after `requestSync` or found in the chain. */
  deliverSynced(block: Uint8Array, proof: AggregateProof, from: string): void {
    this.#stats.syncedBlocks++;
    this.#admit({ type: "syncedBlock", block, commit: proof, from });
  }

  /** The chain's head moved (possibly by sync): feed blocks the state machine has not seen. */
  onChainHead(): void {
    if (!this.#started || this.#halted || this.#catchUpTimer !== undefined) return;
    // After the importer has returned (its proof of the head may be stored right after the event).
    this.#catchUpTimer = this.#clock.setTimeout(() => {
      this.#catchUpTimer = undefined;
      if (this.#halted) return;
      // Sync carried the chain into another epoch: start over from the head with its committee.
      if (this.#ec !== undefined && this.#o.committees.epochOfHeight(this.#m.chain.head.number + 1n) !== this.#ec.epoch) return this.#newEpoch();
      const s = this.#state;
      if (s !== undefined) for (const c of committedFrom(this.#m.chain, s.height, 64)) this.deliverSynced(c.block.encode(), toAggregate(c.proof), "local");
    }, 0);
  }

  /** Route an input by the epoch of its height (`_epochInbox.ts`). */
  #admit(e: Extract<ConsensusEvent, { type: "message" | "syncedBlock" }>): void {
    const ec = this.#ec;
    let height: bigint;
    try {
      height = e.type === "message" ? e.message.height : this.#ctx.blockCodec.decodeBlockInfo(e.block).number;
    } catch {
      // Not a block: the state machine rejects it (and penalizes its sender) as before.
      return this.#enqueue(e, null);
    }
    const route = ec === undefined ? "now" : routeByEpoch(this.#o.committees.epochOfHeight(height), { epoch: ec.epoch, carriedOver: this.#carriedOver });
    if (route === "now") return this.#enqueue(e, null);
    if (route === "drop") {
      this.#stats.otherEpoch++;
      return;
    }
    this.#ahead.hold(e);
    // Signed traffic of a later epoch: we are behind (the state machine, deciding with the old
    // committee, cannot tell it). Fetch the blocks up to the boundary; the fetcher runs one request at a time.
    const s = this.#state;
    if (e.type === "message" && s !== undefined && !this.#halted) this.#m.fetcher?.request(s.height, (block, proof, from) => this.deliverSynced(block, proof, from));
  }

  // The chain's head entered another epoch: a state machine with that epoch's committee, then the
  // inputs held for it. An unchanged committee keeps its state (and the late commits it collects).
  #newEpoch(): void {
    const from = this.#ec?.epoch;
    const next = this.#o.committees.forHeight(this.#m.chain.head.number + 1n);
    if (this.#ec !== undefined && next !== undefined && sameCommittee(this.#ec, next)) {
      this.#ec = next;
      this.#carriedOver = true;
      for (const e of this.#ahead.take()) this.#admit(e);
      return;
    }
    // Listening (the doppelganger guard) carries over an epoch boundary; it is not restarted.
    const s = this.#state;
    if (s !== undefined && !s.halted) this.#listenRounds = s.listening;
    this.#reset();
    const ec = this.#ec as EpochCommittee;
    this.#m.logger.info("new epoch: consensus follows its committee", { epoch: ec.epoch, from, size: ec.committee.size, slots: ec.mySlots, height: this.#state?.height });
    for (const e of this.#ahead.take()) this.#admit(e);
  }

  /** Where the driver is. */
  status(): DriverStatus {
    const s = this.#state;
    const head = this.#m.chain.head;
    const view = s?.view ?? head.viewId;
    const ec = this.#ec ?? this.#o.committees.forHeight(head.number + 1n);
    const leader = ec === undefined ? 0 : leaderSlot(ec.committee, view);
    const guard: GuardState = this.#refusal.reason !== undefined || s?.halted === true ? "detected" : (s?.listening ?? this.#listenRounds) > 0 ? "listening" : "clear";
    const validator = this.mySlots.length > 0;
    const mode: DriverMode = !validator ? "nonValidator" : guard !== "clear" ? "listening" : (s?.mode ?? "normal");
    return {
      started: this.#started, validator, height: s?.height ?? head.number + 1n, view, phase: s?.phase ?? "idle", mode,
      leaderSlot: leader, isLeader: validator && guard === "clear" && this.mySlots.includes(leader), doppelganger: guard,
    };
  }

  /** A copy of the counters. */
  stats(): DriverStats {
    return copyDriverStats(this.#stats);
  }

  #signing(): boolean {
    const s = this.#state;
    return this.mySlots.length > 0 && this.#refusal.reason === undefined && s !== undefined && !s.halted && s.listening === 0;
  }

  #alarm(what: string): void {
    this.#m.logger.error("DOPPELGANGER: our BLS key signs elsewhere; this node refuses to sign (stop the other instance, then restart this one)", { evidence: what, slots: this.mySlots });
  }

  // A new state from the chain and the durable record: at start, when the guard lets us sign, and at
  // each epoch boundary (with that epoch's committee).
  #reset(): void {
    this.#queue.gen++;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    const head = this.#m.chain.head;
    const ec = this.#o.committees.forHeight(head.number + 1n);
    // The head's block settled the committee of the next one: unknown here means a broken chain.
    if (ec === undefined) throw new Error(`the committee of block ${head.number + 1n} is not known at head ${head.number}`);
    this.#carriedOver = false;
    this.#ec = ec;
    this.#ctx = createStepContext(this.#m.bls, ec.secretKeys, coreBlockCodec);
    this.#state = initialConsensusState(this.#m.chain, {
      committee: ec.committee, mySlots: this.#refusal.reason === undefined ? ec.mySlots : [], viewChangeBaseMs: this.#o.viewChangeBaseMs,
      blocksPerLeader: ec.blocksPerLeader, listenRounds: this.#listenRounds, signedByThisCommittee: (n) => this.#o.committees.epochOfHeight(n) === ec.epoch,
    }, this.#m.safety.load());
    this.#phaseSince = this.#heightSince = this.#clock.now();
    this.#queue.pushFront({ type: "start" }, this.#gen);
  }

  #enqueue(e: ConsensusEvent, gen: number | null): void {
    this.#queue.push(e, gen);
  }

  async #handle(e: ConsensusEvent): Promise<void> {
    const before = this.#state;
    if (before === undefined) return;
    let r: ReturnType<typeof step>;
    try {
      r = step(before, e, this.#ctx);
    } catch (e) {
      return this.#fatal(e);
    }
    this.#state = r.state;
    this.#stats.events++;
    this.#track(before, r.state);
    const gen = this.#gen;
    for (const a of r.actions) {
      if (this.#halted || gen !== this.#gen) return;
      await this.#execute(a, gen);
    }
  }

  #track(before: ConsensusState, after: ConsensusState): void {
    const now = this.#clock.now();
    if (before.phase !== after.phase || before.height !== after.height || before.view !== after.view) {
      recordPhase(this.#stats, before.phase, now - this.#phaseSince);
      this.#phaseSince = now;
    }
    if (before.listening > 0 && after.listening === 0 && !after.halted) {
      this.#heardWhileListening.length = 0;
      this.#m.logger.info("listening period over; signing", { slots: this.mySlots });
    }
    if (before.height !== after.height) {
      recordRound(this.#stats, now - this.#heightSince);
      this.#heightSince = now;
    }
  }

  async #execute(a: ConsensusAction, gen: number): Promise<void> {
    const m = this.#m;
    switch (a.type) {
      case "persistSafety":
        try {
          m.safety.save(a.record);
        } catch (e) {
          return this.#fatal(e);
        }
        this.#failpoint.persisted(a.record.height);
        return;
      case "send":
        if (!this.mySlots.includes(a.toSlot)) m.net.send(a.toSlot, a.message);
        return void (this.#failpoint.sent() && this.#queue.halt());
      case "broadcast":
        m.net.broadcast(a.message);
        return void (this.#failpoint.sent() && this.#queue.halt());
      case "setTimer":
        if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
        this.#timer = this.#clock.setTimeout(() => this.#enqueue({ type: "timeout", height: a.height, view: a.view }, gen), a.delayMs);
        return;
      case "buildBlock":
        return void buildWork(this.#work(gen), a).then((e) => e && this.#enqueue(e, gen));
      case "validateBlock":
        return void validateWork(this.#work(gen), a).then((e) => e && this.#enqueue(e, gen));
      case "commitBlock":
        return this.#commit(a);
      case "verify":
        return void m.verifier.verify(a.checks).then((results) => this.#enqueue({ type: "verified", id: a.id, results }, gen));
      case "evidence":
        this.#stats.evidence++;
        m.evidence?.add(a.evidence);
        m.logger.warn("double signing detected", { phase: a.evidence.phase, height: a.evidence.height, view: a.evidence.view, slots: a.evidence.slots });
        return;
      case "penalize":
        this.#stats.penalties++;
        m.net.penalize(a.from, a.reason);
        m.logger.debug("peer penalized", { peer: a.from, reason: a.reason });
        return;
      case "doppelganger":
        this.#refusal.detected(`${a.message.kind} at height ${a.message.height} view ${a.message.view} signed by our slots ${a.slots.join(",")}`);
        return this.#alarm(this.#refusal.reason as string);
      case "requestSync":
        m.fetcher?.request(a.fromHeight, (block, proof, from) => this.deliverSynced(block, proof, from));
        return;
      case "viewChanged":
        this.#stats.viewChanges[a.reason] = (this.#stats.viewChanges[a.reason] ?? 0) + 1;
        if (a.reason === "timeout" || a.reason === "newview" || a.reason === "join") m.logger.info("view change", { height: a.height, view: a.view, leader: a.leader, reason: a.reason });
        return;
    }
  }

  #work(gen: number): WorkEnv {
    const m = this.#m;
    return {
      ops: this.#ops, pacing: this.#pacing, clock: this.#clock, stats: this.#stats, logger: m.logger, ...(m.txSource ? { txSource: m.txSource } : {}),
      ...(m.buildExtras ? { extras: m.buildExtras } : {}),
      current: () => gen === this.#gen && !this.#halted,
      latestCommit: (height) => {
        const s = this.#state;
        return s !== undefined && s.head.number + 1n === height ? s.head.commit : undefined;
      },
    };
  }

  async #commit(a: Extract<ConsensusAction, { type: "commitBlock" }>): Promise<void> {
    try {
      await commitFinal(this.#ops, a.block, a.commit);
    } catch (e) {
      return this.#fatal(e);
    }
    const now = this.#clock.now();
    recordCommit(this.#stats, { now, mySlots: this.#signing() ? this.mySlots : [], keys: this.#ec?.committee.keys ?? [], bitmap: a.commit.bitmap });
    this.#pacing.committed(a.height, now);
    const clean = this.#refusal.committed(() => bitmapHasOurKeys(a.commit.bitmap, this.mySlots, this.#ec?.committee.size ?? 0));
    if (clean !== undefined) this.#refusalLifted(clean);
    // The epoch's last block: the rest of this step's actions belong to the old committee's state.
    if (this.#ec !== undefined && this.#o.committees.epochOfHeight(a.height + 1n) !== this.#ec.epoch) this.#newEpoch();
  }

  // The start-up scan's refusal is lifted: listen before signing, as after a restart.
  #refusalLifted(cleanBlocks: number): void {
    this.#m.logger.warn("no other instance of our keys signed for a window of blocks: lifting the doppelganger refusal and listening before signing", { blocks: cleanBlocks, slots: this.mySlots });
    this.#listenRounds = this.#listenRoundsFor(this.#m.safety.load());
    this.#reset();
  }

  #fatal(e: unknown): void {
    if (this.#halted) return;
    void this.#queue.halt();
    this.#clearTimers();
    this.#m.logger.error("consensus stopped: broken invariant", { error: e, stack: e instanceof Error ? e.stack : undefined });
    this.#m.onFatal?.(e);
  }
}
