/**
 * The log filter object of eth_getLogs, eth_newFilter and `logs` subscriptions.
 * @module
 */
import { ParamError, field, parseAddress, parseBlockNumberOrTag, parseHash, type BlockSpec } from "./params.ts";

/** Most positions a topic filter has (LOG4). */
const MAX_TOPICS = 4;
/** Most addresses, and most alternatives per topic position (geth's limits). */
const MAX_ALTERNATIVES = 1000;

/** A parsed log filter. `topics[i]` null = any value at position i. */
export interface LogFilterSpec {
  fromBlock: BlockSpec;
  toBlock: BlockSpec;
  blockHash?: Uint8Array;
  addresses: Uint8Array[];
  topics: (Uint8Array[] | null)[];
}

function parseAddresses(v: unknown): Uint8Array[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return [parseAddress(v)];
  if (v.length > MAX_ALTERNATIVES) throw new ParamError(`too many addresses (max ${MAX_ALTERNATIVES})`);
  return v.map((a, i) => field(`[${i}]`, a, parseAddress));
}

function parseTopicPosition(v: unknown): Uint8Array[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) return [parseHash(v)];
  if (v.length > MAX_ALTERNATIVES) throw new ParamError(`too many alternatives (max ${MAX_ALTERNATIVES})`);
  // An empty list or a null alternative matches anything at this position (geth).
  if (v.length === 0 || v.some((t) => t === null)) return null;
  return v.map((t, i) => field(`[${i}]`, t, parseHash));
}

/**
 * Parse only the address and topic criteria (as `logs` subscriptions take them).
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseLogCriteria(o: Record<string, unknown>): Pick<LogFilterSpec, "addresses" | "topics"> {
  const addresses = field("address", o.address, parseAddresses);
  let topics: (Uint8Array[] | null)[] = [];
  if (o.topics !== undefined && o.topics !== null) {
    if (!Array.isArray(o.topics)) throw new ParamError("topics: expected array");
    if (o.topics.length > MAX_TOPICS) throw new ParamError(`topics: more than ${MAX_TOPICS} positions`);
    topics = o.topics.map((t, i) => field(`topics[${i}]`, t, parseTopicPosition));
  }
  while (topics.length > 0 && topics[topics.length - 1] === null) topics.pop();
  return { addresses, topics };
}

/**
 * Parse a full filter object with `fromBlock`/`toBlock` (default latest) or `blockHash`.
 * @throws {ParamError} when the value is missing or malformed.
 */
export function parseLogFilter(v: unknown): LogFilterSpec {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ParamError("expected filter object");
  const o = v as Record<string, unknown>;
  const criteria = parseLogCriteria(o);
  const hasRange = (o.fromBlock !== undefined && o.fromBlock !== null) || (o.toBlock !== undefined && o.toBlock !== null);
  if (o.blockHash !== undefined && o.blockHash !== null) {
    if (hasRange) throw new ParamError("cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other");
    const blockHash = field("blockHash", o.blockHash, parseHash);
    return { fromBlock: { tag: "latest" }, toBlock: { tag: "latest" }, blockHash, ...criteria };
  }
  const block = (name: string): BlockSpec =>
    o[name] === undefined || o[name] === null ? { tag: "latest" } : field(name, o[name], parseBlockNumberOrTag);
  return { fromBlock: block("fromBlock"), toBlock: block("toBlock"), ...criteria };
}
