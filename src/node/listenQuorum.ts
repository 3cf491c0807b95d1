/**
 * Whole-network restart without waiting out the doppelganger guard (issue 8 item 7).
 *
 * A restarted validator listens for a few rounds before it signs, so that another instance of its keys
 * gives itself away first (the state machine's guard). When the whole network restarts, every
 * validator listens at once, no round can complete, and only view timeouts end the listening. Here a
 * listening validator announces that it listens — `consensus/listening`: a random nonce of this
 * process, the wall time, and every (slot, nonce) it has seen announced by others, signed by its BLS
 * keys — and ends its listening early once validators holding a quorum (> 2/3 of the power, its own
 * slots not counted) have echoed its nonce and no other one for its slots, and at least `settleMs`
 * have passed since its first announcement.
 *
 * Why a real doppelganger still cannot sign (keys K running in process A and in process B):
 * 1. A and B both restarted and listening. A counts an echo from slot s only if it lists A's nonce and
 *    no other nonce for K; B likewise with B's. The two quorums share > 1/3 of the power, so (with
 *    < 1/3 faulty) they share an honest validator C whose echoes both counted. C's seen set only
 *    grows while C runs, so the later of those two echoes lists both nonces — a contradiction.
 *    Hence at most one of A and B ends its listening this way; the other keeps the rounds of the
 *    plain guard, and meanwhile it receives the first one's announcements and signatures (a verified
 *    announcement for our keys with a nonce that is not ours is a doppelganger: the node refuses to
 *    sign, as for a foreign vote). (C must not restart in between: a restart empties its seen set, so
 *    such a C counts as one of the faulty.)
 * 2. B is running and signing (not restarted) while A restarts. Only restarted validators announce,
 *    so A can only skip if a quorum is restarting: the network is stalled and B commits nothing. Every validator, listening or not,
 *    checks announcements: B receives A's first announcement (gossip reaches it like any consensus
 *    message) and stops signing for good; A signs only `settleMs` after that first announcement, so
 *    with a message delay below settleMs / 2 B has stopped before A signs and A has received whatever
 *    B signed before stopping (which halts A through the state machine's guard). This is the same
 *    timing assumption the round-based guard makes (an active doppelganger is heard within the
 *    listening rounds), over a shorter window, and only when a quorum is itself restarting.
 * Announcements are signed under their own domain tag, so no announcement can ever pass for a vote.
 * Replays: announcements carry the wall time and are ignored outside ±`maxSkewMs`, and one of our
 * keys is only alarming when its announcement is newer than this process (an announcement of our own
 * previous run, still in flight, is not another instance).
 */
import { RLP } from "@ethereumjs/rlp";
import { type Committee, type SignatureCheck, bitmapFromSlots, isQuorum, isValidBitmap, keysOfBitmap, slotsOfBitmap, slotsPower } from "../consensus/index.ts";
import { type GossipMessage, ValidationResult } from "../p2p/index.ts";
import { bytesToHex, concatBytes, hexToBytes } from "../util/bytes.ts";
import type { DriverClock } from "./driverTypes.ts";

/** Gossip topic of listening announcements. */
export const LISTENING_TOPIC = "consensus/listening";
const TAG = new TextEncoder().encode("harmony-ts/consensus/listening/v1");
const NONCE_BYTES = 16;
/** Nonces one slot may carry in an echo: more than a few instances of one key is garbage. */
const MAX_NONCES_PER_SLOT = 8;

/** Options of {@link ListenQuorum}. */
export interface ListenQuorumOptions {
  readonly committee: Committee;
  readonly mySlots: readonly number[];
  readonly genesisHash: Uint8Array;
  /** Tick of the announcements while listening (default 250 ms): one when what we echo changed, else one every 4 ticks. */
  readonly intervalMs?: number;
  /** Least time from the first announcement to the end of listening (default 1500 ms). */
  readonly settleMs?: number;
  /** Keep announcing this long after listening ended by quorum, for the peers that still wait (default 3000 ms). */
  readonly lingerMs?: number;
  /** Announcements further than this from our clock are ignored (default 30 s). */
  readonly maxSkewMs?: number;
  /** This process's nonce (default random). */
  readonly nonce?: Uint8Array;
}

/** Services of {@link ListenQuorum}. */
export interface ListenQuorumModules {
  /** Aggregate signature of our keys of `slots` over `message`. */
  sign(slots: readonly number[], message: Uint8Array): Uint8Array;
  verify(check: SignatureCheck): Promise<boolean>;
  publish(data: Uint8Array): void;
  readonly clock: DriverClock;
  /** True while the driver's doppelganger guard listens, or will listen once it starts. */
  listening(): boolean;
  /** End the listening period now. */
  onQuorum(): void;
  /** Another instance of our keys exists: never sign. */
  onDoppelganger(what: string): void;
  readonly logger: { info(msg: string, ctx?: Record<string, unknown>): void; debug(msg: string, ctx?: Record<string, unknown>): void };
}

