// DESIGN §2 "Imports point down only", STYLE 5–6: the checks of _importGraph.ts applied to src/ and mod.ts.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import {
  buildImportGraph,
  findCycles,
  foreignPrivateImports,
  layerViolations,
  packageViolations,
} from "./_importGraph.ts";

const ROOT = resolve(import.meta.dir, "../..");

/** Direct dependencies per layer (DESIGN §2); each layer may also use what its dependencies may. */
const LAYERS: Record<string, readonly string[]> = {
  crypto: [],
  store: [],
  adapter: [],
  core: ["crypto"],
  state: ["core", "store"],
  consensus: ["core", "crypto"],
  randomness: ["core", "crypto"],
  staking: ["state"],
  txpool: ["state"],
  execution: ["staking"],
  shard: ["staking"],
  chain: ["execution", "shard", "randomness", "store"],
  p2p: ["core", "store", "adapter"],
  sync: ["chain", "p2p"],
  rpc: ["chain", "txpool", "adapter"],
  node: ["rpc", "sync", "consensus", "p2p", "chain", "txpool", "adapter", "store", "crypto", "staking", "shard", "randomness"],
  cli: ["node"],
};
/** Leaves anyone may import: shared helpers and the version string. */
const LEAVES = ["util", "version"];

/**
 * Which layers may import a package (DESIGN §1–2): each library is wrapped by one layer and the others use
 * that layer's surface. Packages not listed (`@ethereumjs/rlp`, `@ethereumjs/util`, `@ethereumjs/common`,
 * `node:` built-ins other than sqlite) are general-purpose and free for all.
 */
const PACKAGE_OWNERS: Record<string, readonly string[]> = {
  // core decodes transactions (one decoder, one intrinsic-gas rule); the rest read core's Transaction.
  "@ethereumjs/tx": ["core"],
  "@ethereumjs/evm": ["execution"],
  "@ethereumjs/mpt": ["state"],
  // crypto is the wrapper layer: hashing, curves, BLS and secp256k1 backends are reached through it.
  "@noble/": ["crypto"],
  "bls-eth-wasm": ["crypto"],
  "@chainsafe/blst": ["crypto"],
  secp256k1: ["crypto"],
  "@solar-republic/wasm-secp256k1": ["crypto"],
  "node:sqlite": ["store"],
  // rpc builds the Hono app; node only mounts its extra routes on it.
  hono: ["rpc", "node"],
  commander: ["cli"],
  // One registry per node; chain, rpc and p2p report through observer hooks the node wires.
  "prom-client": ["node"],
  bun: ["adapter"],
};

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

const sources = new Map<string, string>();
for (const f of [...tsFiles(join(ROOT, "src")), join(ROOT, "mod.ts")]) sources.set(relative(ROOT, f), readFileSync(f, "utf8"));
const graph = buildImportGraph(sources);
// src/version.ts reads the version from package.json, embedded at build: the one import out of src/.
const srcGraph = new Map([...graph].map(([f, imports]) => [f, imports.filter((t) => t !== "package.json")]));

describe("import graph of src/", () => {
  test("every import points down the layers of DESIGN §2", () => {
    expect(layerViolations(srcGraph, LAYERS, LEAVES)).toEqual([]);
  });

  test("no import cycles", () => {
    expect(findCycles(graph)).toEqual([]);
  });

  test("no _file.ts is imported from outside its folder", () => {
    expect(foreignPrivateImports(graph)).toEqual([]);
  });

  test("each wrapped package is imported only by the layer that owns it", () => {
    expect(packageViolations(graph, PACKAGE_OWNERS)).toEqual([]);
  });

  test("the graph saw the tree (guards against a parser that finds nothing)", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("src/cli/index.ts")).toContain("src/cli/commands.ts");
    expect(graph.get("src/store/sqlite.ts")).toContain("node:sqlite");
  });

  test("only src/adapter names Bun or Deno globals", () => {
    const bad: string[] = [];
    for (const [f, text] of sources) {
      if (f.startsWith("src/adapter/") || !f.startsWith("src/")) continue;
      const code = text.replace(/\/\/.*$/gm, "");
      if (/\b(Bun|Deno)\.[a-zA-Z]/.test(code) || /from\s+["']bun["']/.test(code)) bad.push(f);
    }
    expect(bad).toEqual([]);
  });
});
