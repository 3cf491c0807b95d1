/**
 * A simulated network of restart announcements (src/node/listenQuorum.ts): validators (and doppelganger
 * processes holding the same keys) with real BLS keys, a virtual clock, and gossip delivered to every
 * other process after a seeded random delay. Each process either listens (a restarted validator whose
 * guard has not ended) or signs (a running one that never announces but checks every announcement).
 */
import { type Committee, createCommittee } from "../../../src/consensus/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { ListenQuorum } from "../../../src/node/listenQuorum.ts";
import { type Prng, createPrng } from "./prng.ts";

/** One process of the simulated network. */
export interface ListenProc {
  readonly id: number;
  readonly slots: readonly number[];
  listening: boolean;
  /** Virtual time its listening ended by a quorum, or null. */
  endedAt: number | null;
  doppelganger: string | null;
  readonly lq: ListenQuorum;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** The simulated network. */
export class ListenNet {
  now = 0;
  readonly procs: ListenProc[] = [];
  readonly committee: Committee;
  #timers: Timer[] = [];
  #seq = 0;
  #handles = new Map<number, Timer>();
  readonly #rng: Prng;
  readonly #cut = new Set<string>();

  private constructor(readonly bls: BLS, readonly secrets: Uint8Array[], seed: number, readonly maxDelayMs: number) {
    this.committee = createCommittee({ keys: secrets.map((s) => bls.secretToPublic(s)) });
    this.#rng = createPrng(seed);
  }

  /** A committee of `size` one-key validators. */
  static async create(size: number, seed: number, maxDelayMs = 50): Promise<ListenNet> {
    const bls = await createBLS("auto");
    const secrets = Array.from({ length: size }, (_, i) => bls.keygen(new Uint8Array(32).fill(i + 1)));
    return new ListenNet(bls, secrets, seed, maxDelayMs);
  }

  #setTimeout(fn: () => void, ms: number): number {
    const t = { at: this.now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(t);
    this.#handles.set(t.seq, t);
    return t.seq;
  }

  /** Add a process holding the keys of `slots`, listening or signing, started now. */
  add(slots: number[], listening: boolean): ListenProc {
    const id = this.procs.length;
    const clock = { now: () => this.now, setTimeout: (fn: () => void, ms: number) => this.#setTimeout(fn, ms), clearTimeout: (h: unknown) => void this.#handles.delete(h as number) };
    const proc: ListenProc = {
      id, slots, listening, endedAt: null, doppelganger: null,
      lq: new ListenQuorum({ committee: this.committee, mySlots: slots, genesisHash: new Uint8Array(32).fill(7) }, {
        sign: (sl, m) => {
          const sigs = sl.map((s) => this.bls.sign(this.secrets[s] as Uint8Array, m));
          return sigs.length === 1 ? (sigs[0] as Uint8Array) : this.bls.aggregateSignatures(sigs);
        },
        verify: async (c) => this.bls.fastAggregateVerify([...c.publicKeys], c.message, c.signature),
        publish: (data) => {
          for (const other of this.procs) {
            if (other.id === id || this.#cut.has(`${id}>${other.id}`)) continue;
            this.#setTimeout(() => void other.lq.receive({ data }), this.#rng.next() * this.maxDelayMs);
          }
        },
        clock,
        listening: () => proc.listening && proc.doppelganger === null,
        onQuorum: () => {
          proc.listening = false;
          proc.endedAt = this.now;
        },
        onDoppelganger: (what) => {
          proc.doppelganger ??= what;
        },
        logger: { info: () => undefined, debug: () => undefined },
      }),
    };
    this.procs.push(proc);
    proc.lq.start();
    return proc;
  }

  /** Drop every message between processes `a` and `b`, both ways (they only hear of each other through the rest). */
  cut(a: number, b: number): void {
    this.#cut.add(`${a}>${b}`).add(`${b}>${a}`);
  }

  /** Run timers in time order until `until` (virtual ms), letting async verification settle after each. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      const live = this.#timers.filter((t) => this.#handles.has(t.seq));
      live.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const t = live[0];
      this.#timers = live.slice(1);
      if (t === undefined || t.at > until) {
        if (t !== undefined) this.#timers.unshift(t);
        this.now = until;
        return;
      }
      this.#handles.delete(t.seq);
      this.now = t.at;
      t.fn();
      for (let i = 0; i < 4; i++) await Promise.resolve();
    }
  }
}
