/**
 * The import-graph checks behind `layers.test.ts` (DESIGN §2, STYLE 5–6), as pure functions over a graph
 * {file → what it imports}, so `importGraph.test.ts` can show each check failing on a small synthetic graph.
 * Files are repository-relative paths ("src/cli/index.ts", "mod.ts"); an import is either another such
 * path (a resolved relative import) or a bare package specifier ("hono/cors", "node:sqlite").
 * @module
 */
import { posix } from "node:path";

/** file → resolved imports (repository-relative paths or bare package specifiers). */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

// Static `import … from`, `export … from`, side-effect `import "x"` and dynamic `import("x")`.
const IMPORT_RE =
  /(?:^|[;\n}])\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The module specifiers a source text imports, in order, comments removed first. */
export function parseImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const out: string[] = [];
  for (const m of code.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2];
    if (spec) out.push(spec);
  }
  return out;
}

/** True for a specifier that names a file of ours rather than a package. */
export function isRelative(spec: string): boolean {
  return spec.startsWith("./") || spec.startsWith("../");
}

/**
 * Builds the graph from {repository-relative path → source text}: relative specifiers are resolved
 * against the importing file, packages are kept as written.
 */
export function buildImportGraph(sources: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    graph.set(
      file,
      parseImports(text).map((s) => (isRelative(s) ? posix.normalize(posix.join(posix.dirname(file), s)) : s)),
    );
  }
  return graph;
}

/** The layer of a file: the first folder under src/, or the file's stem for `src/x.ts`; null outside src/. */
export function layerOf(file: string): string | null {
  if (!file.startsWith("src/")) return null;
  const first = file.slice(4).split("/")[0] ?? "";
  return first.replace(/\.ts$/, "");
}

/** Every layer `layer` may import: its direct dependencies and theirs, transitively, plus itself. */
export function allowedLayers(direct: Readonly<Record<string, readonly string[]>>, layer: string): Set<string> {
  const seen = new Set<string>([layer]);
  const todo = [layer];
  while (todo.length > 0) {
    for (const d of direct[todo.pop() as string] ?? []) if (!seen.has(d)) { seen.add(d); todo.push(d); }
  }
  return seen;
}

/**
 * Imports between src/ files that go against `direct` (layer → layers it may import directly). `leaves`
 * are layers anyone may import. A src/ file importing a path outside src/ is reported too.
 */
export function layerViolations(
  graph: ImportGraph,
  direct: Readonly<Record<string, readonly string[]>>,
  leaves: readonly string[] = [],
): string[] {
  const out: string[] = [];
  for (const [file, imports] of graph) {
    const from = layerOf(file);
    if (from === null) continue;
    const allowed = allowedLayers(direct, from);
    for (const to of imports) {
      if (!isPath(to)) continue;
      const target = layerOf(to);
      if (target === null) out.push(`${file} imports outside src/: ${to}`);
      else if (!allowed.has(target) && !leaves.includes(target)) out.push(`${file} (${from}) -> ${to} (${target})`);
    }
  }
  return out.sort();
}

/**
 * The import cycles among files of the graph: each strongly connected component of more than one
 * file (or a file importing itself), as its sorted file list (Tarjan's algorithm, iterative).
 */
export function findCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const edges = (f: string): string[] => (graph.get(f) ?? []).filter((t) => graph.has(t));

  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { file: string; i: number }[] = [{ file: root, i: 0 }];
    index.set(root, next); low.set(root, next); next++; stack.push(root); onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1] as { file: string; i: number };
      const out = edges(top.file);
      if (top.i < out.length) {
        const to = out[top.i++] as string;
        if (!index.has(to)) {
          index.set(to, next); low.set(to, next); next++; stack.push(to); onStack.add(to);
          work.push({ file: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(top.file, Math.min(low.get(top.file) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.file, Math.min(low.get(parent.file) as number, low.get(top.file) as number));
      if (low.get(top.file) !== index.get(top.file)) continue;
      const scc: string[] = [];
      let f: string;
      do { f = stack.pop() as string; onStack.delete(f); scc.push(f); } while (f !== top.file);
      if (scc.length > 1 || out.includes(top.file)) cycles.push(scc.sort());
    }
  }
  return cycles.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/** Imports of a `_file.ts` (internal to its folder) from a file in another folder. */
export function foreignPrivateImports(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [file, imports] of graph) {
    for (const to of imports) {
      if (!isPath(to) || !posix.basename(to).startsWith("_")) continue;
      if (posix.dirname(to) !== posix.dirname(file)) out.push(`${file} -> ${to}`);
    }
  }
  return out.sort();
}

/**
 * Imports of a package by a layer that does not own it. `owners` maps a package name, or a scope
 * prefix ending in "/" such as "@noble/", to the layers allowed to import it; packages not listed are
 * free for all. Files outside src/ are not checked.
 */
export function packageViolations(
  graph: ImportGraph,
  owners: Readonly<Record<string, readonly string[]>>,
): string[] {
  const out: string[] = [];
  for (const [file, imports] of graph) {
    const layer = layerOf(file);
    if (layer === null) continue;
    for (const spec of imports) {
      if (isPath(spec)) continue;
      const key = ownerKey(owners, spec);
      if (key !== null && !(owners[key] as readonly string[]).includes(layer)) {
        out.push(`${file} (${layer}) imports ${spec}, owned by ${(owners[key] as readonly string[]).join("/")}`);
      }
    }
  }
  return out.sort();
}

function ownerKey(owners: Readonly<Record<string, readonly string[]>>, spec: string): string | null {
  for (const key of Object.keys(owners)) {
    if (key.endsWith("/") ? spec.startsWith(key) : spec === key || spec.startsWith(`${key}/`)) return key;
  }
  return null;
}

// A resolved import of one of our files (after buildImportGraph) rather than a package.
function isPath(spec: string): boolean {
  if (spec.startsWith("@") || spec.startsWith("node:")) return false;
  return spec.endsWith(".ts") || spec.endsWith(".json");
}
