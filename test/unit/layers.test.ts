// DESIGN §2 "Imports point down only": fails when a layer imports one it may not.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";

const SRC = resolve(import.meta.dir, "../../src");

// Direct dependencies per layer; the closure is computed below. `util` and `version` are leaves anyone may use.
const DIRECT: Record<string, string[]> = {
  util: [],
  version: [],
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
  p2p: ["core", "adapter"],
  sync: ["chain", "p2p"],
  rpc: ["chain", "txpool", "adapter"],
  node: ["rpc", "sync", "consensus", "p2p", "chain", "txpool", "adapter", "store", "crypto", "staking", "shard", "randomness"],
  cli: ["node"],
};

function closure(layer: string, seen = new Set<string>()): Set<string> {
  for (const d of DIRECT[layer] ?? []) if (!seen.has(d)) { seen.add(d); closure(d, seen); }
  return seen;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

function layerOf(absPath: string): string {
  const rel = relative(SRC, absPath);
  const first = rel.split("/")[0] ?? "";
  return first.replace(/\.ts$/, "");
}

describe("layer imports", () => {
  test("every import in src/ points down the layers of DESIGN §2", () => {
    const violations: string[] = [];
    for (const f of files(SRC)) {
      const from = layerOf(f);
      const allowed = closure(from);
      allowed.add(from).add("util").add("version");
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g)) {
        const spec = m[1] ?? m[2];
        if (!spec) continue;
        const target = resolve(dirname(f), spec);
        if (!target.startsWith(SRC)) {
          if (from === "version" && spec === "../package.json") continue; // the version string, embedded at build
          violations.push(`${relative(SRC, f)} imports outside src: ${spec}`);
          continue;
        }
        const to = layerOf(target);
        if (!allowed.has(to)) violations.push(`${relative(SRC, f)} (${from}) -> ${to} via ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test("only src/adapter names Bun or Deno globals", () => {
    const bad: string[] = [];
    for (const f of files(SRC)) {
      if (relative(SRC, f).startsWith("adapter/")) continue;
      const text = readFileSync(f, "utf8").replace(/\/\/.*$/gm, "");
      if (/\b(Bun|Deno)\.[a-zA-Z]/.test(text) || /from\s+["']bun["']/.test(text)) bad.push(relative(SRC, f));
    }
    expect(bad).toEqual([]);
  });
});
