/**
 * The `--dev` block producer: every `blockTimeMs` it takes candidate transactions from a source (the
 * txpool), builds the next block on the head and commits it; empty blocks too unless configured off.
 * Ticks are scheduled against the start time, so block times do not drift with production time.
 */
import { keccak256 } from "../core/index.ts";
import type { BuiltBlock, CandidateTx } from "../execution/index.ts";
import { type Logger, createLogger } from "../util/logger.ts";
import type { Chain, InsertResult } from "./chain.ts";

/** Supplies candidates for the next block, best first; `gasLimit` is the block gas limit. */
export type TxSource = (gasLimit: bigint) => Iterable<CandidateTx> | Promise<Iterable<CandidateTx>>;

/** Wall clock in ms (injectable, STYLE §13). */
export interface ProducerClock {
  now(): number;
}

/** Options of {@link DevBlockProducer}. */
export interface DevBlockProducerOptions {
  txSource: TxSource;
  /** Default: the chain config's block time. */
  blockTimeMs?: number;
  /** Default: the chain config's `produceEmptyBlocks`. */
  produceEmptyBlocks?: boolean;
  /** Coinbase of produced blocks (default zero; fees are burnt either way). */
  coinbase?: Uint8Array;
  clock?: ProducerClock;
  logger?: Logger;
  /** Called after each committed block. */
  onBlock?: (built: BuiltBlock & InsertResult) => void;
}

/** Produces a block per tick on a chain. */
export class DevBlockProducer {
  readonly #chain: Chain;
  readonly #opts: DevBlockProducerOptions;
  readonly #clock: ProducerClock;
  readonly #log: Logger;
  readonly #blockTimeMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #startedAt = 0;
  #ticks = 0;
  #stopped = true;

  constructor(chain: Chain, opts: DevBlockProducerOptions) {
    this.#chain = chain;
    this.#opts = opts;
    this.#clock = opts.clock ?? { now: () => Date.now() };
    this.#log = opts.logger ?? createLogger("producer");
    this.#blockTimeMs = opts.blockTimeMs ?? chain.config.blockTimeMs;
  }

  /** Start ticking. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#startedAt = this.#clock.now();
    this.#ticks = 0;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#ticks++;
    const due = this.#startedAt + this.#ticks * this.#blockTimeMs;
    this.#timer = setTimeout(() => {
      this.#running = this.produceOnce()
        .catch((e) => this.#log.error("block production failed", { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => this.#schedule());
    }, Math.max(0, due - this.#clock.now()));
  }

  /**
   * Build and commit one block now. Returns it, or undefined when empty blocks are off and there was
   * nothing to include.
   */
  async produceOnce(): Promise<(BuiltBlock & InsertResult) | undefined> {
    const chain = this.#chain;
    const parent = chain.head;
    const candidates = await this.#opts.txSource(chain.config.blockGasLimit);
    const skipEmpty = !(this.#opts.produceEmptyBlocks ?? chain.config.produceEmptyBlocks);
    const built = await chain.produceBlock(candidates, {
      timestamp: BigInt(Math.floor(this.#clock.now() / 1000)),
      ...(this.#opts.coinbase ? { coinbase: this.#opts.coinbase } : {}),
      // Deterministic PREVRANDAO for the dev chain: a hash chain over the parents.
      mixHash: keccak256(new Uint8Array([...parent.mixHash, ...parent.hash])),
      skipEmpty,
    });
    if (built !== undefined) {
      for (const s of built.skipped) this.#log.debug("transaction skipped", { reason: s.error.message });
      this.#opts.onBlock?.(built);
    }
    return built;
  }

  /** Stop ticking and wait for a block in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running;
  }
}
