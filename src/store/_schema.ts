/**
 * Connection setup and on-disk schema of the store: pragmas, integrity check, the `kv` table and
 * the schema version (kept in sqlite's header fields `application_id` and `user_version`, so that it
 * commits atomically with the table and never shows up among the keys).
 */
import type { DatabaseSync } from "node:sqlite";
import { StoreError, StoreErrorCode } from "./errors.ts";
import { corruptError } from "./_sqliteError.ts";

/** Schema version this release writes and reads. */
export const SCHEMA_VERSION = 1;
/** sqlite `application_id` marking a harmony-ts store ("HMTS"). */
export const APPLICATION_ID = 0x484d5453;

/** How a connection is set up. */
export interface SetupOptions {
  path: string;
  memory: boolean;
  readonly: boolean;
  /** Hold sqlite's file lock for the connection's lifetime (locking_mode=EXCLUSIVE). */
  exclusive: boolean;
  quickCheck: boolean;
  busyTimeoutMs: number;
  cacheSizeKiB: number;
}

/**
 * Apply pragmas, verify integrity and create or check the schema.
 * @throws {StoreError} CORRUPT, FOREIGN, SCHEMA_TOO_NEW or CANNOT_OPEN; raw sqlite errors otherwise.
 */
export function setupConnection(db: DatabaseSync, o: SetupOptions): void {
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(o.busyTimeoutMs))}`);
  // EXCLUSIVE must precede the first WAL access so sqlite keeps the wal-index in heap memory.
  if (o.exclusive) db.exec("PRAGMA locking_mode = EXCLUSIVE");
  if (!o.memory && !o.readonly) {
    const mode = pragma(db, "journal_mode = WAL");
    if (mode !== "wal") throw corruptError(o.path, `cannot switch to WAL journal mode (got ${String(mode)})`);
  }
  // Durability: every commit fsyncs the WAL, so an acknowledged batch survives power loss.
  db.exec("PRAGMA synchronous = FULL");
  db.exec(`PRAGMA cache_size = ${-Math.max(64, Math.floor(o.cacheSizeKiB))}`); // negative: KiB, not pages
  db.exec("PRAGMA fullfsync = ON"); // macOS: F_FULLFSYNC instead of fsync; a no-op elsewhere
  if (!o.memory && o.quickCheck) quickCheck(db, o.path);
  ensureSchema(db, o);
  // Take the exclusive file lock now rather than at the first write, so a second opener fails fast.
  if (o.exclusive && !o.readonly) db.exec("BEGIN IMMEDIATE; COMMIT");
  if (o.readonly) db.exec("PRAGMA query_only = ON");
}

function quickCheck(db: DatabaseSync, path: string): void {
  const rows = db.prepare("PRAGMA quick_check(5)").all() as Array<Record<string, unknown>>;
  const msgs = rows.map((r) => String(Object.values(r)[0]));
  if (msgs.length !== 1 || msgs[0] !== "ok") throw corruptError(path, `integrity check failed: ${msgs.join("; ")}`);
}

function ensureSchema(db: DatabaseSync, o: SetupOptions): void {
  const appId = Number(pragma(db, "application_id"));
  const version = Number(pragma(db, "user_version"));
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{ name: string }>).map(
    (r) => r.name,
  );
  if (appId === 0 && tables.length === 0) {
    if (o.readonly) {
      throw new StoreError(
        { code: StoreErrorCode.CANNOT_OPEN, path: o.path, detail: "empty database" },
        `cannot open store ${o.path} read-only: it has never been initialized`,
      );
    }
    db.exec(
      "BEGIN IMMEDIATE;" +
        "CREATE TABLE kv(k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;" +
        `PRAGMA application_id = ${APPLICATION_ID};` +
        `PRAGMA user_version = ${SCHEMA_VERSION};` +
        "COMMIT",
    );
    return;
  }
  if (appId !== APPLICATION_ID) {
    throw new StoreError(
      { code: StoreErrorCode.FOREIGN, path: o.path, applicationId: appId },
      `${o.path} is a sqlite database but not a harmony-ts store (application_id ${appId}); point the node at another path`,
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      { code: StoreErrorCode.SCHEMA_TOO_NEW, path: o.path, found: version, supported: SCHEMA_VERSION },
      `store ${o.path} has schema version ${version}, newer than ${SCHEMA_VERSION} supported by this release; upgrade harmony-ts`,
    );
  }
  if (version < 1 || !tables.includes("kv")) {
    throw corruptError(o.path, `schema version ${version} with tables [${tables.join(", ")}] is not a valid store layout`);
  }
}

function pragma(db: DatabaseSync, p: string): unknown {
  const row = db.prepare(`PRAGMA ${p}`).get() as Record<string, unknown> | undefined;
  return row === undefined ? undefined : Object.values(row)[0];
}
