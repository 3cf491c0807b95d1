/**
 * Installed filters (eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter): each
 * collects events until polled with eth_getFilterChanges, and is removed after `timeoutMs` without a
 * poll. A filter whose backlog passes `maxBacklog` is removed too (its client sees "filter not
 * found" and can install a new one) so that an abandoned filter cannot grow without bound.
 * @module
 */
import type { RpcLogEntry } from "./backend.ts";
import { RpcErrorCode, rpcError } from "./errors.ts";
import type { EventHub } from "./events.ts";
import type { LogFilterSpec } from "./filterParams.ts";
import { formatLog } from "./formatReceipt.ts";
import { formatTransaction } from "./formatTx.ts";
import { toData } from "./hex.ts";
import { createLogMatcher } from "./logMatch.ts";

/** Options of {@link createFilterManager}. */
export interface FilterManagerOptions {
  timeoutMs: number;
  /** Most undelivered entries of one filter. */
  maxBacklog: number;
  /** Most installed filters. */
  maxFilters: number;
  /** Most installed filters of one client (by address), so that one client cannot use up the total. */
  maxFiltersPerClient?: number;
  /** Clock in ms (injectable for tests). */
  now?: () => number;
}

type Entry = { lastPoll: number; backlog: unknown[]; owner: string } & (
  | { kind: "logs"; spec: LogFilterSpec }
  | { kind: "blocks" }
  | { kind: "pendingTx"; fullTx: boolean }
);

/** The filters of one server. */
export interface FilterManager {
  /**
   * Install a log filter; `from`/`to` are explicit block bounds (undefined = open). `owner` is the
   * client's address (its filter budget); the install methods throw {RpcError} -32005 past a limit.
   */
  newLogFilter(spec: LogFilterSpec, bounds: { from?: bigint; to?: bigint }, owner?: string): string;
  newBlockFilter(owner?: string): string;
  /** Pending transactions as hashes, or as full objects with `fullTx`. */
  newPendingTxFilter(fullTx: boolean, owner?: string): string;
  /**
   * Entries since the last poll, as JSON.
   * @throws {RpcError} -32000 "filter not found".
   */
  getChanges(id: string): unknown[];
  /**
   * The criteria of a log filter.
   * @throws {RpcError} -32000 "filter not found" (also for block and pending filters).
   */
  getLogFilter(id: string): LogFilterSpec;
  uninstall(id: string): boolean;
  /** Remove filters idle for longer than the timeout; returns how many. */
  sweep(): number;
  /** Number of installed filters. */
  size(): number;
  stop(): void;
}

function notFound() {
  return rpcError(RpcErrorCode.SERVER_ERROR, "filter not found");
}

function newId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return `0x${BigInt(toData(b)).toString(16)}`;
}

/** Create the filter registry, fed by `events`. */
export function createFilterManager(opts: FilterManagerOptions, events: EventHub): FilterManager {
  const now = opts.now ?? Date.now;
  const filters = new Map<string, Entry>();
  const matchers = new Map<string, (l: RpcLogEntry) => boolean>();
  const perOwner = new Map<string, number>();
  const perClient = opts.maxFiltersPerClient ?? opts.maxFilters;
  const drop = (id: string): boolean => {
    const e = filters.get(id);
    matchers.delete(id);
    if (e === undefined) return false;
    filters.delete(id);
    const n = (perOwner.get(e.owner) ?? 1) - 1;
    if (n > 0) perOwner.set(e.owner, n);
    else perOwner.delete(e.owner);
    return true;
  };

  const push = (id: string, e: Entry, items: unknown[]) => {
    if (items.length === 0) return;
    if (e.backlog.length + items.length > opts.maxBacklog) {
      drop(id);
      return;
    }
    e.backlog.push(...items);
  };
  const unsubs = [
    events.onHead((h) => {
      for (const [id, e] of filters) if (e.kind === "blocks") push(id, e, [toData(h.hash)]);
    }),
    events.onPendingTx((t) => {
      for (const [id, e] of filters) if (e.kind === "pendingTx") push(id, e, [e.fullTx ? formatTransaction(t) : toData(t.hash)]);
    }),
    events.onLogs((logs) => {
      for (const [id, e] of filters) {
        const m = matchers.get(id);
        if (e.kind === "logs" && m) push(id, e, logs.filter(m).map(formatLog));
      }
    }),
  ];
  const install = (e: Entry): string => {
    if (filters.size >= opts.maxFilters) throw rpcError(RpcErrorCode.LIMIT_EXCEEDED, `too many filters (max ${opts.maxFilters})`);
    const mine = perOwner.get(e.owner) ?? 0;
    if (mine >= perClient) throw rpcError(RpcErrorCode.LIMIT_EXCEEDED, `too many filters for this client (max ${perClient})`);
    const id = newId();
    filters.set(id, e);
    perOwner.set(e.owner, mine + 1);
    return id;
  };
  const sweep = () => {
    const cutoff = now() - opts.timeoutMs;
    let n = 0;
    for (const [id, e] of filters) {
      if (e.lastPoll < cutoff) {
        drop(id);
        n++;
      }
    }
    return n;
  };
  const timer = setInterval(sweep, Math.max(1000, Math.min(60_000, Math.floor(opts.timeoutMs / 5))));

  return {
    newLogFilter(spec, bounds, owner = "") {
      const id = install({ kind: "logs", spec, lastPoll: now(), backlog: [], owner });
      const crit = createLogMatcher(spec);
      matchers.set(id, (l) =>
        crit(l) && (bounds.from === undefined || l.blockNumber >= bounds.from) && (bounds.to === undefined || l.blockNumber <= bounds.to),
      );
      return id;
    },
    newBlockFilter: (owner = "") => install({ kind: "blocks", lastPoll: now(), backlog: [], owner }),
    newPendingTxFilter: (fullTx, owner = "") => install({ kind: "pendingTx", fullTx, lastPoll: now(), backlog: [], owner }),
    getChanges(id) {
      const e = filters.get(id);
      if (!e) throw notFound();
      e.lastPoll = now();
      return e.backlog.splice(0);
    },
    getLogFilter(id) {
      const e = filters.get(id);
      if (!e || e.kind !== "logs") throw notFound();
      e.lastPoll = now();
      return e.spec;
    },
    uninstall: drop,
    sweep,
    size: () => filters.size,
    stop() {
      clearInterval(timer);
      for (const u of unsubs) u();
      filters.clear();
      matchers.clear();
      perOwner.clear();
    },
  };
}
