/**
 * Executions of blocks that were validated or built but not committed yet (a proposal under
 * consensus), kept by block hash so that committing the block later does not execute it again. The
 * results hold the state changes as write ops against the parent's root, so they stay valid as long
 * as the parent is the head; entries whose parent is no longer the head are dropped.
 */
import { type Block, encodeIncoming } from "../core/index.ts";
import type { BlockExecutionResult } from "../execution/index.ts";

/** A block whose execution has been checked against its header (or that we built). */
export interface VerifiedBlock {
  readonly block: Block;
  readonly senders: Uint8Array[];
  readonly result: BlockExecutionResult;
}

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** A small insertion-ordered cache of verified blocks. */
export class VerifiedBlockCache {
  readonly #entries = new Map<string, VerifiedBlock>();

  /** @param capacity most blocks kept (competing proposals of a height and a few views). */
  constructor(readonly capacity = 8) {}

  /** Keep a verified block (the oldest entry goes beyond the capacity). */
  put(v: VerifiedBlock): void {
    const k = hex(v.block.hash);
    this.#entries.delete(k);
    this.#entries.set(k, v);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  /**
   * The verified block with this hash, if it extends `parentHash` — and, given `body`, if it carries
   * the same incoming proofs: the header commits to the credited receipts, not to their proofs and
   * positions, so the same hash with another body is another block to check.
   */
  get(hash: Uint8Array, parentHash: Uint8Array, body?: Block): VerifiedBlock | undefined {
    const v = this.#entries.get(hex(hash));
    if (v === undefined) return undefined;
    const p = v.block.header.parentHash;
    if (!(p.length === parentHash.length && p.every((x, i) => x === parentHash[i]))) return undefined;
    return body === undefined || sameIncoming(v.block, body) ? v : undefined;
  }

  /** Drop every entry that does not build on `headHash` (called after the head moves). */
  retainChildrenOf(headHash: Uint8Array): void {
    for (const [k, v] of this.#entries) {
      const p = v.block.header.parentHash;
      if (!(p.length === headHash.length && p.every((x, i) => x === headHash[i]))) this.#entries.delete(k);
    }
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }
}

function sameIncoming(a: Block, b: Block): boolean {
  if (a.incoming === b.incoming || (a.incoming.length === 0 && b.incoming.length === 0)) return true;
  const x = encodeIncoming(a.incoming);
  const y = encodeIncoming(b.incoming);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
