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
  type AggregateProof, type Committee, type ConsensusAction, type ConsensusEvent, type ConsensusMessage, type ConsensusState, type Phase, type SignatureCheck, type StepContext,
  coreBlockCodec, createStepContext, hasBit, leaderSlot, step,
} from "../consensus/index.ts";
import type { Block } from "../core/index.ts";
import type { BLS } from "../crypto/index.ts";
import type { CandidateTx } from "../execution/index.ts";
import type { Logger } from "../util/logger.ts";
import { type BlockOpsContext, buildProposal, commitFinal, validateProposal } from "./_driverBlocks.ts";
import { type DriverChain, initialConsensusState, toAggregate } from "./_driverState.ts";
import { DoppelgangerGuard, type GuardState } from "./doppelganger.ts";
import { type DriverStats, copyDriverStats, createDriverStats, observe } from "./driverStats.ts";
import type { EvidenceStore } from "./evidenceStore.ts";
import { type Failpoint, killSelf } from "./failpoint.ts";
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

/** Options of {@link ConsensusDriver}. */
export interface ConsensusDriverOptions {
  readonly committee: Committee;
  /** Our BLS secret keys by committee slot (empty for an observer). */
  readonly secretKeys: ReadonlyMap<number, Uint8Array>;
  readonly viewChangeBaseMs: number;
  readonly blocksPerLeader: number | null;
  /** Target time between our proposals' starts, ms. */
  readonly blockTimeMs: number;
  readonly coinbase?: Uint8Array;
  /** Rounds to listen for our keys signing elsewhere before signing (default 2; 0 = off). */
  readonly doppelgangerViews?: number;
  /** Proposals dated further ahead than this are invalid, ms (default 15,000). */
  readonly maxFutureMs?: number;
  readonly failpoint?: Failpoint;
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
  readonly clock?: DriverClock;
  readonly logger: Logger;
  /** Called once when a broken invariant stopped the driver. */
  readonly onFatal?: (e: unknown) => void;
  /** What the fail point does (default: SIGKILL this process). */
  readonly kill?: () => void;
}

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

type Item = { readonly e: ConsensusEvent; readonly gen: number | null };

/** Runs the FBFT state machine of one node. */
export class ConsensusDriver {
  readonly mySlots: readonly number[];
  readonly #o: ConsensusDriverOptions;
  readonly #m: ConsensusDriverModules;
  readonly #clock: DriverClock;
  readonly #ctx: StepContext;
  readonly #ops: BlockOpsContext;
  readonly #stats: DriverStats = createDriverStats();
  readonly #queue: Item[] = [];
  readonly #proposalAt = new Map<bigint, number>();
  readonly #commitListeners = new Set<(block: Block, proof: AggregateProof) => void>();
  #state: ConsensusState | undefined;
  #guard: DoppelgangerGuard;
  #gen = 0;
  #timer: unknown;
  #capTimer: unknown;
  #catchUpTimer: unknown;
  #draining: Promise<void> | undefined;
  #started = false;
  #halted = false;
  #armed = false;
  #resetDue = false;
  #phaseSince = 0;
  #heightSince = 0;
  #headProposalAt = 0;

