/**
 * The ordered key-value store (DESIGN §2 `src/store/`): `node:sqlite` in WAL mode with
 * synchronous=FULL, keys in unsigned byte order, atomic batches, lazy range iteration and a
 * per-data-directory `LOCK` file. Runs unchanged on Bun and Deno.
 * @module
 */
export { openStore, openDataDir, STORE_FILE } from "./sqlite.ts";
export { backupStore } from "./backup.ts";
export type { OpenStoreOptions } from "./sqlite.ts";
export { StoreError, StoreErrorCode } from "./errors.ts";
export type { StoreErrorType } from "./errors.ts";
export { LOCK_FILE } from "./_lockFile.ts";
export { SCHEMA_VERSION } from "./_schema.ts";
export { compareBytes, prefixUpperBound } from "./_range.ts";
export type { KVStore, BatchOp, IterateOptions } from "./types.ts";
