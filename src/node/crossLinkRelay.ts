/**
 * Crosslinks between shard and beacon nodes (DESIGN §Sharding). A shard's current leader sends the
 * final headers after the beacon chain's last crosslink of its shard, with their commit proofs, on
 * the beacon network's `crosslinks` topic (at most 16 per message, again every few seconds until the
 * beacon has them: a lost message or a killed leader delays a link, never drops it). Beacon nodes
 * keep the links that verify against the shard's committee of the link's epoch in a bounded pool and
 * offer them to the blocks they lead; the chain includes the ones that come next, in order. A node's
 * own links are published with local delivery: a gossip publish marks the message seen, so a peer's
 * copy of it is a duplicate here, and a validator runs the beacon shard beside the one it leads.
 * @module
 */
import type { Chain } from "../chain/index.ts";
import type { SignatureCheck } from "../consensus/index.ts";
import { type GossipMessage, type P2P, Topic, ValidationResult } from "../p2p/index.ts";
import { type CrossLink, MAX_CROSSLINKS_PER_BLOCK, createCrossLink, decodeCrossLinks, encodeCrossLinks, getCommitteeSpec, getCrossLinkCheck } from "../shard/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import type { Logger } from "../util/logger.ts";

/** Links kept per shard ahead of the beacon's last crosslink of it; later ones wait for a resend. */
export const CROSSLINK_POOL_WINDOW = 1024n;

/** Verifies signature checks (the node's BLS pool fits). */
export interface ChecksVerifier {
  verify(checks: readonly SignatureCheck[]): Promise<boolean[]>;
}

/** The beacon node's pool of verified crosslinks not yet in its chain. */
export class CrossLinkPool {
  readonly #byShard = new Map<number, Map<bigint, CrossLink>>();

  constructor(
    private readonly beacon: Pick<Chain, "db" | "isEpochSettled" | "shardStateAt" | "config">,
    private readonly verifier: ChecksVerifier,
    private readonly logger: Logger,
  ) {}

  /** Number of links held. */
  get size(): number {
    let n = 0;
    for (const m of this.#byShard.values()) n += m.size;
    return n;
  }

  /** Links to offer a block, by shard then number. */
  pending(): CrossLink[] {
    this.prune();
    const out: CrossLink[] = [];
    for (const shard of [...this.#byShard.keys()].sort((a, b) => a - b)) {
      const m = this.#byShard.get(shard) as Map<bigint, CrossLink>;
      out.push(...[...m.values()].sort((a, b) => (a.blockNumber < b.blockNumber ? -1 : 1)));
    }
    return out;
  }

  /** Forget the links the chain has crosslinked (or passed). */
  prune(): void {
    for (const [shard, m] of this.#byShard) {
      const tip = this.#tip(shard);
      for (const n of m.keys()) if (n <= tip) m.delete(n);
    }
  }

  /** The gossip handler of the `crosslinks` topic. */
  async receive(msg: GossipMessage): Promise<ValidationResult> {
    let links: CrossLink[];
    try {
      links = decodeCrossLinks(msg.data);
    } catch {
      return ValidationResult.REJECT;
    }
    return await this.add(links);
  }

  /** Pool the links of one message: REJECT when one is malformed or fails its check, IGNORE when none is new. */
  async add(links: readonly CrossLink[]): Promise<ValidationResult> {
    if (links.length === 0 || links.length > MAX_CROSSLINKS_PER_BLOCK) return ValidationResult.REJECT;
    const fresh: { link: CrossLink; check: SignatureCheck }[] = [];
    for (const link of links) {
      if (link.shardId <= 0 || link.shardId >= this.beacon.config.shardCount) return ValidationResult.REJECT;
      const tip = this.#tip(link.shardId);
      const held = this.#byShard.get(link.shardId)?.get(link.blockNumber);
      if (link.blockNumber <= tip || link.blockNumber > tip + CROSSLINK_POOL_WINDOW || (held !== undefined && bytesToHex(held.blockHash) === bytesToHex(link.blockHash))) continue;
      // A link of an epoch our beacon chain has not settled yet comes again with the next resend.
      if (!this.beacon.isEpochSettled(link.epoch)) continue;
      const c = getCrossLinkCheck(link, getCommitteeSpec(this.beacon.shardStateAt(link.epoch), link.shardId));
      if (!c.ok) {
        this.logger.warn("crosslink refused", { shard: link.shardId, block: link.blockNumber, code: c.code, reason: c.reason });
        return ValidationResult.REJECT;
      }
      fresh.push({ link, check: c.check });
    }
    if (fresh.length === 0) return ValidationResult.IGNORE;
    const ok = await this.verifier.verify(fresh.map((f) => f.check));
    if (ok.some((v) => v !== true)) return ValidationResult.REJECT;
    for (const { link } of fresh) {
      let m = this.#byShard.get(link.shardId);
      if (m === undefined) this.#byShard.set(link.shardId, (m = new Map()));
      m.set(link.blockNumber, link);
    }
    return ValidationResult.ACCEPT;
  }

  #tip(shard: number): bigint {
    return this.beacon.db.getLastCrossLink(shard)?.blockNumber ?? 0n;
  }
}

/** Pool the crosslinks that arrive on `p2p` (the beacon network), our own sender's among them. Returns the stop function. */
export function listenCrossLinks(p2p: Pick<P2P, "subscribe">, pool: CrossLinkPool): () => void {
  return p2p.subscribe(Topic.CROSSLINKS, (msg) => pool.receive(msg));
}

/**
 * The links a shard node sends next: its final blocks after the beacon's last crosslink of the
 * shard (as its beacon follower knows it), at most 16, each with its commit proof.
 */
export function nextCrossLinks(shard: Pick<Chain, "shardId" | "head" | "getHeaderByNumber" | "getCommitProof">, beacon: Pick<Chain, "db">): CrossLink[] {
  const tip = beacon.db.getLastCrossLink(shard.shardId)?.blockNumber ?? 0n;
  const out: CrossLink[] = [];
  for (let n = tip + 1n; n <= shard.head.number && out.length < MAX_CROSSLINKS_PER_BLOCK; n++) {
    const h = shard.getHeaderByNumber(n);
    const proof = h === undefined ? undefined : shard.getCommitProof(h.hash);
    if (h === undefined || proof === undefined) break;
    out.push(createCrossLink(h, { signature: proof.sig, bitmap: proof.bitmap }));
  }
  return out;
}

/**
 * Send our shard's next crosslinks while we lead (`isLeader`): on every new head and every
 * `resendMs`. Returns the stop function.
 */
export function startCrossLinkSender(
  o: { resendMs?: number },
  m: { shard: Pick<Chain, "shardId" | "head" | "getHeaderByNumber" | "getCommitProof" | "on">; beacon: Pick<Chain, "db">; p2p: Pick<P2P, "publish">; isLeader: () => boolean; logger: Logger },
): () => void {
  const send = () => {
    if (!m.isLeader()) return;
    try {
      const links = nextCrossLinks(m.shard, m.beacon);
      if (links.length === 0) return;
      m.p2p.publish(Topic.CROSSLINKS, encodeCrossLinks(links), { local: true });
    } catch (e) {
      m.logger.warn("sending crosslinks failed", { error: e });
    }
  };
  const off = m.shard.on("head", send);
  const timer = setInterval(send, o.resendMs ?? 3_000);
  return () => {
    off();
    clearInterval(timer);
  };
}
