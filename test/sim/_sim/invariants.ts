/**
 * Invariants the simulator checks after every step:
 * - agreement: no two different blocks committed at one height, across all non-Byzantine nodes;
 * - the safety record of each honest node is never violated: its view never decreases, it never
 *   records PREPARE for two blocks at one (height, view), COMMIT for two blocks at one height, or two
 *   VIEWCHANGE claims at one (height, view), even across restarts;
 * - persist before send: every signature an honest node sends is covered by its durable record.
 */
import type { ConsensusMessage, SafetyRecord } from "../../../src/consensus/index.ts";

/** Thrown when an invariant breaks; the test prints the seed. */
export class InvariantError extends Error {}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Everything an honest node has ever recorded as signed. */
export class SignedHistory {
  #prepares = new Map<string, string>();
  #commits = new Map<string, string>();
  #viewChanges = new Map<string, string>();
  #last: SafetyRecord | null = null;

  /** Check a newly persisted record against the history and add it. */
  persist(node: number, r: SafetyRecord): void {
    const fail = (what: string) => {
      throw new InvariantError(`node ${node}: safety record violated: ${what}`);
    };
    if (this.#last && (r.view < this.#last.view || r.height < this.#last.height)) fail(`view/height went back ${this.#last.height}/${this.#last.view} → ${r.height}/${r.view}`);
    const put = (m: Map<string, string>, key: string, value: string, what: string) => {
      const old = m.get(key);
      if (old !== undefined && old !== value) fail(`${what} at ${key}: ${old.slice(0, 8)} then ${value.slice(0, 8)}`);
      m.set(key, value);
    };
    if (r.prepare) put(this.#prepares, `${r.height}/${r.prepare.view}`, hex(r.prepare.hash), "two PREPAREs");
    if (r.commit) put(this.#commits, `${r.height}`, hex(r.commit.hash), "two COMMITs");
    if (r.viewChange) put(this.#viewChanges, `${r.height}/${r.viewChange.view}`, hex(r.viewChange.lockHash), "two VIEWCHANGE claims");
    this.#last = r;
  }

  /**
   * Check that a signature this node is about to send was durably recorded before: everything it
   * signs must already be in the history of persisted records. Messages signed by other keys (a
   * relayed VIEWCHANGE) are not this node's signatures.
   */
  covers(node: number, mySigners: Uint8Array, m: ConsensusMessage): void {
    const fail = (why: string) => {
      throw new InvariantError(`node ${node}: ${m.kind} ${m.height}/${m.view} sent before its safety record was written (${why})`);
    };
    const mine = m.signers.length === mySigners.length && m.signers.every((b, i) => (b & ~(mySigners[i] as number)) === 0);
    if (!mine) return;
    const h = (x: Uint8Array) => hex(x);
    // A certificate that includes our keys carries our vote.
    const inCert = (bitmap: Uint8Array) => mySigners.some((b, i) => b !== 0 && ((bitmap[i] ?? 0) & b) === b);
    switch (m.kind) {
      case "prepare":
      case "announce":
        if (this.#prepares.get(`${m.height}/${m.view}`) !== h(m.blockHash)) fail("prepare");
        return;
      case "prepared":
        if (inCert(m.cert.bitmap) && ![...this.#prepares].some(([k, v]) => k.startsWith(`${m.height}/`) && v === h(m.blockHash))) fail("prepare in cert");
        return;
      case "commit":
        if (this.#commits.get(`${m.height}`) !== h(m.blockHash)) fail("commit");
        return;
      case "committed":
        if (inCert(m.cert.bitmap) && this.#commits.get(`${m.height}`) !== h(m.blockHash)) fail("commit in cert");
        return;
      case "viewchange":
        if (this.#viewChanges.get(`${m.height}/${m.view}`) !== h(m.lockHash)) fail("viewchange");
        return;
      default:
        return;
    }
  }
}

/** Agreement across nodes: height → hash of the block committed there. */
export class CommitLog {
  readonly byHeight = new Map<bigint, string>();

  record(node: number, height: bigint, hash: Uint8Array): void {
    const h = hex(hash);
    const old = this.byHeight.get(height);
    if (old !== undefined && old !== h) throw new InvariantError(`agreement violated at height ${height}: ${old.slice(0, 12)} and ${h.slice(0, 12)} (node ${node})`);
    this.byHeight.set(height, h);
  }
}