interface Announcement {
  readonly nonce: Uint8Array;
  readonly timeMs: number;
  readonly signers: Uint8Array;
  readonly seen: ReadonlyMap<number, readonly string[]>;
  readonly signature: Uint8Array;
}

// Minimal big-endian bytes, as RLP integers are.
function uintBytes(n: number): Uint8Array {
  const out: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) out.unshift(x % 256);
  return Uint8Array.from(out);
}

function bytesUint(b: unknown, max: number): number {
  if (!(b instanceof Uint8Array) || b.length > 6 || (b.length > 0 && b[0] === 0)) throw new SyntaxError("bad integer");
  let n = 0;
  for (const x of b) n = n * 256 + x;
  if (n > max) throw new RangeError("integer out of range");
  return n;
}

function body(nonce: Uint8Array, timeMs: number, signers: Uint8Array, seen: ReadonlyMap<number, readonly string[]>): Uint8Array[] | unknown[] {
  const entries = [...seen].sort((a, b) => a[0] - b[0]).map(([slot, ns]) => [uintBytes(slot), ns.map((h) => hexToBytes(h))]);
  return [nonce, uintBytes(timeMs), signers, entries];
}

function decode(data: Uint8Array, committeeSize: number): Announcement {
  const top = RLP.decode(data) as unknown;
  if (!Array.isArray(top) || top.length !== 5) throw new SyntaxError("expected [nonce, time, signers, seen, signature]");
  const [nonce, time, signers, entries, signature] = top as unknown[];
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_BYTES) throw new SyntaxError("bad nonce");
  if (!(signers instanceof Uint8Array) || !isValidBitmap(signers, committeeSize) || slotsOfBitmap(signers).length === 0) throw new SyntaxError("bad signers");
  if (!(signature instanceof Uint8Array) || signature.length !== 96) throw new SyntaxError("bad signature");
  if (!Array.isArray(entries) || entries.length > committeeSize) throw new SyntaxError("bad seen list");
  const seen = new Map<number, string[]>();
  for (const e of entries as unknown[]) {
    if (!Array.isArray(e) || e.length !== 2 || !Array.isArray(e[1]) || e[1].length > MAX_NONCES_PER_SLOT) throw new SyntaxError("bad seen entry");
    const slot = bytesUint(e[0], committeeSize - 1);
    const ns = (e[1] as unknown[]).map((n) => {
      if (!(n instanceof Uint8Array) || n.length !== NONCE_BYTES) throw new SyntaxError("bad seen nonce");
      return bytesToHex(n);
    });
    seen.set(slot, ns);
  }
  return { nonce, timeMs: bytesUint(time, Number.MAX_SAFE_INTEGER), signers, seen, signature };
}

/** The listening announcements of one validator (see the module comment). */
export class ListenQuorum {
  readonly #o: ListenQuorumOptions;
  readonly #m: ListenQuorumModules;
  readonly #nonce: Uint8Array;
  readonly #nonceHex: string;
  readonly #startedAt: number;
  /** slot → nonces announced for it by others (only grows). */
  readonly #seen = new Map<number, Set<string>>();
  /** Slots whose echo names our nonce and no other for our slots. */
  readonly #echoes = new Set<number>();
  #firstAt: number | undefined;
  #endedAt: number | undefined;
  #alarmedAt: number | undefined;
  #timer: unknown;
  #stopped = true;
  #changed = false;
  #lastSentAt: number | undefined;

