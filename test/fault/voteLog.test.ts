// The double-signing check of the fault harness (_voteLog.ts) on hand-written vote logs.
import { describe, expect, test } from "bun:test";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VoteLogChecker, parseVoteLine } from "./_voteLog.ts";

const KEY = `0x${"ab".repeat(48)}`;
const OTHER = `0x${"cd".repeat(48)}`;
const H1 = `0x${"11".repeat(32)}`;
const H2 = `0x${"22".repeat(32)}`;
const line = (o: Record<string, unknown>) => `${JSON.stringify({ kind: "commit", height: "7", view: "2", blockHash: H1, keys: [KEY], ...o })}\n`;

describe("vote log check", () => {
  const dir = mkdtempSync(join(tmpdir(), "fault-votes-"));
  const a = join(dir, "a.jsonl");
  const b = join(dir, "b.jsonl");

  test("the same vote twice, other heights, views, kinds and keys are no conflict", () => {
    const c = new VoteLogChecker();
    appendFileSync(a, line({}) + line({}) + line({ height: "8", blockHash: H2 }) + line({ view: "3", blockHash: H2 }) + line({ kind: "prepare", blockHash: H2 }));
    appendFileSync(b, line({ keys: [OTHER], blockHash: H2 }));
    expect(c.check("a", a)).toEqual([]);
    expect(c.check("b", b)).toEqual([]);
    expect(c.linesOf("a")).toBe(5);
  });

  test("one key signing two blocks at one kind, height and view is caught, across files and calls", () => {
    const c = new VoteLogChecker();
    appendFileSync(a, line({ kind: "viewchange", height: "9", view: "4", blockHash: null }));
    expect(c.check("a", a)).toEqual([]);
    appendFileSync(b, line({ kind: "viewchange", height: "9", view: "4", blockHash: H1, keys: [OTHER, KEY] }));
    const v = c.check("b", b);
    expect(v.length).toBe(1);
    expect(v[0]).toContain("two different viewchange messages at height 9 view 4");
  });

  test("an unfinished last line waits for its newline; a malformed line is reported", () => {
    const c = new VoteLogChecker();
    const f = join(dir, "c.jsonl");
    const full = line({ blockHash: H2 });
    appendFileSync(f, full.slice(0, 20));
    expect(c.check("c", f)).toEqual([]);
    expect(c.linesOf("c")).toBe(0);
    appendFileSync(f, full.slice(20));
    expect(c.check("c", f)).toEqual([]);
    expect(c.linesOf("c")).toBe(1);
    appendFileSync(f, "{\"kind\":\"vote\"}\n");
    expect(c.check("c", f)[0]).toContain("malformed vote log line (unknown kind");
  });

  test("line shape", () => {
    expect(parseVoteLine(line({ blockHash: H1.toUpperCase().replace("0X", "0x") })).blockHash).toBe(H1);
    expect(() => parseVoteLine(line({ height: "0x7" }))).toThrow(/bad height/);
    expect(() => parseVoteLine(line({ keys: ["0x12"] }))).toThrow(/bad keys/);
    expect(parseVoteLine(line({ kind: "viewchange", blockHash: null, keys: [] })).keys).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
