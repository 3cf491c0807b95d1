/** Prints one benchmark section as an aligned table; every section of `make bench` uses it. */

export type Cell = string | number;
export type Row = Record<string, Cell>;

function show(v: Cell): string {
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/** Print `rows` under `title`; columns are the union of the rows' keys, in first-seen order. */
export function printTable(title: string, rows: Row[]): void {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const cells = rows.map((r) => cols.map((c) => (r[c] === undefined ? "-" : show(r[c] as Cell))));
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(width[i] ?? 0)).join(" | ")} |`;
  console.log(`\n## ${title}\n`);
  console.log(line(cols));
  console.log(`|${width.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of cells) console.log(line(row));
}

/** Time `fn` for at least `minMs` (and at least `minIters` calls); returns µs per call. */
export async function timeIt(fn: () => unknown | Promise<unknown>, opts: { minMs?: number; minIters?: number } = {}): Promise<number> {
  const minMs = opts.minMs ?? 1000;
  const minIters = opts.minIters ?? 5;
  await fn(); // warm-up
  let iters = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs || iters < minIters) {
    await fn();
    iters++;
    t = performance.now();
  }
  return ((t - t0) * 1000) / iters;
}
