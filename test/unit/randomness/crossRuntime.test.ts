// DESIGN §2 / STYLE §18: the beacon's rules give byte-identical results on both runtimes and both
// BLS backends — one fixed epoch (real VRFs, a real VDF, the shuffle) under Bun in-process, under
// Bun with the other backend, and under Deno from the same source.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { runFixedEpoch } from "./_crossRuntime.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const DENO = resolve(ROOT, "node_modules/.bin/deno");

describe("randomness across runtimes and BLS backends", () => {
  test("wasm and native backends derive the same epoch randomness", async () => {
    const wasm = await runFixedEpoch("wasm");
    expect(wasm.vrfAllValid).toBe(true);
    expect(wasm.randomness.source).toBe("vdf");
    let native: Awaited<ReturnType<typeof runFixedEpoch>> | null = null;
    try {
      native = await runFixedEpoch("native");
    } catch (e) {
      // Only an unavailable native addon is acceptable here; it must then be the reason.
      expect(String(e)).toContain("BACKEND_UNAVAILABLE");
    }
    if (native) expect(native).toEqual(wasm);
  }, 60_000);

  test("Deno runs the same source to the same bytes", async () => {
    const bun = await runFixedEpoch();
    const r = spawnSync(DENO, ["run", "--allow-all", "test/unit/randomness/_crossRuntime.ts"], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
    expect(r.stderr).not.toContain("error:");
    expect(r.status).toBe(0);
    const deno = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
    expect(deno).toEqual(bun);
  }, 120_000);
});
