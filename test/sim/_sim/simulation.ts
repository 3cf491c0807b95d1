/**
 * Deterministic network simulator for the FBFT state machine (issue 4, acceptance 1): N nodes with
 * real BLS keys run `step` under a virtual clock; messages are encoded to bytes and decoded again,
 * delayed, lost, reordered and cut by partitions, all drawn from one seeded PRNG. The driver part
 * executes the actions as the node's driver would (persist before send, timers, block building and
 * validation, signature checks through the batched verifier, sync from a peer), and the invariants
 * of `invariants.ts` are checked after every step.
 */
import {
  type AggregateProof, type BlockInfo, type ConsensusAction, type ConsensusEvent, type ConsensusMessage, type VoteVerifier,
  bitmapPower, createCommittee, createStepContext, createVoteVerifier, decodeConsensusMessage, encodeConsensusMessage, isQuorum, isValidBitmap, step,
} from "../../../src/consensus/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { CommitLog, InvariantError } from "./invariants.ts";
import { type Behaviour, type ChainEntry, SimNode } from "./node.ts";
import { type Prng, createPrng } from "./prng.ts";
import { EventQueue } from "./queue.ts";
import { encodeSimBlock, simBlockCodec } from "./simBlock.ts";
import { applyByzantineSend } from "./byzantine.ts";
import { FORGER, FORGER_ID, forgeVote } from "./forger.ts";

/** Options of a simulation. */
export interface SimOptions {
  seed: number;
  /** Keys per node; its length is the number of nodes. Default: `nodes` nodes with one key each. */
  keysPerNode?: number[];
  nodes?: number;
  /** One-way delay = base + uniform jitter, ms. */
  delayMs?: number;
  jitterMs?: number;
  /** Probability that a message is lost. */
  lossRate?: number;
  blockTimeMs?: number;
  validateMs?: number;
  viewChangeBaseMs?: number;
  blocksPerLeader?: number | null;
  /** Byzantine behaviours by node index. */
  silent?: number[];
  doubleSign?: number[];
  equivocate?: number[];
  /** Extra nodes holding the same keys as these nodes (doppelgangers), listening 2 rounds first. */
  clones?: number[];
  /** Latency of a signature check, ms (0: verdicts come back within the same step, as before). */
  verifyMs?: number;
  /** A peer outside the committee forges a vote ahead of every honest vote (see `forger.ts`). */
  forgeVotes?: boolean;
}

type SimEvent =
  | { kind: "deliver"; to: number; from: number; bytes: Uint8Array }
  | { kind: "local"; to: number; event: ConsensusEvent }
  | { kind: "verdict"; to: number; life: number; event: ConsensusEvent }
  | { kind: "timer"; to: number; gen: number; height: bigint; view: bigint }
  | { kind: "sync"; to: number; from: number; entries: ChainEntry[] };

/** A running simulation. */
export class Simulation {
  readonly rng: Prng;
  readonly nodes: SimNode[] = [];
  readonly commits = new CommitLog();
  readonly verifier: VoteVerifier & { stats: { checks: number } };
  readonly bls: BLS;
  /** Forged votes sent by the forger peer (`forgeVotes`). */
  forged = 0;
  now = 0;
  steps = 0;
  delivered = 0;
  dropped = 0;
  #queue = new EventQueue<SimEvent>();
  #slotOwner: number[] = [];
  #groups: number[] | null = null;
  readonly opts: Required<Omit<SimOptions, "keysPerNode" | "nodes">> & { keysPerNode: number[] };

