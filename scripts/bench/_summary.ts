/**
 * The summary table printed at the end of `make bench`: each section pushes one row per target of
 * the issue it measures, and scripts/bench/index.ts prints them together after the last section.
 */
import { printTable, type Row } from "./_table.ts";

/** One target: what is promised, what this run measured, and whether it holds. */
export interface SummaryRow {
  /** The target as the issue states it, e.g. "sender recovery ≤ 100 µs/tx". */
  target: string;
  /** The measured value with its unit. */
  measured: string;
  /** Measured over the bound, oriented so that ≥ 1 means the target holds (e.g. 0.9× of a baseline / 0.5 needed). */
  ratio: number;
  holds: boolean;
  /** By how much a missed target misses and what limits it; or what the row measured. */
  note: string;
}

const rows: SummaryRow[] = [];

/** Add a row to the summary of this run. */
export function addSummaryRow(row: SummaryRow): void {
  rows.push(row);
}

/** The rows collected so far. */
export function summaryRows(): readonly SummaryRow[] {
  return rows;
}

/** Print every row collected so far (nothing when no section added one). */
export function printSummary(): void {
  if (rows.length === 0) return;
  const table: Row[] = rows.map((r) => ({ target: r.target, measured: r.measured, ratio: r.ratio, holds: r.holds ? "yes" : "NO", note: r.note }));
  printTable(`summary: ${rows.filter((r) => r.holds).length} of ${rows.length} targets hold (ratio ≥ 1 = holds)`, table);
}
