import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backupDataDir } from "../../../src/cli/db.ts";
import { UsageError } from "../../../src/cli/usageError.ts";
import { openDataDir, openStore, STORE_FILE } from "../../../src/store/index.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const root = mkdtempSync(join(tmpdir(), "hmy-dbbackup-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A multi-shard node's data dir: home store + shards/1 and shards/2 stores, safety records, and key files.
function dataDir(): string {
  const d = join(root, "node");
  for (const [rel, v] of [["", "home"], ["shards/1", "one"], ["shards/2", "two"]] as const) {
    const s = openDataDir(join(d, rel, "chain"), { shareReads: true });
    s.put(enc.encode("who"), enc.encode(v));
    s.close();
    mkdirSync(join(d, rel, "consensus"), { recursive: true });
    writeFileSync(join(d, rel, "consensus", "safety.rlp"), `safety-${v}`);
  }
  mkdirSync(join(d, "keystore"), { recursive: true });
  writeFileSync(join(d, "keystore", "bls-x.json"), "{}");
  writeFileSync(join(d, "nodekey"), "00");
  return d;
}

describe("backupDataDir", () => {
  const d = dataDir();

  test("copies every store and safety record with the same layout, and no keys", () => {
    const out = join(root, "out");
    const r = backupDataDir(d, out);
    expect(r.stores).toEqual([join("chain", STORE_FILE), join("shards/1", "chain", STORE_FILE), join("shards/2", "chain", STORE_FILE)]);
    for (const [rel, v] of [["", "home"], ["shards/1", "one"], ["shards/2", "two"]] as const) {
      const s = openStore(join(out, rel, "chain", STORE_FILE), { lock: false, readonly: true });
      expect(dec.decode(s.get(enc.encode("who")))).toBe(v);
      s.close();
      expect(readFileSync(join(out, rel, "consensus", "safety.rlp"), "utf8")).toBe(`safety-${v}`);
    }
    expect(existsSync(join(out, "keystore"))).toBe(false);
    expect(existsSync(join(out, "nodekey"))).toBe(false);
  });

  test("usage errors name the bad directory", () => {
    const nonEmpty = join(root, "busy");
    mkdirSync(nonEmpty, { recursive: true });
    writeFileSync(join(nonEmpty, "f"), "x");
    const msg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof UsageError ? e.message : `other: ${String(e)}`;
      }
      return "none";
    };
    expect(msg(() => backupDataDir(d, nonEmpty))).toContain(nonEmpty);
    expect(msg(() => backupDataDir(join(root, "missing"), join(root, "o1")))).toContain(join(root, "missing"));
    expect(msg(() => backupDataDir(d, join(d, "inside")))).toContain("outside");
    // An empty existing directory is a valid target.
    mkdirSync(join(root, "empty"));
    expect(backupDataDir(d, join(root, "empty")).stores.length).toBe(3);
  });
});
