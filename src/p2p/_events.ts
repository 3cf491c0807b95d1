/** A minimal typed event emitter; a throwing listener is logged and does not stop the others. */
import type { Logger } from "../util/logger.ts";

/** Listeners by event name. */
export class Emitter<E extends object> {
  private readonly listeners = new Map<keyof E, Set<(e: never) => void>>();
  constructor(private readonly logger: Logger) {}

  /** Add a listener; returns its removal. */
  on<K extends keyof E>(event: K, fn: (e: E[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as (e: never) => void);
    return () => {
      set.delete(fn as (e: never) => void);
    };
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        (fn as (e: E[K]) => void)(payload);
      } catch (e) {
        this.logger.error("p2p event listener failed", { event: String(event), error: e });
      }
    }
  }
}
