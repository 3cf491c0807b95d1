/** `openStore`: the {@link KVStore} on `node:sqlite` (WAL, synchronous=FULL, one `kv` table). */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { BatchOp, IterateOptions, KVStore } from "./types.ts";
import { StoreError, StoreErrorCode } from "./errors.ts";
import { acquireDirLock, type DirLock } from "./_lockFile.ts";
import { checkKey, resolveRange, successor } from "./_range.ts";
import { setupConnection } from "./_schema.ts";
import { toStoreError } from "./_sqliteError.ts";

/** File name of the database inside a data directory opened with {@link openDataDir}. */
export const STORE_FILE = "store.sqlite";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Open without write access; every write throws STORE_READONLY. Default false. */
  readonly?: boolean;
  /**
   * Take the directory's `LOCK` file and hold sqlite's file lock exclusively while open.
   * Default true for files; always false for `":memory:"`.
   */
  lock?: boolean;
  /** Run `PRAGMA quick_check` on open (reads the whole file). Default true. */
  quickCheck?: boolean;
  /** How long sqlite waits on a lock held by another connection before STORE_LOCKED. Default 0 with `lock` (1000 with `shareReads`), else 1000. */
  busyTimeoutMs?: number;
  /** sqlite page cache of this connection, in KiB. Default 32768 (32 MiB). */
  cacheSizeKiB?: number;
  /**
   * With `lock`: let other connections (e.g. the RPC's call workers, read-only) read the file while
   * this one writes (WAL readers need the shared-memory index that sqlite's EXCLUSIVE locking mode
   * keeps private). Other processes are still kept out by the directory's `LOCK` file. Default false.
   */
  shareReads?: boolean;
}

const PAGE_MIN = 64;
// Rows per multi-row insert of a batch, largest first (2 × 32 parameters, far below sqlite's limit).
const PUT_ROWS = [32, 8] as const;
const putSQL = new Map<number, string>();

function putManySQL(rows: number): string {
  let sql = putSQL.get(rows);
  if (sql === undefined) {
    sql = `INSERT INTO kv(k, v) VALUES ${new Array(rows).fill("(?, ?)").join(", ")} ON CONFLICT(k) DO UPDATE SET v = excluded.v`;
    putSQL.set(rows, sql);
  }
  return sql;
}
const PAGE_MAX = 1024;

/**
 * Open (creating if needed) the store at `path`; `":memory:"` gives an ephemeral in-memory store.
 * A file store creates its parent directory and, unless `lock: false`, takes `<dir>/LOCK`.
 * @throws {StoreError} DIR_IN_USE, LOCKED, CORRUPT, FOREIGN, SCHEMA_TOO_NEW, CANNOT_OPEN or IO.
 */
export function openStore(path: string, opts: OpenStoreOptions = {}): KVStore {
  const memory = path === ":memory:";
  const readonly = opts.readonly ?? false;
  const lock = !memory && (opts.lock ?? true);
  const file = memory ? path : resolve(path);
  let dirLock: DirLock | undefined;
  let db: DatabaseSync | undefined;
  try {
    if (readonly && !memory && !existsSync(file)) throw missing(file);
    if (lock) dirLock = acquireDirLock(dirname(file));
    else if (!memory && !readonly) makeParentDir(file);
    // Read-only is enforced with `query_only` rather than sqlite's read-only open flag: a read-only
    // connection cannot create the -wal/-shm files it needs to read a WAL database.
    db = new DatabaseSync(file);
    setupConnection(db, {
      path: file,
      memory,
      readonly,
      exclusive: lock && opts.shareReads !== true,
      quickCheck: opts.quickCheck ?? true,
      // Readers of this process (shareReads) can hold a lock for a moment; a write then waits for it
      // rather than failing. Without them, the only other holder would be another process: fail fast.
      busyTimeoutMs: opts.busyTimeoutMs ?? (lock && opts.shareReads !== true ? 0 : 1000),
      cacheSizeKiB: opts.cacheSizeKiB ?? 32768,
    });
    return new SqliteStore(db, file, readonly, dirLock);
  } catch (e) {
    try {
      db?.close();
    } catch {
      // Report the error that made the open fail, not a secondary one from closing.
    }
    dirLock?.release();
    throw e instanceof StoreError ? e : toStoreError(e, file);
  }
}

