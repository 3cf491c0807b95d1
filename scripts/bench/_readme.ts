/**
 * The README's performance section, generated from the summary of a full `make bench` run (issue 11
 * item 8): the rows go between two marker comments, replacing what a previous run wrote there.
 */
import type { SummaryRow } from "./_summary.ts";

export const README_START = "<!-- bench:summary:start -->";
export const README_END = "<!-- bench:summary:end -->";

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The summary as a Markdown table with the run's date and machine. */
export function summaryMarkdown(rows: readonly SummaryRow[], meta: { date: string; machine: string }): string {
  const held = rows.filter((r) => r.holds).length;
  const lines = [
    `Measured by \`make bench\` on ${meta.machine}, ${meta.date}: ${held} of ${rows.length} targets hold (ratio ≥ 1 holds).`,
    "",
    "| target | measured | ratio | holds | note |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${cell(r.target)} | ${cell(r.measured)} | ${r.ratio.toFixed(2)} | ${r.holds ? "yes" : "**no**"} | ${cell(r.note)} |`),
  ];
  return lines.join("\n");
}

/**
 * `readme` with the text between the markers replaced by `section`.
 * @throws {Error} when the README lacks the markers (nothing is guessed).
 */
export function replaceReadmeSection(readme: string, section: string): string {
  const a = readme.indexOf(README_START);
  const b = readme.indexOf(README_END);
  if (a < 0 || b < a) throw new Error(`README has no ${README_START} … ${README_END} section`);
  return `${readme.slice(0, a + README_START.length)}\n${section}\n${readme.slice(b)}`;
}
