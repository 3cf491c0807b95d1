/**
 * Coalesces single signature checks asked within one turn of the event loop into one verifier call,
 * so that the votes of a phase, checked one frame at a time as they arrive, still cost one aggregate
 * pairing (bisected only when a bad one is among them: DESIGN §2 batching).
 */
import type { SignatureCheck } from "../consensus/index.ts";
import type { AsyncVoteVerifier } from "./blsPool.ts";

/** Options of {@link createVerifyBatcher}. */
export interface VerifyBatcherOptions {
  /** Checks that start a batch at once instead of waiting for the turn to end. Default 128. */
  readonly maxBatch?: number;
}

/** Verdict of one check, batched with the others asked in the same turn. */
export type BatchedVerify = (check: SignatureCheck) => Promise<boolean>;

/** Create a batcher in front of `verifier`. */
export function createVerifyBatcher(verifier: Pick<AsyncVoteVerifier, "verify">, opts: VerifyBatcherOptions = {}): BatchedVerify {
  const maxBatch = opts.maxBatch ?? 128;
  let queue: { check: SignatureCheck; resolve: (ok: boolean) => void }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    verifier.verify(batch.map((b) => b.check)).then(
      (results) => batch.forEach((b, i) => b.resolve(results[i] === true)),
      () => batch.forEach((b) => b.resolve(false)),
    );
  }

  return (check) =>
    new Promise<boolean>((resolve) => {
      queue.push({ check, resolve });
      if (queue.length >= maxBatch) flush();
      else if (timer === undefined) timer = setTimeout(flush, 0);
    });
}

/** Verdict of one check from the serial lane; `null` when the lane was full and the check was dropped. */
export type SerialVerify = (check: SignatureCheck) => Promise<boolean | null>;

/**
 * A lane for checks that are likely forgeries (issue 8 item 3): one check at a time, so that at any
 * moment at most one of them sits in the verifier's queue ahead of the batches of honest votes, and a
 * bounded backlog (`maxQueued`, default 256) beyond which checks are dropped unchecked.
 */
export function createSerialVerifier(verifier: Pick<AsyncVoteVerifier, "verify">, opts: { readonly maxQueued?: number } = {}): SerialVerify {
  const maxQueued = opts.maxQueued ?? 256;
  const queue: { check: SignatureCheck; resolve: (ok: boolean | null) => void }[] = [];
  let busy = false;

  function next(): void {
    const item = queue.shift();
    if (item === undefined) {
      busy = false;
      return;
    }
    busy = true;
    verifier.verify([item.check]).then(
      ([ok]) => item.resolve(ok === true),
      () => item.resolve(false),
    ).finally(next);
  }

  return (check) =>
    new Promise<boolean | null>((resolve) => {
      if (queue.length >= maxQueued) return resolve(null);
      queue.push({ check, resolve });
      if (!busy) next();
    });
}
