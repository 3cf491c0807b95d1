/**
 * Readiness of a node beyond sync (issue 8 item 5): a node that produces or signs blocks is not ready
 * while its head is stale — no new block for `staleBlocks` block times — and never again once a fatal
 * error has halted it (it is stopping). An RPC node only follows, so a quiet network is not its
 * fault: it watches no head.
 */

/** Default number of block times without a new head after which a producing node is not ready. */
export const STALE_HEAD_BLOCKS = 3;

/** Options of {@link createReadiness}. */
export interface ReadinessOptions {
  blockTimeMs: number;
  /** Watch the head at all (validators and the dev node; not RPC nodes). */
  watchHead: boolean;
  /** Default {@link STALE_HEAD_BLOCKS}. */
  staleBlocks?: number;
}

/** What `/ready` asks. */
export interface Readiness {
  /** The head moved. */
  headMoved(): void;
  /** The node is halted for good (fatal error); `reason` is served until the process exits. */
  halt(reason: string): void;
  /** Why the node is not ready, or undefined when it is. */
  notReady(): string | undefined;
}

/** A readiness tracker starting now, as if the head had just moved. */
export function createReadiness(opts: ReadinessOptions, modules: { now: () => number }): Readiness {
  const limitMs = (opts.staleBlocks ?? STALE_HEAD_BLOCKS) * opts.blockTimeMs;
  let lastHeadAt = modules.now();
  let halted: string | undefined;
  return {
    headMoved: () => {
      lastHeadAt = modules.now();
    },
    halt: (reason) => {
      halted ??= reason;
    },
    notReady: () => {
      if (halted !== undefined) return halted;
      if (!opts.watchHead) return undefined;
      const idle = modules.now() - lastHeadAt;
      return idle > limitMs ? `head stale: no new block for ${(idle / 1000).toFixed(1)} s (limit ${limitMs / 1000} s)` : undefined;
    },
  };
}