  private constructor(bls: BLS, opts: SimOptions) {
    const keysPerNode = opts.keysPerNode ?? Array.from({ length: opts.nodes ?? 4 }, () => 1);
    this.opts = {
      seed: opts.seed, keysPerNode, delayMs: opts.delayMs ?? 20, jitterMs: opts.jitterMs ?? 30, lossRate: opts.lossRate ?? 0,
      blockTimeMs: opts.blockTimeMs ?? 200, validateMs: opts.validateMs ?? 10, viewChangeBaseMs: opts.viewChangeBaseMs ?? 1000,
      blocksPerLeader: opts.blocksPerLeader === undefined ? 4 : opts.blocksPerLeader, silent: opts.silent ?? [], doubleSign: opts.doubleSign ?? [],
      equivocate: opts.equivocate ?? [], clones: opts.clones ?? [], verifyMs: opts.verifyMs ?? 0, forgeVotes: opts.forgeVotes ?? false,
    };
    this.rng = createPrng(opts.seed);
    this.bls = bls;
    this.verifier = createVoteVerifier(bls);
    const secrets: Uint8Array[] = [];
    keysPerNode.forEach((k, node) => {
      for (let i = 0; i < k; i++) {
        secrets.push(bls.keygen(this.rng.bytes(32)));
        this.#slotOwner.push(node);
      }
    });
    const committee = createCommittee({ keys: secrets.map((sk) => bls.secretToPublic(sk)), validators: [...this.#slotOwner] });
    const params = { committee, viewChangeBaseMs: this.opts.viewChangeBaseMs, blocksPerLeader: this.opts.blocksPerLeader };
    keysPerNode.forEach((_, node) => {
      const slots = this.#slotOwner.flatMap((o, slot) => (o === node ? [slot] : []));
      const ctx = createStepContext(bls, new Map(slots.map((s) => [s, secrets[s] as Uint8Array])), simBlockCodec);
      const behaviour: Behaviour = {
        silent: this.opts.silent.includes(node), doubleSign: this.opts.doubleSign.includes(node), equivocate: this.opts.equivocate.includes(node),
      };
      this.nodes.push(new SimNode(node, slots, ctx, behaviour, params));
    });
    for (const original of this.opts.clones) {
      const o = this.nodes[original] as SimNode;
      this.nodes.push(new SimNode(this.nodes.length, o.slots, o.ctx, { silent: false, doubleSign: false, equivocate: false }, params, 2));
    }
  }

  /** Create a simulation with native BLS keys derived from the seed. */
  static async create(opts: SimOptions): Promise<Simulation> {
    return new Simulation(await createBLS("native"), opts);
  }

  /** Honest nodes: neither silent nor otherwise Byzantine. */
  get honest(): SimNode[] {
    return this.nodes.filter((n) => !n.behaviour.silent && !n.behaviour.doubleSign && !n.behaviour.equivocate);
  }

  /** Lowest and highest committed height among live honest nodes. */
  minHeight(): bigint {
    return this.honest.filter((n) => !n.crashed).reduce((m, n) => (n.height < m ? n.height : m), 1n << 62n);
  }

  maxHeight(): bigint {
    return this.nodes.reduce((m, n) => (n.height > m ? n.height : m), 0n);
  }

  /** Start every node. */
  start(): void {
    for (const n of this.nodes) this.#feed(n, { type: "start" });
  }

  /** Split the network: nodes in different groups cannot reach each other. */
  partition(groups: number[][]): void {
    const g = this.nodes.map(() => -1);
    groups.forEach((members, i) => {
      for (const m of members) g[m] = i;
    });
    this.#groups = g.map((x, i) => (x === -1 ? groups.length + i : x));
  }

  heal(): void {
    this.#groups = null;
  }

  /** Crash a node (it loses its memory but not its chain and safety record). */
  crash(node: number): void {
    (this.nodes[node] as SimNode).crashed = true;
  }

  /** Restart a crashed node from its chain and durable safety record, listening `listenRounds` rounds first. */
  restart(node: number, listenRounds = 0): void {
    const n = this.nodes[node] as SimNode;
    n.listenRounds = listenRounds;
    n.restart();
    this.#feed(n, { type: "start" });
  }

  /** Run until `done()` or until virtual time passes `untilMs`; returns whether `done` held. */
  runUntil(done: () => boolean, untilMs: number): boolean {
    while (!done()) {
      const e = this.#queue.pop();
      if (!e) return false;
      if (e.time > untilMs) {
        this.#queue.push(e.time, e.value);
        this.now = untilMs;
        return false;
      }
      this.now = e.time;
      this.#handle(e.value);
    }
    return true;
  }

  /** Run for `ms` of virtual time. */
  runFor(ms: number): void {
    this.runUntil(() => false, this.now + ms);
  }

  #reachable(a: number, b: number): boolean {
    return this.#groups === null || this.#groups[a] === this.#groups[b];
  }

  #handle(e: SimEvent): void {
    const node = this.nodes[e.to] as SimNode;
    if (node.crashed || node.behaviour.silent) return;
    switch (e.kind) {
      case "deliver": {
        let message: ConsensusMessage;
        try {
          message = decodeConsensusMessage(e.bytes);
        } catch (err) {
          throw new InvariantError(`node ${e.to} could not decode a message from ${e.from}: ${(err as Error).message}`);
        }
        this.delivered++;
        return this.#feed(node, { type: "message", message, from: e.from === FORGER ? FORGER_ID : `node${e.from}` });
      }
      case "local":
        return this.#feed(node, e.event);
      case "verdict":
        if (e.life === node.life) this.#feed(node, e.event);
        return;
      case "timer":
        if (e.gen === node.timerGen) this.#feed(node, { type: "timeout", height: e.height, view: e.view });
        return;
      case "sync":
        for (const entry of e.entries) {
          if (entry.proof) this.#feed(node, { type: "syncedBlock", block: entry.block, commit: entry.proof, from: `node${e.from}` });
        }
    }
  }

  /** Step a node with an event and execute its actions (verifier verdicts come back at once, or after `verifyMs`). */
  #feed(node: SimNode, first: ConsensusEvent): void {
    const local: ConsensusEvent[] = [first];
    while (local.length > 0) {
      const ev = local.shift() as ConsensusEvent;
      const { state, actions } = step(node.state, ev, node.ctx);
      node.state = state;
      this.steps++;
      for (const a of actions) this.#execute(node, a, local);
      if (!node.behaviour.doubleSign && !node.behaviour.equivocate) node.checkRecordDurable();
    }
  }