/**
 * Open the store of a node data directory: `<dir>/store.sqlite`, guarded by `<dir>/LOCK`.
 * @throws {StoreError} as {@link openStore}; DIR_IN_USE when another live process holds `dir`.
 */
export function openDataDir(dir: string, opts: Omit<OpenStoreOptions, "lock"> = {}): KVStore {
  return openStore(join(dir, STORE_FILE), { ...opts, lock: true });
}

class SqliteStore implements KVStore {
  #db: DatabaseSync | null;
  readonly #path: string;
  readonly #readonly: boolean;
  readonly #lock: DirLock | undefined;
  readonly #stmts = new Map<string, StatementSync>();

  constructor(db: DatabaseSync, path: string, readonly: boolean, lock: DirLock | undefined) {
    this.#db = db;
    this.#path = path;
    this.#readonly = readonly;
    this.#lock = lock;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const row = this.#run(() => this.#stmt("SELECT v FROM kv WHERE k = ?").get(checkKey(key, "key")));
    return row === undefined ? undefined : (row as unknown as [Uint8Array])[0];
  }

  has(key: Uint8Array): boolean {
    return this.#run(() => this.#stmt("SELECT 1 FROM kv WHERE k = ?").get(checkKey(key, "key"))) !== undefined;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#writable();
    this.#run(() => this.#putOne(key, value));
  }

  del(key: Uint8Array): void {
    this.#writable();
    this.#run(() => this.#delOne(key));
  }

