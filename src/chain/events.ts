/** Chain notifications: a minimal typed emitter; a listener that throws is reported, never propagated. */
import type { Block, Header, Receipt } from "../core/index.ts";
import type { BlockStageTimes } from "./blockStages.ts";
import type { LogEntry } from "./logs.ts";

/** A block that became the canonical head, with what subscribers need. */
export interface CommittedBlock {
  readonly block: Block;
  readonly receipts: readonly Receipt[];
  readonly senders: readonly Uint8Array[];
  readonly logs: readonly LogEntry[];
}

/** Events of a chain and their payloads. */
export interface ChainEvents {
  /** A block was committed (after the batch landed). */
  block: CommittedBlock;
  /** The canonical head moved. */
  head: Header;
  /** Logs of a committed block (not emitted for blocks without logs). */
  logs: readonly LogEntry[];
  /** Stage timings of a block validated, built or committed (for metrics). */
  stages: BlockStageTimes;
}

/** Listener of one event. */
export type ChainListener<K extends keyof ChainEvents> = (payload: ChainEvents[K]) => void;

/** Typed emitter. */
export class ChainEmitter {
  readonly #listeners: { [K in keyof ChainEvents]: Set<ChainListener<K>> } = { block: new Set(), head: new Set(), logs: new Set(), stages: new Set() };
  readonly #onError: (e: unknown) => void;

  constructor(onError: (e: unknown) => void) {
    this.#onError = onError;
  }

  /** Subscribe; returns the unsubscribe function. */
  on<K extends keyof ChainEvents>(event: K, listener: ChainListener<K>): () => void {
    const set = this.#listeners[event] as Set<ChainListener<K>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof ChainEvents>(event: K, payload: ChainEvents[K]): void {
    for (const l of this.#listeners[event] as Set<ChainListener<K>>) {
      try {
        l(payload);
      } catch (e) {
        this.#onError(e);
      }
    }
  }
}
