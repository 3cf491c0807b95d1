// The README's performance section is generated from `make bench`'s summary (issue 11 item 8): the
// rows become a Markdown table between the markers, and only that part of the README changes.
import { describe, expect, test } from "bun:test";
import { README_END, README_START, replaceReadmeSection, summaryMarkdown } from "../../../scripts/bench/_readme.ts";

const rows = [
  { target: "sender recovery ≤ 100 µs/tx", measured: "83 µs", ratio: 1.2, holds: true, note: "native" },
  { target: "VDF ≤ 1.15× GMP", measured: "1.41×", ratio: 0.816, holds: false, note: "misses by 23% | WASM 32×32 multiply" },
];

describe("README performance section", () => {
  test("a table of every row, a missed target marked, pipes escaped", () => {
    const md = summaryMarkdown(rows, { date: "2026-12-04", machine: "2 cores" });
    expect(md).toContain("1 of 2 targets hold");
    expect(md).toContain("| sender recovery ≤ 100 µs/tx | 83 µs | 1.20 | yes | native |");
    expect(md).toContain("| VDF ≤ 1.15× GMP | 1.41× | 0.82 | **no** | misses by 23% \\| WASM 32×32 multiply |");
  });

  test("replaces only the text between the markers, again and again", () => {
    const readme = `# x\n\n## Performance\n${README_START}\nold\n${README_END}\n\n## Next\nkept\n`;
    const once = replaceReadmeSection(readme, "NEW");
    expect(once).toBe(`# x\n\n## Performance\n${README_START}\nNEW\n${README_END}\n\n## Next\nkept\n`);
    expect(replaceReadmeSection(once, "NEW")).toBe(once);
    expect(() => replaceReadmeSection("# no markers\n", "x")).toThrow("no <!-- bench:summary:start -->");
  });
});