  constructor(opts: ConsensusDriverOptions, modules: ConsensusDriverModules) {
    this.#o = opts;
    this.#m = modules;
    this.#clock = modules.clock ?? SYSTEM_DRIVER_CLOCK;
    this.mySlots = Object.freeze([...opts.secretKeys.keys()].sort((a, b) => a - b));
    this.#ctx = createStepContext(modules.bls, opts.secretKeys, coreBlockCodec);
    this.#ops = {
      chain: modules.chain, committee: opts.committee, verify: (c) => modules.verifier.verify(c), coinbase: opts.coinbase ?? new Uint8Array(20),
      maxFutureMs: opts.maxFutureMs ?? 15_000, now: () => this.#clock.now(),
    };
    this.#guard = new DoppelgangerGuard({ views: 0, committeeSize: opts.committee.size, mySlots: this.mySlots, safety: null });
  }

  /**
   * Load the safety record, arm the doppelganger guard, and start the state machine on the chain's head.
   * @throws {ConsensusError} SAFETY_RECORD_CORRUPT: the node must not sign until an operator looks.
   */
  start(): void {
    if (this.#started) return;
    const record = this.#m.safety.load();
    this.#started = true;
    const fresh = record === null && this.#m.chain.head.number === 0n;
    const views = fresh ? 0 : (this.#o.doppelgangerViews ?? 2);
    this.#guard = new DoppelgangerGuard({ views, committeeSize: this.#o.committee.size, mySlots: this.mySlots, safety: record });
    if (this.#guard.state === "listening") {
      this.#scanChain(record?.height ?? 0n);
      this.#m.logger.info("listening for our keys signing elsewhere before signing", { views });
      this.#capTimer = this.#clock.setTimeout(() => this.#guardResult(this.#guard.expire()), views * this.#o.viewChangeBaseMs);
    }
    this.#reset();
  }

  /** Stop handling input and wait for the step in progress. */
  async stop(): Promise<void> {
    this.#halted = true;
    for (const t of [this.#timer, this.#capTimer, this.#catchUpTimer]) if (t !== undefined) this.#clock.clearTimeout(t);
    await this.#draining;
  }

  /** A consensus message from the network; `verified` when its outer signature was checked. */
  receive(message: ConsensusMessage, from: string, verified = false): void {
    if (!this.#started || this.#halted) return;
    if (verified && this.#guard.state === "listening") this.#guardResult(this.#guard.observeMessage(message));
    this.#enqueue({ type: "message", message, from }, null);
  }

  /** A committed block with its proof, fetched after `requestSync` or found in the chain. */
  deliverSynced(block: Uint8Array, proof: AggregateProof, from: string): void {
    this.#stats.syncedBlocks++;
    this.#enqueue({ type: "syncedBlock", block, commit: proof, from }, null);
  }

  /** The chain's head moved (possibly by sync): feed blocks the state machine has not seen. */
  onChainHead(): void {
    if (!this.#started || this.#halted || this.#catchUpTimer !== undefined) return;
    // After the importer has returned (its proof of the head may be stored right after the event).
    this.#catchUpTimer = this.#clock.setTimeout(() => {
      this.#catchUpTimer = undefined;
      const s = this.#state;
      if (s === undefined) return;
      for (let n = s.height; n <= this.#m.chain.head.number && n < s.height + 64n; n++) {
        const block = this.#m.chain.getBlockByNumber(n);
        const proof = block && this.#m.chain.getCommitProof(block.hash);
        if (block === undefined || proof === undefined) break;
        this.deliverSynced(block.encode(), toAggregate(proof), "local");
      }
    }, 0);
  }

  /** Subscribe to committed blocks; returns the unsubscribe function. */
  onCommit(fn: (block: Block, proof: AggregateProof) => void): () => void {
    this.#commitListeners.add(fn);
    return () => this.#commitListeners.delete(fn);
  }

  /** Where the driver is. */
  status(): DriverStatus {
    const s = this.#state;
    const head = this.#m.chain.head;
    const view = s?.view ?? head.viewId;
    const leader = leaderSlot(this.#o.committee, view);
    const signing = this.#signing();
    const mode: DriverMode = this.mySlots.length === 0 ? "nonValidator" : !signing ? "listening" : (s?.mode ?? "normal");
    return {
      started: this.#started, validator: this.mySlots.length > 0, height: s?.height ?? head.number + 1n, view, phase: s?.phase ?? "idle", mode,
      leaderSlot: leader, isLeader: signing && this.mySlots.includes(leader), doppelganger: this.#guard.state,
    };
  }

  /** A copy of the counters. */
  stats(): DriverStats {
    return copyDriverStats(this.#stats);
  }

  #signing(): boolean {
    return this.mySlots.length > 0 && this.#guard.state === "clear";
  }

  // A new state from the chain and the durable record: at start, and when the guard lets us sign.
  #reset(): void {
    this.#gen++;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#state = initialConsensusState(this.#m.chain, {
      committee: this.#o.committee, mySlots: this.#signing() ? this.mySlots : [], viewChangeBaseMs: this.#o.viewChangeBaseMs, blocksPerLeader: this.#o.blocksPerLeader,
    }, this.#m.safety.load());
    this.#phaseSince = this.#heightSince = this.#clock.now();
    this.#queue.unshift({ e: { type: "start" }, gen: this.#gen });
    this.#kick();
  }

  // Blocks committed while we were away that carry our keys above our record: a doppelganger.
  #scanChain(recordHeight: bigint): void {
    const head = this.#m.chain.head.number;
    for (let n = recordHeight + 1n > head - 64n ? recordHeight + 1n : head - 64n; n <= head; n++) {
      const h = this.#m.chain.getHeaderByNumber(n);
      const proof = h && this.#m.chain.getCommitProof(h.hash);
      if (proof !== undefined) this.#guardResult(this.#guard.observeHistory(n, proof.bitmap));
    }
  }

  #guardResult(g: GuardState): void {
    if (g === "detected") this.#m.logger.error("DOPPELGANGER: our BLS key signed elsewhere; refusing to sign (stop the other instance)", { evidence: this.#guard.evidence });
    else if (g === "clear") this.#resetDue = true;
    if (g !== "listening" && this.#capTimer !== undefined) this.#clock.clearTimeout(this.#capTimer);
    if (this.#resetDue && this.#draining === undefined) this.#endListening("clear");
  }

  #endListening(g: GuardState): void {
    this.#resetDue = false;
    if (g !== "clear" || this.#halted || this.#state?.config.mySlots.length !== 0 || this.mySlots.length === 0) return;
    this.#m.logger.info("no other instance of our keys seen; joining consensus", { slots: this.mySlots });
    this.#reset();
  }

  #enqueue(e: ConsensusEvent, gen: number | null): void {
    if (this.#halted) return;
    this.#queue.push({ e, gen });
    this.#kick();
  }

  #kick(): void {
    if (this.#draining !== undefined || this.#halted) return;
    this.#draining = (async () => {
      await Promise.resolve();
      while (this.#queue.length > 0 && !this.#halted) await this.#handle(this.#queue.shift() as Item);
    })().finally(() => {
      this.#draining = undefined;
      if (this.#resetDue) this.#endListening("clear");
      if (this.#queue.length > 0) this.#kick();
    });
  }

  async #handle(item: Item): Promise<void> {
    const before = this.#state;
    if (before === undefined || (item.gen !== null && item.gen !== this.#gen)) return;
    let r: ReturnType<typeof step>;
    try {
      r = step(before, item.e, this.#ctx);
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
      const s = (this.#stats.phaseMs[before.phase] ??= { sum: 0, count: 0 });
      observe(s, now - this.#phaseSince);
      this.#phaseSince = now;
    }
    if (before.height !== after.height) this.#heightSince = now;
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
        if (this.#o.failpoint && (this.#o.failpoint.height === undefined || this.#o.failpoint.height === a.record.height)) this.#armed = true;
        return;
      case "send":
        if (!this.mySlots.includes(a.toSlot)) m.net.send(a.toSlot, a.message);
        return this.#tripFailpoint();
      case "broadcast":
        m.net.broadcast(a.message);
        return this.#tripFailpoint();
      case "setTimer":
        if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
        this.#timer = this.#clock.setTimeout(() => this.#enqueue({ type: "timeout", height: a.height, view: a.view }, gen), a.delayMs);
        return;
      case "buildBlock":
        return void this.#build(a, gen);
      case "validateBlock":
        if (!this.#proposalAt.has(a.height)) this.#proposalAt.set(a.height, this.#clock.now());
        return void this.#validate(a.hash, a.block, gen);
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
      case "requestSync":
        m.fetcher?.request(a.fromHeight, (block, proof, from) => this.deliverSynced(block, proof, from));
        return;
      case "viewChanged":
        this.#stats.viewChanges[a.reason] = (this.#stats.viewChanges[a.reason] ?? 0) + 1;
        if (a.reason === "timeout" || a.reason === "newview" || a.reason === "join") m.logger.info("view change", { height: a.height, view: a.view, leader: a.leader, reason: a.reason });
        if (a.reason === "timeout" && this.#guard.state === "listening") this.#guardResult(this.#guard.observeTimeout());
        return;
    }
  }

  #tripFailpoint(): void {
    if (!this.#armed) return;
    this.#halted = true;
    this.#m.logger.error("fail point after-persist-safety reached: killing the process");
    // A moment for the socket to flush the message just sent; nothing is handled meanwhile.
    this.#clock.setTimeout(() => (this.#m.kill ?? killSelf)(), 50);
  }

  async #build(a: Extract<ConsensusAction, { type: "buildBlock" }>, gen: number): Promise<void> {
    const wait = this.#headProposalAt + this.#o.blockTimeMs - this.#clock.now();
    if (wait > 0) await new Promise<void>((r) => this.#clock.setTimeout(r, wait));
    if (gen !== this.#gen || this.#halted) return;
    const t = this.#clock.now();
    try {
      const block = await buildProposal(this.#ops, a, this.#m.txSource?.() ?? []);
      if (block === null) return this.#m.logger.warn("cannot propose: the head moved or its commit proof is unknown", { height: a.height, view: a.view });
      this.#proposalAt.set(a.height, t);
      this.#stats.proposalsBuilt++;
      this.#enqueue({ type: "propose", height: a.height, view: a.view, block: block.encode() }, gen);
    } catch (e) {
      this.#m.logger.error("building a proposal failed", { height: a.height, error: e });
    }
  }

  async #validate(hash: Uint8Array, bytes: Uint8Array, gen: number): Promise<void> {
    try {
      const v = await validateProposal(this.#ops, bytes);
      if (v === null || gen !== this.#gen) return;
      this.#stats.proposalsValidated++;
      if (!v.valid) {
        this.#stats.proposalsInvalid++;
        this.#m.logger.warn("invalid proposal", { reason: v.reason });
      }
      this.#enqueue(v.valid ? { type: "blockValidated", hash, valid: true } : { type: "blockValidated", hash, valid: false, reason: v.reason }, gen);
    } catch (e) {
      this.#m.logger.error("validating a proposal failed", { error: e });
    }
  }

  async #commit(a: Extract<ConsensusAction, { type: "commitBlock" }>): Promise<void> {
    let block: Block;
    try {
      block = await commitFinal(this.#ops, a.block, a.commit);
    } catch (e) {
      return this.#fatal(e);
    }
    const now = this.#clock.now();
    const st = this.#stats;
    st.blocksCommitted++;
    st.lastCommitAt = now;
    observe(st.roundMs, now - this.#heightSince);
    if (this.#signing()) {
      for (const s of this.mySlots) {
        const table = hasBit(a.commit.bitmap, s) ? st.signed : st.missed;
        table[s] = (table[s] ?? 0) + 1;
      }
    }
    this.#headProposalAt = this.#proposalAt.get(a.height) ?? now;
    for (const h of this.#proposalAt.keys()) if (h <= a.height) this.#proposalAt.delete(h);
    if (this.#guard.state === "listening") this.#guardResult(this.#guard.observeCommit(a.height, a.commit.bitmap));
    for (const fn of this.#commitListeners) {
      try {
        fn(block, a.commit);
      } catch (e) {
        this.#m.logger.error("commit listener failed", { error: e });
      }
    }
  }

  #fatal(e: unknown): void {
    if (this.#halted) return;
    this.#halted = true;
    for (const t of [this.#timer, this.#capTimer, this.#catchUpTimer]) if (t !== undefined) this.#clock.clearTimeout(t);
    this.#m.logger.error("consensus stopped: broken invariant", { error: e, stack: e instanceof Error ? e.stack : undefined });
    this.#m.onFatal?.(e);
  }
}
