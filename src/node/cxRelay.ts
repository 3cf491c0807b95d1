/**
 * Cross-shard receipts between shards (DESIGN §Sharding): once a block that sent receipts is final,
 * the nodes of its shard send, for each destination shard, the receipts with their proof on the
 * beacon network's topic `cx/<destination>` (every node of every shard is on the beacon network; the
 * bytes are the same from every sender, so gossip delivers them once) and send them again for a
 * while, so a destination node that was down or a lost message still gets them. Destination nodes
 * keep the proofs that are well formed and not yet credited in a bounded pool; the leader offers them
 * to its block, and the chain credits the ones whose source block the beacon chain has crosslinked.
 * A node's own proofs are published with local delivery: a gossip publish marks the message seen, so
 * the copy a peer sends back is a duplicate here — a validator runs several shards, and its
 * destination pool would miss every proof its source side sent first (a shard-0 leader then left such
 * receipts out until the seen-cache forgot them).
 * @module
 */
import type { Chain } from "../chain/index.ts";
import { type CxProof, CxError, decodeCxProof, encodeCxProof } from "../core/index.ts";
import { verifyCxProof } from "../execution/index.ts";
import { type GossipMessage, type P2P, ValidationResult } from "../p2p/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import type { Logger } from "../util/logger.ts";

/** The gossip topic of receipts bound for `shardId`. */
export const cxTopic = (shardId: number): string => `cx/${shardId}`;
/** Proofs a destination node holds at most. */
export const MAX_PENDING_CX_PROOFS = 4096;
/** How long a sent proof is sent again (ms) until credited, and how often (by nodes that run its destination). */
export const CX_RESEND_WINDOW_MS = 5 * 60_000;
export const CX_RESEND_EVERY_MS = 20_000;

/** What the pool reads of the destination chain. */
export type CxPoolChain = Pick<Chain, "shardId" | "config" | "isCxReceiptSpent">;

/** A destination node's pool of incoming receipt proofs not yet credited. */
export class CxPool {
  readonly #proofs = new Map<string, CxProof>();

  constructor(private readonly chain: CxPoolChain) {}

  /** The shard whose incoming proofs it holds. */
  get shardId(): number {
    return this.chain.shardId;
  }

  get size(): number {
    return this.#proofs.size;
  }

  /** Proofs by source shard then block number (the chain takes the crosslinked, unspent ones). */
  pending(): CxProof[] {
    return [...this.#proofs.values()].sort((a, b) => a.header.shardId - b.header.shardId || (a.header.number < b.header.number ? -1 : a.header.number > b.header.number ? 1 : 0));
  }

  /** Forget proofs whose receipts are all credited. */
  prune(): void {
    for (const [k, p] of this.#proofs) if (p.receipts.every((r) => this.chain.isCxReceiptSpent(r.receipt, r.index))) this.#proofs.delete(k);
  }

  /** Add a proof: REJECT when malformed or not proving receipts for us, IGNORE when known, credited or the pool is full. */
  add(proof: CxProof): ValidationResult {
    try {
      // The crosslink is the chain's question at inclusion time; everything else is checked now.
      verifyCxProof(proof, { shardId: this.chain.shardId, isCrosslinked: () => true });
    } catch (e) {
      if (e instanceof CxError) return ValidationResult.REJECT;
      throw e;
    }
    const key = `${proof.header.shardId}:${bytesToHex(proof.header.hash)}`;
    if (this.#proofs.has(key) || proof.receipts.every((r) => this.chain.isCxReceiptSpent(r.receipt, r.index))) return ValidationResult.IGNORE;
    if (this.#proofs.size >= MAX_PENDING_CX_PROOFS) {
      this.prune();
      if (this.#proofs.size >= MAX_PENDING_CX_PROOFS) return ValidationResult.IGNORE;
    }
    this.#proofs.set(key, proof);
    return ValidationResult.ACCEPT;
  }

  /** The gossip handler of `cx/<our shard>`. */
  receive(msg: GossipMessage): ValidationResult {
    let proof: CxProof;
    try {
      proof = decodeCxProof(msg.data, this.chain.config.maxIncomingReceiptsPerBlock);
    } catch {
      return ValidationResult.REJECT;
    }
    return this.add(proof);
  }
}

/**
 * Pool the proofs for `pool`'s shard that arrive on `p2p` (the beacon network), those our own
 * {@link startCxSender} on the same `p2p` sends among them. Returns the stop function.
 */
export function listenCxProofs(p2p: Pick<P2P, "subscribe">, pool: CxPool): () => void {
  return p2p.subscribe(cxTopic(pool.shardId), (msg) => pool.receive(msg));
}

/**
 * Send the receipts of each final block of `chain` to their destination shards over gossip. A node
 * that also runs the destination shard (`isCredited` answers) sends them again every
 * {@link CX_RESEND_EVERY_MS}, for {@link CX_RESEND_WINDOW_MS}, until they are credited there —
 * directly to each peer, because gossip drops a message it has seen for minutes, while the peer that
 * missed it (restarted, partitioned) needs it now. Returns the stop function.
 */
export function startCxSender(m: {
  chain: Pick<Chain, "on" | "getOutgoingCxReceipts" | "getCxProof">;
  p2p: Pick<P2P, "publish" | "peers" | "sendTo">;
  logger: Logger;
  /** True when every receipt of the proof is credited on its destination (undefined: this node cannot tell). */
  isCredited?: (proof: CxProof) => boolean | undefined;
  now?: () => number;
  resendEveryMs?: number;
}): () => void {
  const now = m.now ?? Date.now;
  const every = m.resendEveryMs ?? CX_RESEND_EVERY_MS;
  const recent: { number: bigint; toShard: number; at: number }[] = [];
  const send = (number: bigint, toShard: number) => {
    const proof = m.chain.getCxProof(number, toShard);
    if (proof === undefined) return;
    m.p2p.publish(cxTopic(toShard), encodeCxProof(proof), { local: true });
  };
  const off = m.chain.on("block", (b) => {
    try {
      const out = m.chain.getOutgoingCxReceipts(b.block.hash) ?? [];
      for (const to of new Set(out.map((r) => r.toShard))) {
        send(b.block.number, to);
        recent.push({ number: b.block.number, toShard: to, at: now() });
      }
    } catch (e) {
      m.logger.warn("sending cross-shard receipts failed", { block: b.block.number, error: e });
    }
  });
  const resend = () => {
    while (recent.length > 0 && (recent[0] as { at: number }).at < now() - CX_RESEND_WINDOW_MS) recent.shift();
    for (let i = 0; i < recent.length; i++) {
      const r = recent[i] as { number: bigint; toShard: number; at: number };
      if (r.at > now() - every) continue;
      try {
        const proof = m.chain.getCxProof(r.number, r.toShard);
        const credited = proof === undefined ? true : m.isCredited?.(proof);
        if (credited !== false) {
          // Credited, or this node cannot tell: it sent them once, as every node of the shard did.
          recent.splice(i--, 1);
          continue;
        }
        const bytes = encodeCxProof(proof as CxProof);
        for (const peer of m.p2p.peers()) m.p2p.sendTo(peer.id, cxTopic(r.toShard), bytes);
      } catch (e) {
        m.logger.warn("resending cross-shard receipts failed", { block: r.number, error: e });
      }
    }
  };
  const timer = setInterval(resend, every);
  return () => {
    off();
    clearInterval(timer);
  };
}