  batch(ops: BatchOp[]): void {
    this.#writable();
    if (!Array.isArray(ops)) throw new TypeError("store: batch expects an array of ops");
    if (ops.length === 0) return;
    const db = this.#open();
    this.#run(() => db.exec("BEGIN IMMEDIATE"));
    try {
      for (let i = 0; i < ops.length; ) {
        const op = ops[i];
        if (op?.type === "put") i = this.#puts(ops, i);
        else if (op?.type === "del") {
          this.#delOne(op.key);
          i++;
        } else throw new TypeError(`store: unknown batch op type ${String((op as unknown as { type?: unknown } | undefined)?.type)}`);
      }
      db.exec("COMMIT");
    } catch (e) {
      rollback(db);
      throw e instanceof TypeError ? e : toStoreError(e, this.#path);
    }
  }

  iterate(opts: IterateOptions = {}): IterableIterator<[Uint8Array, Uint8Array]> {
    this.#open();
    const { lower, upper } = resolveRange(opts);
    const limit = opts.limit ?? Infinity;
    if (limit !== Infinity && !(Number.isSafeInteger(limit) && limit >= 0)) {
      throw new RangeError(`store: iterate limit must be a non-negative integer, got ${limit}`);
    }
    return this.#pages(lower, upper, opts.reverse === true, limit);
  }

  close(): void {
    const db = this.#db;
    if (db === null) return;
    this.#db = null;
    this.#stmts.clear();
    try {
      db.close();
    } finally {
      this.#lock?.release();
    }
  }

  // Pages through the range with bounded queries instead of holding one sqlite cursor open, so an
  // abandoned iterator pins no read transaction and writes during iteration stay legal. Keys come
  // in order; a write made during iteration is seen only if it lands beyond the page already read.
  *#pages(lower: Uint8Array | undefined, upper: Uint8Array | undefined, reverse: boolean, limit: number): Generator<[Uint8Array, Uint8Array]> {
    let remaining = limit;
    let page = PAGE_MIN;
    while (remaining > 0) {
      const want = Math.min(page, remaining);
      const rows = this.#run(() => {
        const sql = `SELECT k, v FROM kv${where(lower, upper)} ORDER BY k ${reverse ? "DESC" : "ASC"} LIMIT ?`;
        const args: Uint8Array[] = [];
        if (lower) args.push(lower);
        if (upper) args.push(upper);
        return this.#stmt(sql).all(...args, want) as unknown as Array<[Uint8Array, Uint8Array]>;
      });
      for (const row of rows) {
        this.#open();
        yield row;
      }
      const last = rows[rows.length - 1];
      if (rows.length < want || last === undefined) return;
      remaining -= rows.length;
      if (reverse) upper = last[0];
      else lower = successor(last[0]);
      page = Math.min(page * 2, PAGE_MAX);
    }
  }

  // The run of puts starting at ops[i], written PUT_ROWS[0] rows per statement while that many
  // remain, then PUT_ROWS[1], then one by one (a statement call costs more than a row; the rows of
  // one statement apply in order, as separate calls would). Returns the index after the run.
  #puts(ops: BatchOp[], i: number): number {
    let end = i;
    while (ops[end]?.type === "put") end++;
    for (const rows of PUT_ROWS) {
      const sql = putManySQL(rows);
      while (end - i >= rows) {
        const args: Uint8Array[] = new Array(2 * rows);
        for (let j = 0; j < rows; j++) {
          const op = ops[i + j] as { key: Uint8Array; value: Uint8Array };
          args[2 * j] = checkKey(op.key, "key");
          args[2 * j + 1] = checkKey(op.value, "value");
        }
        this.#stmt(sql).run(...args);
        i += rows;
      }
    }
    for (; i < end; i++) {
      const op = ops[i] as { key: Uint8Array; value: Uint8Array };
      this.#putOne(op.key, op.value);
    }
    return end;
  }

  #putOne(key: Uint8Array, value: Uint8Array): void {
    const k = checkKey(key, "key");
    const v = checkKey(value, "value");
    // An upsert rewrites the row in place; INSERT OR REPLACE would delete and re-insert it.
    this.#stmt("INSERT INTO kv(k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v").run(k, v);
  }

  #delOne(key: Uint8Array): void {
    this.#stmt("DELETE FROM kv WHERE k = ?").run(checkKey(key, "key"));
  }

  #stmt(sql: string): StatementSync {
    let s = this.#stmts.get(sql);
    if (s === undefined) {
      s = this.#open().prepare(sql);
      s.setReturnArrays(true);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  #open(): DatabaseSync {
    if (this.#db === null) {
      throw new StoreError({ code: StoreErrorCode.CLOSED, path: this.#path }, `store ${this.#path} is closed`);
    }
    return this.#db;
  }

  #writable(): void {
    this.#open();
    if (this.#readonly) {
      throw new StoreError({ code: StoreErrorCode.READONLY, path: this.#path }, `store ${this.#path} was opened read-only`);
    }
  }

  // Runs a sqlite call, mapping sqlite failures to StoreError; argument TypeErrors pass through.
  #run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw e instanceof TypeError || e instanceof RangeError ? e : toStoreError(e, this.#path);
    }
  }
}

// sqlite may already have rolled back by itself (e.g. on SQLITE_FULL); then there is nothing to undo.
// A failing ROLLBACK is not reported: the caller needs the error that failed the batch.
function rollback(db: DatabaseSync): void {
  if (!db.isTransaction) return;
  try {
    db.exec("ROLLBACK");
  } catch {
    // The next BEGIN surfaces a connection left in a transaction as a StoreError.
  }
}

function makeParentDir(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new StoreError({ code: StoreErrorCode.CANNOT_OPEN, path: file, detail }, `cannot create the directory of ${file}: ${detail}`, {
      cause: e,
    });
  }
}

function missing(file: string): StoreError {
  return new StoreError(
    { code: StoreErrorCode.CANNOT_OPEN, path: file, detail: "no such file" },
    `cannot open store ${file} read-only: no such file`,
  );
}

function where(lower: Uint8Array | undefined, upper: Uint8Array | undefined): string {
  if (lower && upper) return " WHERE k >= ? AND k < ?";
  if (lower) return " WHERE k >= ?";
  if (upper) return " WHERE k < ?";
  return "";
}
