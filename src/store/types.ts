/**
 * The ordered key-value store interface every layer above `store` codes against.
 * Keys and values are raw bytes; keys sort in unsigned byte order.
 */

/** One operation of an atomic batch. */
export type BatchOp =
  | { type: "put"; key: Uint8Array; value: Uint8Array }
  | { type: "del"; key: Uint8Array };

/** Range for `iterate`: either a prefix, or gte/lt bounds (both optional). */
export interface IterateOptions {
  prefix?: Uint8Array;
  gte?: Uint8Array;
  lt?: Uint8Array;
  reverse?: boolean;
  limit?: number;
}

/** An ordered, durable KV store. All writes of one `batch` land together or not at all. */
export interface KVStore {
  get(key: Uint8Array): Uint8Array | undefined;
  has(key: Uint8Array): boolean;
  put(key: Uint8Array, value: Uint8Array): void;
  del(key: Uint8Array): void;
  /** Apply every op atomically (one transaction). */
  batch(ops: BatchOp[]): void;
  iterate(opts?: IterateOptions): IterableIterator<[Uint8Array, Uint8Array]>;
  close(): void;
}
