/**
 * `make bench`: runs every benchmark section and prints a table each, with ratios against a baseline
 * measured in the same run. Sections: scripts/bench/<name>.ts exporting `run()`. Pass section names as
 * arguments to run only those. Each section runs in a process of its own (one section's heap and
 * threads do not weigh on the next one's timings); their targets come back as rows of one summary
 * table (scripts/bench/_summary.ts), printed last.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { applyCryptoBackends } from "../../src/cli/_cryptoBackends.ts";
import { replaceReadmeSection, summaryMarkdown } from "./_readme.ts";
import { type SummaryRow, addSummaryRow, printSummary, summaryRows } from "./_summary.ts";

const SECTIONS = ["bls", "hash", "store", "vdf", "txpool", "block", "sync", "consensus", "staking", "sharding"];
const args = process.argv.slice(2);
// Internal: `--section NAME --rows FILE` runs one section here and writes its summary rows to FILE.
const child = args[0] === "--section" ? { name: args[1] as string, rows: args[3] as string } : undefined;

async function runSection(name: string): Promise<void> {
  const mod = (await import(join(import.meta.dir, `${name}.ts`))) as { run: () => Promise<void> };
  await mod.run();
}

if (child !== undefined) {
  // The kernels a node runs on (`auto`, as `harmony` picks them at start); a section may switch to compare.
  await applyCryptoBackends({});
  await runSection(child.name);
  writeFileSync(child.rows, JSON.stringify(summaryRows()));
  process.exit(0);
}

const only = args;
console.log(`# harmony-ts benchmarks (${new Date().toISOString()}, ${process.platform}/${process.arch})`);
const tmp = mkdtempSync(join(tmpdir(), "harmony-bench-"));
try {
  for (const name of SECTIONS) {
    if (only.length && !only.includes(name)) continue;
    if (!existsSync(join(import.meta.dir, `${name}.ts`))) continue;
    const rowsFile = join(tmp, `${name}.json`);
    const r = spawnSync(process.execPath, [import.meta.path, "--section", name, "--rows", rowsFile], { stdio: "inherit" });
    if (r.status !== 0 || !existsSync(rowsFile)) {
      console.log(`\nsection ${name} failed (exit ${r.status ?? r.signal}); its targets are missing from the summary`);
      continue;
    }
    for (const row of JSON.parse(readFileSync(rowsFile, "utf8")) as SummaryRow[]) addSummaryRow(row);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
printSummary();
// A full run (every section) rewrites the README's performance section; a partial one leaves it.
if (only.length === 0 && summaryRows().length > 0) {
  const readme = join(import.meta.dir, "../../README.md");
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${process.platform}/${process.arch}`;
  writeFileSync(readme, replaceReadmeSection(readFileSync(readme, "utf8"), summaryMarkdown(summaryRows(), { date: new Date().toISOString().slice(0, 10), machine })));
  console.log("\nREADME.md: performance section rewritten from this summary");
}
