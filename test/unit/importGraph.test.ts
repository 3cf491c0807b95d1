// The checker behind layers.test.ts, shown to fail on small synthetic trees (a cycle, a foreign
// `_file.ts` import, a package imported by the wrong layer, an upward import).
import { describe, expect, test } from "bun:test";
import {
  buildImportGraph,
  findCycles,
  foreignPrivateImports,
  layerViolations,
  packageViolations,
  parseImports,
} from "./_importGraph.ts";

const graphOf = (files: Record<string, string>) => buildImportGraph(new Map(Object.entries(files)));

describe("parseImports", () => {
  test("static, type-only, re-export, side-effect and dynamic imports; comments ignored", () => {
    const text = [
      `import { a } from "./a.ts";`,
      `import type { B } from "../b/index.ts";`,
      `import {\n  c,\n  d,\n} from "pkg/sub";`,
      `export { e } from "./_e.ts";`,
      `export * as f from "./f.ts";`,
      `import "./side.ts";`,
      `const g = await import("./g.ts");`,
      `// import { no } from "./commented.ts";`,
      `/* import { no2 } from "./blockComment.ts"; */`,
      `const s = "http://example.com"; // a URL is not a comment start`,
      `const h = 'from "./notAnImport.ts"';`,
    ].join("\n");
    expect(parseImports(text)).toEqual(["./a.ts", "../b/index.ts", "pkg/sub", "./_e.ts", "./f.ts", "./side.ts", "./g.ts"]);
  });

  test("relative specifiers are resolved against the importing file; packages kept", () => {
    const g = graphOf({ "src/a/x.ts": `import { y } from "../b/y.ts";\nimport { h } from "hono/cors";` });
    expect(g.get("src/a/x.ts")).toEqual(["src/b/y.ts", "hono/cors"]);
  });
});

describe("findCycles", () => {
  test("reports each cycle's files, and nothing for a DAG", () => {
    const dag = graphOf({
      "src/a/index.ts": `import "./x.ts"; import "./y.ts";`,
      "src/a/x.ts": `import "./y.ts";`,
      "src/a/y.ts": ``,
    });
    expect(findCycles(dag)).toEqual([]);

    const cyclic = graphOf({
      "src/cli/index.ts": `await import("./commands.ts");`,
      "src/cli/commands.ts": `import "./node.ts";`,
      "src/cli/node.ts": `import { UsageError } from "./index.ts";`,
      "src/cli/usage.ts": ``,
      "src/consensus/_a.ts": `import { b } from "./_b.ts";`,
      "src/consensus/_b.ts": `import { a } from "./_a.ts";`,
      "src/consensus/step.ts": `import "./_a.ts";`,
      "src/self.ts": `import "./self.ts";`,
    });
    expect(findCycles(cyclic)).toEqual([
      ["src/cli/commands.ts", "src/cli/index.ts", "src/cli/node.ts"],
      ["src/consensus/_a.ts", "src/consensus/_b.ts"],
      ["src/self.ts"],
    ]);
  });

  test("a long chain does not overflow and a cycle closing at its end is found", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) files[`src/a/f${i}.ts`] = `import "./f${i + 1}.ts";`;
    files["src/a/f5000.ts"] = `import "./f4998.ts";`;
    expect(findCycles(graphOf(files))).toEqual([["src/a/f4998.ts", "src/a/f4999.ts", "src/a/f5000.ts"]]);
  });
});

describe("foreignPrivateImports", () => {
  test("an underscore file may be imported from its own folder only", () => {
    const g = graphOf({
      "src/p2p/index.ts": `export { frame } from "./_frame.ts";`,
      "src/p2p/_frame.ts": ``,
      "src/p2p/sub/x.ts": `import "../_frame.ts";`,
      "src/node/wire.ts": `import { frame } from "../p2p/_frame.ts"; import "../p2p/index.ts";`,
      "mod.ts": `export * from "./src/p2p/_frame.ts";`,
    });
    expect(foreignPrivateImports(g)).toEqual([
      "mod.ts -> src/p2p/_frame.ts",
      "src/node/wire.ts -> src/p2p/_frame.ts",
      "src/p2p/sub/x.ts -> src/p2p/_frame.ts",
    ]);
  });
});

describe("packageViolations", () => {
  const owners = { "@ethereumjs/tx": ["core"], "@noble/": ["crypto"], hono: ["rpc"] };

  test("a package used by a layer that does not own it fails; owners, free packages and subpaths pass", () => {
    const g = graphOf({
      "src/core/transaction.ts": `import { createTxFromRLP } from "@ethereumjs/tx";`,
      "src/crypto/hash.ts": `import { keccak_256 } from "@noble/hashes/sha3.js";`,
      "src/rpc/server.ts": `import { cors } from "hono/cors";`,
      "src/txpool/decode.ts": `import type { LegacyTx } from "@ethereumjs/tx";\nimport { keccak_256 } from "@noble/hashes/sha3.js";\nimport { RLP } from "@ethereumjs/rlp";`,
      "src/node/wire.ts": `import type { Hono } from "hono";`,
      "src/node/other.ts": `import "honorable";`,
      "test/x.ts": `import "@ethereumjs/tx";`,
    });
    expect(packageViolations(g, owners)).toEqual([
      "src/node/wire.ts (node) imports hono, owned by rpc",
      "src/txpool/decode.ts (txpool) imports @ethereumjs/tx, owned by core",
      "src/txpool/decode.ts (txpool) imports @noble/hashes/sha3.js, owned by crypto",
    ]);
  });
});

describe("layerViolations", () => {
  test("upward and sideways imports fail; downward, transitive and leaf imports pass", () => {
    const layers = { crypto: [], core: ["crypto"], state: ["core"], consensus: ["core"] };
    const g = graphOf({
      "src/state/x.ts": `import "../crypto/index.ts"; import "../util/index.ts";`,
      "src/core/y.ts": `import "../state/index.ts";`,
      "src/consensus/z.ts": `import "../state/index.ts";`,
      "src/crypto/w.ts": `import "../../test/helper.ts";`,
    });
    expect(layerViolations(g, layers, ["util"])).toEqual([
      "src/consensus/z.ts (consensus) -> src/state/index.ts (state)",
      "src/core/y.ts (core) -> src/state/index.ts (state)",
      "src/crypto/w.ts imports outside src/: test/helper.ts",
    ]);
  });
});
