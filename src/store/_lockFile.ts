/**
 * The data directory's `LOCK` file: created with O_EXCL and holding the owner's pid. A lock whose
 * pid is dead (left behind by a crash or SIGKILL) is taken over. sqlite's EXCLUSIVE locking mode,
 * an OS lock the kernel drops when the process dies, backs this up against races between two
 * processes taking over the same stale lock at once.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { StoreError, StoreErrorCode } from "./errors.ts";

/** File name of the lock inside a data directory. */
export const LOCK_FILE = "LOCK";

/** A held directory lock; `release()` is idempotent. */
export interface DirLock {
  readonly path: string;
  release(): void;
}

/**
 * Create `dir` if needed and take its `LOCK` file.
 * @throws {StoreError} DIR_IN_USE when a live process holds it; CANNOT_OPEN when the directory or
 * file cannot be created.
 */
export function acquireDirLock(dir: string): DirLock {
  const path = join(dir, LOCK_FILE);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw cannotOpen(dir, e);
  }
  // Two rounds: the first may find a stale lock and remove it; a second EEXIST means someone else won.
  for (let attempt = 0; attempt < 2; attempt++) {
    const fd = tryCreate(path);
    if (fd !== null) {
      try {
        writeSync(fd, `${process.pid}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return heldLock(path);
    }
    const pid = readPid(path);
    if (pid !== null && isAlive(pid)) throw inUse(dir, path, pid);
    if (pid === null && attempt > 0) throw inUse(dir, path, null);
    try {
      unlinkSync(path); // stale: its owner died without releasing it
    } catch (e) {
      if ((e as { code?: string }).code !== "ENOENT") throw cannotOpen(dir, e);
    }
  }
  throw inUse(dir, path, readPid(path));
}

function tryCreate(path: string): number | null {
  try {
    return openSync(path, "wx");
  } catch (e) {
    if ((e as { code?: string }).code === "EEXIST") return null;
    throw cannotOpen(path, e);
  }
}

function heldLock(path: string): DirLock {
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      // Only remove the file if it is still ours (never delete a lock someone took over).
      if (readPid(path) !== process.pid) return;
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

/** The pid written in the lock file, or null when it is missing, empty or unreadable. */
function readPid(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as { code?: string }).code === "EPERM";
  }
}

function inUse(dir: string, lockFile: string, pid: number | null): StoreError {
  const who = pid === null ? "an unknown process" : pid === process.pid ? `this process (pid ${pid})` : `another process (pid ${pid})`;
  return new StoreError(
    { code: StoreErrorCode.DIR_IN_USE, path: dir, pid, lockFile },
    `data dir ${dir} is in use by ${who}; if no node is running, delete ${lockFile}`,
  );
}

function cannotOpen(path: string, e: unknown): StoreError {
  const detail = e instanceof Error ? e.message : String(e);
  return new StoreError({ code: StoreErrorCode.CANNOT_OPEN, path, detail }, `cannot create ${path}: ${detail}`, { cause: e });
}
