/**
 * The invariants a fault run checks after every step:
 *   1. safety: no two nodes hold different blocks at one height (every block every node ever served is
 *      compared with the first one seen at that height, for the whole run);
 *   2. proofs: every block h ≥ 1 is proven by header h+1's lastCommitSig/lastCommitBitmap, a quorum of
 *      the genesis committee signing the commit payload (checked with the repo's BLS and codecs);
 *   3. no double signing: the vote logs (_voteLog.ts) show no key signing two conflicting messages,
 *      and no node holds double-sign evidence (`hmy_getDoubleSignEvidence`);
 *   4. convergence: the live nodes that can reach one another reach the same head within a bound.
 */
import { join } from "node:path";
import {
  type Committee, bitmapPower, commitPayload, createCommittee, isQuorum, isValidBitmap, keysOfBitmap,
} from "../../src/consensus/index.ts";
import type { BLS } from "../../src/crypto/index.ts";
import type { FaultNetwork } from "./_network.ts";
import { VOTE_LOG_FILE } from "./_network.ts";
import { VoteLogChecker } from "./_voteLog.ts";

/** A broken invariant; the message carries the evidence. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvariantError";
  }
}

interface SeenBlock {
  hash: string;
  viewId: bigint;
  lastCommitSig: string | undefined;
  lastCommitBitmap: string | undefined;
  node: string;
}

const BATCH = 100;

function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h.replace(/^0x/, ""), "hex"));
}

/** POST one JSON-RPC batch; results in request order. */
async function rpcBatch(url: string, calls: { method: string; params: unknown[] }[], timeoutMs = 10_000): Promise<unknown[]> {
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: "2.0", id, ...c }))),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await r.json()) as { id: number; result?: unknown; error?: { message?: string } }[];
  if (!Array.isArray(body)) throw new Error(`batch at ${url}: answer is not an array`);
  const out: unknown[] = new Array(calls.length);
  for (const x of body) {
    if (x.error) throw new Error(`batch at ${url}: ${calls[x.id]?.method}: ${x.error.message ?? "error"}`);
    out[x.id] = x.result;
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Why header `next` (from `next.node`) does not prove block `b`, or undefined when it does: its
 * lastCommitBitmap must hold a quorum of the committee and its lastCommitSig must be their aggregate
 * signature over the commit payload of `b` (DESIGN §Consensus).
 */
export function commitProofError(
  ctx: { committee: Committee; bls: Pick<BLS, "fastAggregateVerify"> },
  b: { number: number; hash: string; viewId: bigint },
  next: { lastCommitSig: string | undefined; lastCommitBitmap: string | undefined; node: string },
): string | undefined {
  const h = b.number;
  if (!next.lastCommitSig || !next.lastCommitBitmap) return `header ${h + 1} (from ${next.node}) carries no lastCommitSig/lastCommitBitmap`;
  const sig = hexBytes(next.lastCommitSig);
  const bitmap = hexBytes(next.lastCommitBitmap);
  const { committee } = ctx;
  if (!isValidBitmap(bitmap, committee.size)) return `block ${h}: bitmap ${next.lastCommitBitmap} does not fit a committee of ${committee.size}`;
  const power = bitmapPower(committee, bitmap);
  if (!isQuorum(power, committee.totalPower)) return `block ${h}: bitmap ${next.lastCommitBitmap} holds power ${power} of ${committee.totalPower}, not a quorum`;
  const payload = commitPayload(BigInt(h), hexBytes(b.hash), b.viewId);
  if (!ctx.bls.fastAggregateVerify(keysOfBitmap(committee, bitmap), payload, sig)) {
    return `block ${h} (${b.hash}, view ${b.viewId}): lastCommitSig of header ${h + 1} (from ${next.node}) does not verify against the committee keys of bitmap ${next.lastCommitBitmap}`;
  }
  return undefined;
}

/** The invariant state of one run. */
export class InvariantChecker {
  readonly #net: FaultNetwork;
  readonly #committee: Committee;
  readonly #blocks = new Map<number, SeenBlock>();
  readonly #checkedUpTo = new Map<string, number>();
  readonly #proven = new Set<number>();
  readonly #votes = new VoteLogChecker();

  constructor(net: FaultNetwork) {
    this.#net = net;
    // Committee order = genesis order (src/core/genesis.ts), equal power per key before staking.
    this.#committee = createCommittee({ keys: net.committeeKeys });
  }

  /** Highest height seen on any node. */
  get maxHeight(): number {
    return this.#blocks.size === 0 ? -1 : Math.max(...this.#blocks.keys());
  }

  /** Blocks whose commit proof has been verified. */
  get provenCount(): number {
    return this.#proven.size;
  }

  /** Vote-log lines read from `node` so far. */
  votesOf(node: string): number {
    return this.#votes.linesOf(node);
  }

  /** Forget what `node` served (its data dir was replaced): compare all its blocks again. */
  forget(node: string): void {
    this.#checkedUpTo.delete(node);
  }

  /** A node's head height. */
  async head(node: string): Promise<number> {
    const h = await this.#net.rpc(node, "eth_blockNumber");
    return Number.parseInt(String(h), 16);
  }

  /** Compare every block `node` serves, up to its head, with what the others served (invariant 1). */
  async checkSafety(node: string): Promise<number> {
    const head = await this.head(node);
    let h = (this.#checkedUpTo.get(node) ?? -1) + 1;
    while (h <= head) {
      const upTo = Math.min(head, h + BATCH - 1);
      const calls = Array.from({ length: upTo - h + 1 }, (_, i) => ({ method: "eth_getBlockByNumber", params: [`0x${(h + i).toString(16)}`, false] }));
      const blocks = (await rpcBatch(this.#net.node(node).endpoint.rpc, calls)) as (Record<string, unknown> | null)[];
      for (const b of blocks) {
        if (!b) throw new InvariantError(`${node} reports head ${head} but serves no block ${h}`);
        const seen: SeenBlock = {
          hash: String(b.hash).toLowerCase(),
          viewId: BigInt(String(b.viewID ?? "0x0")),
          lastCommitSig: typeof b.lastCommitSig === "string" ? b.lastCommitSig : undefined,
          lastCommitBitmap: typeof b.lastCommitBitmap === "string" ? b.lastCommitBitmap : undefined,
          node,
        };
        const prev = this.#blocks.get(h);
        if (prev && prev.hash !== seen.hash) {
          throw new InvariantError(`safety: two different blocks at height ${h}: ${prev.node} has ${prev.hash}, ${node} has ${seen.hash}`);
        }
        if (!prev) this.#blocks.set(h, seen);
        this.#checkedUpTo.set(node, h);
        h++;
      }
    }
    return head;
  }

  /** Verify the commit proof of every block whose successor is known and not yet checked (invariant 2). */
  checkProofs(): void {
    for (const [h, b] of this.#blocks) {
      if (h === 0 || this.#proven.has(h)) continue;
      const next = this.#blocks.get(h + 1);
      if (!next) continue;
      const why = commitProofError({ committee: this.#committee, bls: this.#net.bls }, { number: h, hash: b.hash, viewId: b.viewId }, next);
      if (why !== undefined) throw new InvariantError(`proof: ${why}`);
      this.#proven.add(h);
    }
  }

  /** Vote logs and double-sign evidence (invariant 3). */
  async checkSignatures(): Promise<void> {
    const problems: string[] = [];
    for (const n of this.#net.nodes.values()) problems.push(...this.#votes.check(n.name, join(n.endpoint.dataDir, VOTE_LOG_FILE)));
    for (const n of this.#net.running()) {
      const ev = await this.#net.rpc(n.name, "hmy_getDoubleSignEvidence");
      if (!Array.isArray(ev)) throw new InvariantError(`${n.name}: hmy_getDoubleSignEvidence answered ${JSON.stringify(ev)}, not a list`);
      if (ev.length > 0) problems.push(`${n.name} holds double-sign evidence: ${JSON.stringify(ev).slice(0, 1000)}`);
    }
    if (problems.length > 0) throw new InvariantError(`double signing:\n${problems.join("\n")}`);
  }

  /**
   * Wait until the running members of each group share one head: every member reaches the highest head
   * a member had when the wait began, with the same block there (invariant 4).
   * @throws {InvariantError} when they do not within `boundMs`.
   */
  async awaitConvergence(groups: string[][], boundMs: number): Promise<Record<string, number>> {
    const deadline = Date.now() + boundMs;
    const heads: Record<string, number> = {};
    for (const g of groups) {
      const members = g.filter((name) => this.#net.node(name).state === "running");
      if (members.length === 0) continue;
      let target = -1;
      for (const m of members) target = Math.max(target, await this.head(m).catch(() => -1));
      for (;;) {
        const hs = await Promise.all(members.map((m) => this.head(m).catch(() => -1)));
        members.forEach((m, i) => (heads[m] = hs[i] as number));
        if (hs.every((x) => x >= target)) break;
        if (Date.now() > deadline) {
          const exits = this.#net.unexpectedExits();
          throw new InvariantError(
            `convergence: within ${boundMs / 1000}s not every node of {${members.join(", ")}} reached height ${target}: ${members.map((m, i) => `${m}=${hs[i]}`).join(" ")}` +
              (exits.length > 0 ? `\n${exits.join("\n")}` : ""),
          );
        }
        await sleep(250);
      }
      // Same block at the target on every member: the safety comparison covers it once they served it.
      for (const m of members) await this.checkSafety(m);
    }
    return heads;
  }
}