  constructor(opts: ListenQuorumOptions, modules: ListenQuorumModules) {
    this.#o = opts;
    this.#m = modules;
    this.#nonce = opts.nonce ?? crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
    if (this.#nonce.length !== NONCE_BYTES) throw new RangeError(`nonce must be ${NONCE_BYTES} bytes`);
    this.#nonceHex = bytesToHex(this.#nonce);
    this.#startedAt = modules.clock.now();
  }

  /** Start ticking (announce while listening, end the listening on a quorum). */
  start(): void {
    if (!this.#stopped || this.#o.mySlots.length === 0) return;
    this.#stopped = false;
    this.#timer = this.#m.clock.setTimeout(() => this.#tick(), 0);
  }

  /** Stop ticking (no more announcements; received ones are still checked). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#m.clock.clearTimeout(this.#timer);
  }

  /** True once a restart quorum ended (or will end) our listening: a quorum of the committee is alive and reachable. */
  get reached(): boolean {
    return this.#endedAt !== undefined;
  }

  /** Slots that echoed our nonce cleanly (for tests and logs). */
  get echoes(): readonly number[] {
    return [...this.#echoes].sort((a, b) => a - b);
  }

  #tick(): void {
    if (this.#stopped) return;
    const now = this.#m.clock.now();
    const listening = this.#m.listening() && this.#alarmedAt === undefined;
    if (listening) this.#firstAt ??= now;
    // After the end (by quorum, or by an alarm) keep announcing a little: peers still listening need
    // our echo, and another instance of our keys must hear of us too.
    const lingerMs = this.#o.lingerMs ?? 3_000;
    const lingering = [this.#endedAt, this.#alarmedAt].some((t) => t !== undefined && now - t < lingerMs);
    // Every node verifies every announcement: send one when what we echo changed, else a heartbeat.
    const heartbeatMs = 4 * (this.#o.intervalMs ?? 250);
    if ((listening || lingering) && (this.#changed || this.#lastSentAt === undefined || now - this.#lastSentAt >= heartbeatMs)) {
      this.#changed = false;
      this.#lastSentAt = now;
      this.#m.publish(this.#announcement(now));
    }
    // Asked again on every tick while listening: the quorum may be reached before the driver starts.
    if (listening && (this.#endedAt !== undefined || (now - (this.#firstAt as number) >= (this.#o.settleMs ?? 1_500) && this.#quorum()))) {
      if (this.#endedAt === undefined) {
        this.#endedAt = now;
        this.#m.logger.info("a quorum of the committee is restarting too (listening announcements echo our nonce); signing without waiting out the listening rounds", { echoes: this.echoes });
      }
      this.#m.onQuorum();
    }
    this.#timer = this.#m.clock.setTimeout(() => this.#tick(), this.#o.intervalMs ?? 250);
  }

  #quorum(): boolean {
    return isQuorum(slotsPower(this.#o.committee, this.#echoes), this.#o.committee.totalPower);
  }

  #announcement(now: number): Uint8Array {
    const { committee, mySlots, genesisHash } = this.#o;
    const signers = bitmapFromSlots(committee.size, mySlots);
    const seen = new Map([...this.#seen].map(([s, ns]) => [s, [...ns].slice(0, MAX_NONCES_PER_SLOT)]));
    const b = body(this.#nonce, now, signers, seen);
    const signature = this.#m.sign(mySlots, concatBytes(TAG, genesisHash, RLP.encode(b as Uint8Array[])));
    return RLP.encode([...b, signature] as Uint8Array[]);
  }

  /** Handle a gossiped announcement: REJECT garbage and bad signatures, record the rest. */
  async receive(msg: Pick<GossipMessage, "data">): Promise<ValidationResult> {
    const { committee, mySlots, genesisHash } = this.#o;
    let a: Announcement;
    try {
      a = decode(msg.data, committee.size);
    } catch {
      return ValidationResult.REJECT;
    }
    const now = this.#m.clock.now();
    if (Math.abs(now - a.timeMs) > (this.#o.maxSkewMs ?? 30_000)) return ValidationResult.IGNORE;
    const nonceHex = bytesToHex(a.nonce);
    const slots = slotsOfBitmap(a.signers);
    const ours = slots.filter((s) => mySlots.includes(s));
    if (ours.length > 0 && nonceHex === this.#nonceHex) return ValidationResult.IGNORE;
    const message = concatBytes(TAG, genesisHash, RLP.encode(body(a.nonce, a.timeMs, a.signers, a.seen) as Uint8Array[]));
    if (!(await this.#m.verify({ publicKeys: keysOfBitmap(committee, a.signers), message, signature: a.signature }))) return ValidationResult.REJECT;
    if (ours.length > 0) {
      // Our own previous run's last words may still be on the wire; only a newer one is another instance.
      if (a.timeMs >= this.#startedAt && this.#alarmedAt === undefined) {
        this.#alarmedAt = now;
        this.#m.onDoppelganger(`a listening announcement signed by our slots ${ours.join(",")} from another process (nonce ${nonceHex})`);
      }
      return ValidationResult.ACCEPT;
    }
    for (const s of slots) {
      let set = this.#seen.get(s);
      if (set === undefined) this.#seen.set(s, (set = new Set()));
      if (set.size < MAX_NONCES_PER_SLOT && !set.has(nonceHex)) {
        set.add(nonceHex);
        this.#changed = true;
      }
    }
    const clean = mySlots.length > 0 && mySlots.every((m) => {
      const ns = a.seen.get(m);
      return ns !== undefined && ns.length === 1 && ns[0] === this.#nonceHex;
    });
    if (clean) for (const s of slots) this.#echoes.add(s);
    return ValidationResult.ACCEPT;
  }
}
