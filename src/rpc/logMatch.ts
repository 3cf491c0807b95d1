/**
 * Matching logs against address and topic criteria (the semantics of eth_getLogs filters).
 * @module
 */
import type { RpcLog } from "./backend.ts";
import { toData } from "./hex.ts";

/** Address and topic criteria; `topics[i]` null = any value at position i. */
export interface LogCriteria {
  addresses: Uint8Array[];
  topics: (Uint8Array[] | null)[];
}

/** A predicate for `criteria`, with the byte strings pre-hashed into sets. */
export function createLogMatcher(criteria: LogCriteria): (log: RpcLog) => boolean {
  const addresses = new Set(criteria.addresses.map(toData));
  const topics = criteria.topics.map((alts) => (alts === null ? null : new Set(alts.map(toData))));
  return (log) => {
    if (addresses.size > 0 && !addresses.has(toData(log.address))) return false;
    if (topics.length > log.topics.length) return false;
    for (let i = 0; i < topics.length; i++) {
      const alts = topics[i];
      if (alts && !alts.has(toData(log.topics[i] as Uint8Array))) return false;
    }
    return true;
  };
}
