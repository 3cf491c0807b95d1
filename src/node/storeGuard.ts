/**
 * The node's view of its store (issue 8 item 5): a failed write (disk full, I/O error) is fatal.
 * Whoever wrote — the consensus driver committing a block, sync importing one, the peer table — the
 * first failure is reported once through `onWriteError` (which halts signing and stops the process)
 * and every later write is refused without touching the file, so nothing is written after the store
 * has shown it cannot be trusted. Each write is one sqlite transaction (a `batch` is BEGIN … COMMIT,
 * rolled back on failure), so the failing write itself leaves nothing half-written.
 *
 * The store layer knows nothing of fail points or processes; the injection of a write failure for
 * tests (`HARMONY_FAILPOINT=store-write-fail`) is a `fault` function given here by the node wiring.
 */
import { type BatchOp, type IterateOptions, type KVStore, StoreError, StoreErrorCode } from "../store/index.ts";
import { FAILPOINT_STORE_WRITE_FAIL, type Failpoint } from "./failpoint.ts";

/** sqlite's "database or disk is full" (https://sqlite.org/rescode.html#full). */
const SQLITE_FULL = 13;

/** Services of {@link guardStoreWrites}. */
export interface StoreGuardModules {
  /** The first write failure (called once, before the error is thrown to the writer). */
  onWriteError(e: unknown): void;
  /** Returns an error to throw instead of writing (fail point); undefined to write. */
  fault?: () => Error | undefined;
}

/** A {@link KVStore} that reports its first write failure and refuses every write after it. */
export function guardStoreWrites(kv: KVStore, modules: StoreGuardModules): KVStore {
  let failed: unknown;
  const write = <T>(fn: () => T): T => {
    if (failed !== undefined) throw failed;
    try {
      const injected = modules.fault?.();
      if (injected !== undefined) throw injected;
      return fn();
    } catch (e) {
      // A bad argument is the caller's bug, not the disk's; it still throws, but it is not fatal here.
      if (e instanceof TypeError || e instanceof RangeError) throw e;
      failed = e;
      modules.onWriteError(e);
      throw e;
    }
  };
  return {
    get: (key: Uint8Array) => kv.get(key),
    has: (key: Uint8Array) => kv.has(key),
    iterate: (opts?: IterateOptions) => kv.iterate(opts),
    put: (key: Uint8Array, value: Uint8Array) => write(() => kv.put(key, value)),
    del: (key: Uint8Array) => write(() => kv.del(key)),
    batch: (ops: BatchOp[]) => write(() => kv.batch(ops)),
    close: () => kv.close(),
  };
}

/**
 * The store fault of a `store-write-fail` fail point: every write fails like a full disk once the
 * head (`head()`, undefined while the chain is not open) has reached the fail point's height − 1.
 * Undefined for any other fail point.
 */
export function storeFaultOf(failpoint: Failpoint | undefined, path: string, head: () => bigint | undefined): (() => Error | undefined) | undefined {
  if (failpoint?.name !== FAILPOINT_STORE_WRITE_FAIL) return undefined;
  const at = failpoint.height;
  return () => {
    const h = head();
    if (at !== undefined && (h === undefined || h + 1n < at)) return undefined;
    const detail = `database or disk is full (fail point ${FAILPOINT_STORE_WRITE_FAIL})`;
    return new StoreError({ code: StoreErrorCode.IO, path, sqliteCode: SQLITE_FULL, detail }, `store ${path}: ${detail}`);
  };
}
