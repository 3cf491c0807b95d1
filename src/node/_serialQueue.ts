/**
 * The one queue of the consensus driver (STYLE §11): items are handled one at a time, in order, by an
 * async handler; an item pushed while one is being handled waits for it. Items carry the generation of
 * the state they belong to, and items of an older generation are dropped (their state is gone).
 * A handler that throws halts the queue and is reported to `onError`: the loop of a consensus driver
 * must never go on after an input it could not handle, nor fail silently.
 */

/** An item of the queue: `gen` null belongs to every generation (network input). */
export interface Queued<T> {
  readonly value: T;
  readonly gen: number | null;
}

/** A serial work queue. */
export class SerialQueue<T> {
  readonly #items: Queued<T>[] = [];
  readonly #handle: (value: T) => Promise<void>;
  readonly #onIdle: () => void;
  readonly #onError: (e: unknown) => void;
  #running: Promise<void> | undefined;
  #halted = false;
  /** Current generation; bump it to drop the queued items of older ones. */
  gen = 0;

  constructor(handle: (value: T) => Promise<void>, onIdle: () => void = () => undefined, onError: (e: unknown) => void = () => undefined) {
    this.#handle = handle;
    this.#onIdle = onIdle;
    this.#onError = onError;
  }

  /** True while an item is being handled. */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** Append an item (of generation `gen`, or of every one). */
  push(value: T, gen: number | null): void {
    if (this.#halted) return;
    this.#items.push({ value, gen });
    this.#kick();
  }

  /** Put an item first (the start of a new generation). */
  pushFront(value: T, gen: number | null): void {
    if (this.#halted) return;
    this.#items.unshift({ value, gen });
    this.#kick();
  }

  /** Handle nothing more; resolves when the item in progress is done. */
  halt(): Promise<void> {
    this.#halted = true;
    return this.#running ?? Promise.resolve();
  }

  get halted(): boolean {
    return this.#halted;
  }

  #kick(): void {
    if (this.#running !== undefined || this.#halted) return;
    this.#running = (async () => {
      await Promise.resolve();
      while (this.#items.length > 0 && !this.#halted) {
        const item = this.#items.shift() as Queued<T>;
        if (item.gen === null || item.gen === this.gen) await this.#handle(item.value);
      }
    })().catch((e: unknown) => {
      this.#onError(e);
      this.#halted = true;
    }).finally(() => {
      this.#running = undefined;
      this.#onIdle();
      if (this.#items.length > 0) this.#kick();
    });
  }
}
