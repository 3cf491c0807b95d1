/** Event logs as execution emits them and receipts carry them. */
import { asBytes, asList, type RLPInput } from "./_codec.ts";

/** One log: emitting contract, up to four 32-byte topics, and data. */
export interface Log {
  readonly address: Uint8Array;
  readonly topics: readonly Uint8Array[];
  readonly data: Uint8Array;
}

/** The RLP item of a log: [address, [topics…], data]. */
export function logToRLP(log: Log): RLPInput {
  return [log.address, [...log.topics], log.data];
}

/**
 * A log from its decoded RLP item.
 * @throws {SyntaxError} on a malformed item.
 */
export function logFromRLP(item: unknown): Log {
  const [address, topics, data] = asList(item, "log", 3);
  return {
    address: asBytes(address, "log.address", 20),
    topics: asList(topics, "log.topics").map((t, i) => asBytes(t, `log.topics[${i}]`, 32)),
    data: asBytes(data, "log.data"),
  };
}
