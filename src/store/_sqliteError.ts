/** Maps errors thrown by `node:sqlite` (Bun's and Deno's shapes differ) onto {@link StoreError}. */
import { StoreError, StoreErrorCode } from "./errors.ts";

// Primary result codes, https://sqlite.org/rescode.html
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_CORRUPT = 11;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

// Deno's node:sqlite does not always set `errcode`; fall back to sqlite's fixed English messages.
const BY_MESSAGE: Array<[RegExp, number]> = [
  [/database is locked/, SQLITE_BUSY],
  [/database table is locked/, SQLITE_LOCKED],
  [/attempt to write a readonly database/, SQLITE_READONLY],
  [/database disk image is malformed/, SQLITE_CORRUPT],
  [/unable to open database file/, SQLITE_CANTOPEN],
  [/file is not a database/, SQLITE_NOTADB],
];

const CORRUPT_HINT =
  "restore the data directory from a backup, or delete it and resync; the file may also have been truncated or overwritten";

/** The primary sqlite result code of `e`, or null when `e` did not come from sqlite. */
export function sqliteCode(e: unknown): number | null {
  if (typeof e !== "object" || e === null) return null;
  const { errcode, message } = e as { errcode?: unknown; message?: unknown };
  if (typeof errcode === "number") return errcode & 0xff;
  if (typeof message === "string") for (const [re, code] of BY_MESSAGE) if (re.test(message)) return code;
  return null;
}

/** Wrap any error thrown by sqlite for the store at `path` into a typed {@link StoreError}. */
export function toStoreError(e: unknown, path: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = sqliteCode(e);
  const detail = e instanceof Error ? e.message : String(e);
  const opts = { cause: e };
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new StoreError(
        { code: StoreErrorCode.LOCKED, path },
        `store ${path} is locked by another connection (${detail}); is another process using it?`,
        opts,
      );
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return corruptError(path, detail, e);
    case SQLITE_READONLY:
      return new StoreError({ code: StoreErrorCode.READONLY, path }, `store ${path} is read-only (${detail})`, opts);
    case SQLITE_CANTOPEN:
      return new StoreError(
        { code: StoreErrorCode.CANNOT_OPEN, path, detail },
        `cannot open store ${path}: ${detail} (check that it exists and is readable/writable)`,
        opts,
      );
    default:
      return new StoreError({ code: StoreErrorCode.IO, path, sqliteCode: code, detail }, `store ${path}: ${detail}`, opts);
  }
}

/** A STORE_CORRUPT error for `path` with a recovery hint. */
export function corruptError(path: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    { code: StoreErrorCode.CORRUPT, path, detail },
    `store ${path} is corrupt: ${detail}; ${CORRUPT_HINT}`,
    cause === undefined ? undefined : { cause },
  );
}
