/**
 * One subscription to each backend event stream, fanned out to filters and WebSocket subscribers.
 * A failing listener is logged and skipped; it never reaches the backend or other listeners.
 * @module
 */
import type { Logger } from "../util/logger.ts";
import type { RpcBackend, RpcHeader, RpcLogEntry, RpcTransaction } from "./backend.ts";

/** Fan-out of the backend's head, log and pending-transaction events. */
export interface EventHub {
  onHead(cb: (header: RpcHeader) => void): () => void;
  onLogs(cb: (logs: RpcLogEntry[]) => void): () => void;
  onPendingTx(cb: (tx: RpcTransaction) => void): () => void;
  /** Unsubscribe from the backend and drop all listeners. */
  stop(): void;
}

function createChannel<T>(name: string, logger: Logger) {
  const listeners = new Set<(v: T) => void>();
  return {
    add(cb: (v: T) => void): () => void {
      // Wrap so that the same callback may be added twice and removed independently.
      const entry = (v: T) => cb(v);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    emit(v: T): void {
      for (const l of [...listeners]) {
        try {
          l(v);
        } catch (e) {
          logger.error("event listener failed", { event: name, error: e });
        }
      }
    },
    clear: () => listeners.clear(),
  };
}

/** Subscribe once to `backend` and fan its events out. */
export function createEventHub(backend: RpcBackend, logger: Logger): EventHub {
  const heads = createChannel<RpcHeader>("newHead", logger);
  const logs = createChannel<RpcLogEntry[]>("logs", logger);
  const pending = createChannel<RpcTransaction>("pendingTx", logger);
  const unsubs = [backend.onNewHead(heads.emit), backend.onLogs(logs.emit), backend.onPendingTx(pending.emit)];
  return {
    onHead: heads.add,
    onLogs: logs.add,
    onPendingTx: pending.add,
    stop() {
      for (const u of unsubs.splice(0)) u();
      heads.clear();
      logs.clear();
      pending.clear();
    },
  };
}
