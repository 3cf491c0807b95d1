/**
 * `make bench`: runs every benchmark section in one process and prints a table each, with ratios
 * against a baseline measured in the same run. Sections: scripts/bench/<name>.ts exporting `run()`.
 * Pass section names as arguments to run only those. Sections add their targets to one summary
 * table (scripts/bench/_summary.ts), printed last.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { replaceReadmeSection, summaryMarkdown } from "./_readme.ts";
import { printSummary, summaryRows } from "./_summary.ts";

const SECTIONS = ["bls", "hash", "store", "vdf", "txpool", "block", "sync", "consensus", "staking"];
const only = process.argv.slice(2);

console.log(`# harmony-ts benchmarks (${new Date().toISOString()}, ${process.platform}/${process.arch})`);
for (const name of SECTIONS) {
  if (only.length && !only.includes(name)) continue;
  const file = join(import.meta.dir, `${name}.ts`);
  if (!existsSync(file)) continue;
  const mod = (await import(file)) as { run: () => Promise<void> };
  await mod.run();
}
printSummary();
// A full run (every section) rewrites the README's performance section; a partial one leaves it.
if (only.length === 0 && summaryRows().length > 0) {
  const readme = join(import.meta.dir, "../../README.md");
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${process.platform}/${process.arch}`;
  writeFileSync(readme, replaceReadmeSection(readFileSync(readme, "utf8"), summaryMarkdown(summaryRows(), { date: new Date().toISOString().slice(0, 10), machine })));
  console.log("\nREADME.md: performance section rewritten from this summary");
}
