/**
 * Time-slicing of simulated calls (eth_call, eth_estimateGas) on the thread that also runs
 * consensus. The interpreter awaits only microtasks between steps, so a long call would hold the
 * event loop until it ends; instead a call hands the thread back once it has run for `sliceMs`,
 * and waits in a FIFO queue for its next turn. One waiting call resumes per event-loop turn (a
 * macrotask), so timers, socket I/O, votes and block processing run between any two slices however
 * many calls are in flight, and calls share the remaining time round-robin.
 * @module
 */

/** Options of {@link createCallPacer}. */
export interface CallPacerOptions {
  /** Longest stretch one call runs before handing the thread back. Default 2 ms. */
  sliceMs?: number;
  /** Clock in ms (injectable for tests). */
  now?: () => number;
  /** Schedules a macrotask (default `setImmediate` where the runtime has it, else `setTimeout(0)`). */
  schedule?: (fn: () => void) => void;
}

/** Shares the thread among running calls; one per chain (every call of a node goes through it). */
export interface CallPacer {
  readonly sliceMs: number;
  /** A new slice for a call that starts or resumes now. */
  startSlice(): CallSlice;
  /** Calls waiting for a turn. */
  waiting(): number;
}

/** The running slice of one call. */
export interface CallSlice {
  /**
   * Undefined while the slice lasts; otherwise a promise that resolves at the call's next turn
   * (the caller awaits it, then goes on in a fresh slice).
   */
  check(): Promise<void> | undefined;
}

function defaultSchedule(): (fn: () => void) => void {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === "function") {
    const si = g.setImmediate;
    return (fn) => void si(fn);
  }
  return (fn) => void setTimeout(fn, 0);
}

/** Create a pacer. @throws {RangeError} for a slice that is not a positive finite number. */
export function createCallPacer(opts: CallPacerOptions = {}): CallPacer {
  const sliceMs = opts.sliceMs ?? 2;
  if (!(sliceMs > 0) || !Number.isFinite(sliceMs)) throw new RangeError(`sliceMs must be a positive number, got ${sliceMs}`);
  const now = opts.now ?? (() => performance.now());
  const schedule = opts.schedule ?? defaultSchedule();
  const queue: (() => void)[] = [];
  let scheduled = false;

  // One resume per macrotask: the next one is scheduled from inside the turn, so the runtime
  // polls I/O and runs due timers before it.
  const turn = () => {
    scheduled = false;
    const next = queue.shift();
    if (queue.length > 0) arm();
    next?.();
  };
  const arm = () => {
    if (scheduled) return;
    scheduled = true;
    schedule(turn);
  };

  const startSlice = (): CallSlice => {
    let start = now();
    return {
      check() {
        if (now() - start < sliceMs) return undefined;
        return new Promise<void>((resolve) => {
          queue.push(() => {
            start = now();
            resolve();
          });
          arm();
        });
      },
    };
  };
  return { sliceMs, startSlice, waiting: () => queue.length };
}
