import { afterAll, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { backupStore, openDataDir, openStore, STORE_FILE, StoreError, StoreErrorCode } from "../../../src/store/index.ts";
import { WRITER_BATCH_KEYS } from "./_backupWriter.ts";

const WRITER = join(import.meta.dir, "_backupWriter.ts");
const enc = new TextEncoder();
const dec = new TextDecoder();
const dirs: string[] = [];
const children: ChildProcess[] = [];

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "hmy-backup-"));
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// Resolves with the highest batch the writer has acknowledged once it reaches `atLeast`.
function acks(child: ChildProcess): { reach(atLeast: number): Promise<number> } {
  let last = -1;
  const waiters: Array<{ n: number; resolve: (v: number) => void }> = [];
  let buf = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buf += chunk.toString();
    const lines = buf.split("\n");
    buf = lines.pop() ?? "";
    for (const l of lines) if (l.startsWith("ack ")) last = Number(l.slice(4));
    for (const w of waiters.splice(0)) if (last >= w.n) w.resolve(last); else waiters.push(w);
  });
  return {
    reach: (n) => new Promise((resolve, reject) => {
      if (last >= n) return resolve(last);
      waiters.push({ n, resolve });
      child.once("exit", (code) => reject(new Error(`writer exited (${code}) before batch ${n}`)));
    }),
  };
}

describe("backupStore", () => {
  test("copies a store while another process writes it: every key written before, whole batches only", async () => {
    const dir = join(tmp(), "chain");
    const before = openDataDir(dir);
    before.batch(Array.from({ length: 500 }, (_, i) => ({ type: "put" as const, key: enc.encode(`pre-${i}`), value: enc.encode(`v${i}`) })));
    before.close();

    const child = spawn(process.execPath, [WRITER, dir], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    const writer = acks(child);
    const ackedBefore = await writer.reach(20);
    const out = join(tmp(), "copy", STORE_FILE);
    backupStore(join(dir, STORE_FILE), out);
    // The writer kept going during and after the copy: the copy was taken from a live store.
    await writer.reach(ackedBefore + 20);
    child.kill("SIGKILL");

    const copy = openStore(out, { lock: false, readonly: true });
    try {
      for (let i = 0; i < 500; i++) expect(dec.decode(copy.get(enc.encode(`pre-${i}`)))).toBe(`v${i}`);
      const last = Number(dec.decode(copy.get(enc.encode("last"))));
      expect(last).toBeGreaterThanOrEqual(ackedBefore);
      for (let i = 0; i <= last; i++) for (let j = 0; j < WRITER_BATCH_KEYS; j++) expect(copy.get(enc.encode(`w${i}-${j}`))).toBeDefined();
      expect(copy.get(enc.encode(`w${last + 1}-0`))).toBeUndefined();
    } finally {
      copy.close();
    }
  }, 60_000);

  test("refuses an existing target, a missing source and a file that is not a harmony store", () => {
    const d = tmp();
    const src = join(d, "a", STORE_FILE);
    const s = openStore(src, { lock: false });
    s.put(enc.encode("k"), enc.encode("v"));
    s.close();
    const taken = join(d, "taken.sqlite");
    writeFileSync(taken, "x");
    const code = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return e instanceof StoreError ? e.type.code : `other: ${String(e)}`;
      }
      return "none";
    };
    expect(code(() => backupStore(src, taken))).toBe(StoreErrorCode.CANNOT_OPEN);
    expect(code(() => backupStore(join(d, "nope.sqlite"), join(d, "o1.sqlite")))).toBe(StoreErrorCode.CANNOT_OPEN);
    const foreign = new DatabaseSync(join(d, "foreign.sqlite"));
    foreign.exec("CREATE TABLE t(x)");
    foreign.close();
    expect(code(() => backupStore(join(d, "foreign.sqlite"), join(d, "o2.sqlite")))).toBe(StoreErrorCode.FOREIGN);
    backupStore(src, join(d, "ok", STORE_FILE));
    const copy = openStore(join(d, "ok", STORE_FILE), { lock: false, readonly: true });
    expect(dec.decode(copy.get(enc.encode("k")))).toBe("v");
    copy.close();
  });
});
