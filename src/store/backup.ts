/** `backupStore`: a consistent copy of a store file, taken while its node may still be writing. */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { StoreError, StoreErrorCode } from "./errors.ts";
import { APPLICATION_ID } from "./_schema.ts";
import { toStoreError } from "./_sqliteError.ts";
import { openStore } from "./sqlite.ts";

/**
 * Copy the store at `path` to the new file `outPath` with sqlite's `VACUUM INTO`: it reads one
 * snapshot inside a read transaction on its own connection, so the copy holds exactly the batches
 * committed before it began, even while the owner (opened with `shareReads`) keeps writing.
 * The copy is checked (quick_check, schema) before this returns.
 * @throws {StoreError} CANNOT_OPEN when `path` is missing or `outPath` exists, FOREIGN when `path`
 *   is not a harmony store, LOCKED when the owner holds sqlite's exclusive lock, IO otherwise.
 */
export function backupStore(path: string, outPath: string): void {
  const src = resolve(path);
  const dst = resolve(outPath);
  if (!existsSync(src)) throw cannotOpen(src, "no such file");
  if (existsSync(dst)) throw cannotOpen(dst, "the backup file already exists");
  let db: DatabaseSync | undefined;
  try {
    mkdirSync(dirname(dst), { recursive: true });
    db = new DatabaseSync(src);
    // A writer's commit can hold the WAL lock for a moment; wait rather than fail the backup.
    db.exec("PRAGMA busy_timeout = 5000");
    const appId = Number((db.prepare("PRAGMA application_id").get() as Record<string, unknown>)["application_id"]);
    if (appId !== APPLICATION_ID) {
      throw new StoreError({ code: StoreErrorCode.FOREIGN, path: src, applicationId: appId }, `${src} is not a harmony-ts store (application_id ${appId})`);
    }
    db.prepare("VACUUM INTO ?").run(dst);
  } catch (e) {
    throw e instanceof StoreError ? e : toStoreError(e, src);
  } finally {
    try {
      db?.close();
    } catch {
      // The copy's outcome is what the caller needs; a failing close of the reader changes nothing.
    }
  }
  // Open the copy the way a node would (integrity and schema checks), then let go of it.
  openStore(dst, { lock: false }).close();
}

function cannotOpen(path: string, detail: string): StoreError {
  return new StoreError({ code: StoreErrorCode.CANNOT_OPEN, path, detail }, `cannot back up ${path}: ${detail}`);
}
