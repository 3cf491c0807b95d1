// Damaged or unexpected database files fail with a typed error (never a crash) and release the LOCK.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCK_FILE, openDataDir, SCHEMA_VERSION, STORE_FILE, StoreError, StoreErrorCode } from "../../../src/store/index.ts";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "harmony-store-corrupt-"));
  file = join(dir, STORE_FILE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random bytes (xorshift32), so a failure reproduces. */
function noise(n: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function populate(): void {
  const s = openDataDir(dir);
  const ops = [];
  for (let i = 0; i < 3000; i++) ops.push({ type: "put" as const, key: new TextEncoder().encode(`key-${i}`), value: noise(100, i + 1) });
  s.batch(ops);
  s.close();
}

function openError(): StoreError {
  try {
    openDataDir(dir).close();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error("expected the open to fail");
}

function expectCorrupt(): void {
  const e = openError();
  expect(e.code).toBe(StoreErrorCode.CORRUPT);
  expect(e.message).toContain(file);
  expect(e.message).toContain("restore the data directory from a backup");
  expect(existsSync(join(dir, LOCK_FILE))).toBe(false); // the failed open released the lock
  expect(openError().code).toBe(StoreErrorCode.CORRUPT); // and a retry gives the same answer
}

describe("corrupt files", () => {
  test("random bytes over the whole file: STORE_CORRUPT", () => {
    populate();
    writeFileSync(file, noise(statSync(file).size));
    expectCorrupt();
  });

  test("random bytes over every page after the header page: STORE_CORRUPT", () => {
    populate();
    const size = statSync(file).size;
    const fd = openSync(file, "r+");
    writeSync(fd, noise(size - 4096, 7), 0, size - 4096, 4096);
    closeSync(fd);
    expectCorrupt();
  });

  test("a truncated file: STORE_CORRUPT", () => {
    populate();
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expectCorrupt();
  });

  test("a text file in place of the database: STORE_CORRUPT", () => {
    writeFileSync(file, "this is not a database\n".repeat(400));
    expectCorrupt();
  });
});

describe("schema", () => {
  test("a newer schema version is refused with STORE_SCHEMA_TOO_NEW", () => {
    populate();
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const e = openError();
    expect(e.code).toBe(StoreErrorCode.SCHEMA_TOO_NEW);
    expect(e.type).toMatchObject({ found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  test("another application's sqlite database is refused with STORE_FOREIGN", () => {
    const db = new DatabaseSync(file);
    db.exec("CREATE TABLE t(x)");
    db.close();
    expect(openError().code).toBe(StoreErrorCode.FOREIGN);
  });

  test("the schema version is persisted and the store reopens", () => {
    populate();
    const db = new DatabaseSync(file);
    expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: SCHEMA_VERSION });
    db.close();
    const s = openDataDir(dir);
    expect(s.get(new TextEncoder().encode("key-2999"))).toEqual(noise(100, 3000));
    s.close();
  });
});
