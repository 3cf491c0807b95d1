// Data-directory semantics: LOCK file with the owner's pid, stale-lock takeover, STORE_DIR_IN_USE
// and STORE_LOCKED for second openers, persistence across reopen, read-only opens.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { LOCK_FILE, openDataDir, openStore, STORE_FILE, StoreError, StoreErrorCode } from "../../../src/store/index.ts";

const HELPER = join(import.meta.dir, "_holdLock.ts");
const t = (s: string) => new TextEncoder().encode(s);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "harmony-store-lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e.code;
    throw e;
  }
  throw new Error("expected a StoreError");
}

/** A pid that is certainly dead: a child that has already exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
  return Number(r.stdout.trim());
}

describe("data dir lock", () => {
  test("creates the dir, writes our pid to LOCK, removes it on close, data persists", () => {
    const sub = join(dir, "a", "b");
    const store = openDataDir(sub);
    expect(readFileSync(join(sub, LOCK_FILE), "utf8").trim()).toBe(String(process.pid));
    store.put(t("k"), t("v"));
    store.close();
    expect(existsSync(join(sub, LOCK_FILE))).toBe(false);
    const again = openDataDir(sub);
    expect(again.get(t("k"))).toEqual(t("v"));
    again.close();
  });

  test("a second opener in the same process gets STORE_DIR_IN_USE naming the pid", () => {
    const store = openDataDir(dir);
    try {
      openDataDir(dir);
      throw new Error("expected STORE_DIR_IN_USE");
    } catch (e) {
      expect(e).toBeInstanceOf(StoreError);
      const err = e as StoreError;
      expect(err.code).toBe(StoreErrorCode.DIR_IN_USE);
      expect(err.message).toContain(`data dir ${dir} is in use`);
      expect(err.message).toContain(`pid ${process.pid}`);
      expect(err.type).toMatchObject({ pid: process.pid, lockFile: join(dir, LOCK_FILE) });
    }
    store.close();
    openDataDir(dir).close(); // free again after close
  });

  test("a stale LOCK of a dead pid is taken over, as is an empty one", () => {
    writeFileSync(join(dir, LOCK_FILE), `${deadPid()}\n`);
    const store = openDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8").trim()).toBe(String(process.pid));
    store.close();
    writeFileSync(join(dir, LOCK_FILE), "");
    openDataDir(dir).close();
  });

  test("a connection without the LOCK file still gets STORE_LOCKED from sqlite's exclusive lock", () => {
    const store = openDataDir(dir);
    expect(codeOf(() => openStore(join(dir, STORE_FILE), { lock: false, busyTimeoutMs: 50 }))).toBe(StoreErrorCode.LOCKED);
    store.close();
    const plain = openStore(join(dir, STORE_FILE), { lock: false });
    plain.close();
  });

  test("another process holding the dir: STORE_DIR_IN_USE in both directions", async () => {
    const child = spawn(process.execPath, [HELPER, dir], { stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = JSON.parse(String((await lines.next()).value));
    expect(first).toEqual({ ok: true, pid: child.pid });
    try {
      openDataDir(dir);
      throw new Error("expected STORE_DIR_IN_USE");
    } catch (e) {
      expect((e as StoreError).code).toBe(StoreErrorCode.DIR_IN_USE);
      expect((e as StoreError).message).toContain(`(pid ${child.pid})`);
    }
    child.stdin!.write("close\n");
    await new Promise((r) => child.once("exit", r));
    // Now we hold it, and a child is refused.
    const store = openDataDir(dir);
    expect(new TextDecoder().decode(store.get(t("child")))).toBe(String(child.pid));
    const r = spawnSync(process.execPath, [HELPER, dir], { encoding: "utf8" });
    const out = JSON.parse(r.stdout.trim());
    expect(out.ok).toBe(false);
    expect(out.code).toBe(StoreErrorCode.DIR_IN_USE);
    expect(out.message).toContain(`pid ${process.pid}`);
    store.close();
  }, 20_000);

  test("a SIGKILLed holder leaves a stale LOCK that the next opener takes over", async () => {
    const child = spawn(process.execPath, [HELPER, dir], { stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    expect(JSON.parse(String((await lines.next()).value)).ok).toBe(true);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(readFileSync(join(dir, LOCK_FILE), "utf8").trim()).toBe(String(child.pid));
    const store = openDataDir(dir);
    expect(new TextDecoder().decode(store.get(t("child")))).toBe(String(child.pid));
    store.close();
  }, 20_000);
});

describe("read-only", () => {
  test("reads work, writes throw STORE_READONLY; a missing file is STORE_CANNOT_OPEN", () => {
    const path = join(dir, "ro", STORE_FILE);
    const w = openStore(path);
    w.put(t("a"), t("1"));
    w.close();
    const r = openStore(path, { readonly: true });
    expect(r.get(t("a"))).toEqual(t("1"));
    expect([...r.iterate()].length).toBe(1);
    expect(codeOf(() => r.put(t("b"), t("2")))).toBe(StoreErrorCode.READONLY);
    expect(codeOf(() => r.batch([{ type: "del", key: t("a") }]))).toBe(StoreErrorCode.READONLY);
    r.close();
    expect(codeOf(() => openStore(join(dir, "nope", STORE_FILE), { readonly: true, lock: false }))).toBe(StoreErrorCode.CANNOT_OPEN);
    expect(codeOf(() => openStore(join(dir, "nope", STORE_FILE), { readonly: true }))).toBe(StoreErrorCode.CANNOT_OPEN);
    expect(existsSync(join(dir, "nope"))).toBe(false); // a failed read-only open creates nothing
  });

  test("a parent path that is a file: STORE_CANNOT_OPEN", () => {
    writeFileSync(join(dir, "f"), "x");
    expect(codeOf(() => openStore(join(dir, "f", STORE_FILE)))).toBe(StoreErrorCode.CANNOT_OPEN);
    expect(codeOf(() => openStore(join(dir, "f", STORE_FILE), { lock: false }))).toBe(StoreErrorCode.CANNOT_OPEN);
  });
});
