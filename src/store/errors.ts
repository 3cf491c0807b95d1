/** Typed errors of the store layer (STYLE §9): one code enum, one metadata shape per code. */
import { NodeError } from "../util/errors.ts";

/** Stable machine-readable codes of {@link StoreError}. */
export enum StoreErrorCode {
  /** The store was used after `close()`. */
  CLOSED = "STORE_CLOSED",
  /** Another live process (or this one) holds the data directory's `LOCK` file. */
  DIR_IN_USE = "STORE_DIR_IN_USE",
  /** sqlite reported SQLITE_BUSY/SQLITE_LOCKED: another connection holds the database. */
  LOCKED = "STORE_LOCKED",
  /** The database file is damaged or is not a sqlite database. */
  CORRUPT = "STORE_CORRUPT",
  /** The file is a sqlite database, but not one this store wrote. */
  FOREIGN = "STORE_FOREIGN",
  /** The file was written by a newer release with a schema this one does not know. */
  SCHEMA_TOO_NEW = "STORE_SCHEMA_TOO_NEW",
  /** A write was attempted on a store opened with `readonly: true`. */
  READONLY = "STORE_READONLY",
  /** The database file or its directory could not be opened or created. */
  CANNOT_OPEN = "STORE_CANNOT_OPEN",
  /** Any other I/O or sqlite failure (disk full, I/O error, …). */
  IO = "STORE_IO",
}

/** Metadata of each {@link StoreErrorCode}; `path` is the database file (or data dir for DIR_IN_USE). */
export type StoreErrorType =
  | { code: StoreErrorCode.CLOSED; path: string }
  | { code: StoreErrorCode.DIR_IN_USE; path: string; pid: number | null; lockFile: string }
  | { code: StoreErrorCode.LOCKED; path: string }
  | { code: StoreErrorCode.CORRUPT; path: string; detail: string }
  | { code: StoreErrorCode.FOREIGN; path: string; applicationId: number }
  | { code: StoreErrorCode.SCHEMA_TOO_NEW; path: string; found: number; supported: number }
  | { code: StoreErrorCode.READONLY; path: string }
  | { code: StoreErrorCode.CANNOT_OPEN; path: string; detail: string }
  | { code: StoreErrorCode.IO; path: string; sqliteCode: number | null; detail: string };

/** Error raised by every store operation that fails for a reason other than a bad argument. */
export class StoreError extends NodeError<StoreErrorType> {}