  /** Send bytes from one node to another through the simulated network. */
  send(from: number, to: number, bytes: Uint8Array): void {
    if (!this.#reachable(from, to) || this.rng.chance(this.opts.lossRate)) {
      this.dropped++;
      return;
    }
    this.#queue.push(this.now + this.opts.delayMs + this.rng.next() * this.opts.jitterMs, { kind: "deliver", to, from, bytes });
  }

  /** The node holding a committee slot. */
  ownerOf(slot: number): number {
    return this.#slotOwner[slot] as number;
  }

  #execute(node: SimNode, a: ConsensusAction, local: ConsensusEvent[]): void {
    const honest = !node.behaviour.doubleSign && !node.behaviour.equivocate;
    switch (a.type) {
      case "persistSafety":
        return honest ? node.persist(a.record) : void (node.disk = null);
      case "send":
      case "broadcast": {
        if (honest) node.history.covers(node.id, node.signers, a.message);
        const targets = a.type === "send" ? [this.ownerOf(a.toSlot)] : this.nodes.map((n) => n.id).filter((id) => id !== node.id);
        if (honest) {
          if (this.opts.forgeVotes && a.type === "send") this.#forgeAhead(a.message, targets);
          const bytes = encodeConsensusMessage(a.message);
          for (const t of targets) this.send(node.id, t, bytes);
        } else {
          applyByzantineSend(this, node, a.message, targets);
        }
        return;
      }
      case "setTimer": {
        const gen = ++node.timerGen;
        this.#queue.push(this.now + a.delayMs, { kind: "timer", to: node.id, gen, height: a.height, view: a.view });
        return;
      }
      case "buildBlock": {
        const block = encodeSimBlock(a.height, a.parentHash, a.view, a.lastCommit, this.rng.bytes(32));
        this.#queue.push(this.now + this.opts.blockTimeMs, { kind: "local", to: node.id, event: { type: "propose", height: a.height, view: a.view, block } });
        return;
      }
      case "validateBlock": {
        const valid = this.#validate(node, a.block);
        this.#queue.push(this.now + this.opts.validateMs, { kind: "local", to: node.id, event: { type: "blockValidated", hash: a.hash, valid, reason: valid ? undefined : "bad linkage" } });
        return;
      }
      case "commitBlock": {
        const info = simBlockCodec.decodeBlockInfo(a.block);
        if (info.number !== node.height + 1n) throw new InvariantError(`node ${node.id} committed ${info.number} on head ${node.height}`);
        node.chain.push({ block: a.block, info, proof: a.commit });
        if (!node.behaviour.silent) this.commits.record(node.id, info.number, info.hash);
        return;
      }
      case "verify": {
        const event: ConsensusEvent = { type: "verified", id: a.id, results: this.verifier.verify(a.checks) };
        if (this.opts.verifyMs > 0) this.#queue.push(this.now + this.opts.verifyMs, { kind: "verdict", to: node.id, life: node.life, event });
        else local.push(event);
        return;
      }
      case "evidence":
        node.evidence.push(a.evidence);
        return;
      case "penalize":
        node.penalties.push({ from: a.from, reason: a.reason });
        return;
      case "requestSync":
        return this.#sync(node, a.fromHeight);
      case "doppelganger":
        node.doppelganger = a.slots;
        return;
      case "viewChanged":
        if (a.reason === "timeout" || a.reason === "join") node.viewChanges++;
        return;
    }
  }

  // The forger's vote reaches the leader before the honest one it shadows.
  #forgeAhead(message: ConsensusMessage, targets: number[]): void {
    if (message.kind !== "prepare" && message.kind !== "commit") return;
    const forged = encodeConsensusMessage(forgeVote(this, message));
    this.forged++;
    for (const t of targets) this.#queue.push(this.now + this.opts.delayMs / 2, { kind: "deliver", to: t, from: FORGER, bytes: forged });
  }

  #validate(node: SimNode, block: Uint8Array): boolean {
    let info: BlockInfo;
    try {
      info = simBlockCodec.decodeBlockInfo(block);
    } catch {
      return false;
    }
    const head = node.head;
    if (info.number !== head.info.number + 1n || !sameHash(info.parentHash, head.info.hash)) return false;
    if (head.info.number === 0n) return info.lastCommitSig.length === 0;
    const c = node.params.committee;
    return info.lastCommitSig.length === 96 && isValidBitmap(info.lastCommitBitmap, c.size) && isQuorum(bitmapPower(c, info.lastCommitBitmap), c.totalPower);
  }

  // Ask one random reachable peer for up to 32 committed blocks from `from`.
  #sync(node: SimNode, from: bigint): void {
    const peers = this.nodes.filter((p) => p.id !== node.id && !p.crashed && !p.behaviour.silent && p.height >= from);
    if (peers.length === 0) return;
    const peer = peers[this.rng.int(peers.length)] as SimNode;
    if (!this.#reachable(node.id, peer.id) || this.rng.chance(this.opts.lossRate)) return;
    const entries = peer.chain.filter((e) => e.info.number >= from).slice(0, 32);
    this.#queue.push(this.now + 2 * (this.opts.delayMs + this.rng.next() * this.opts.jitterMs), { kind: "sync", to: node.id, from: peer.id, entries });
  }
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export type { AggregateProof };
