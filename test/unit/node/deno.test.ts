// Issue 4 on Deno: the same validator node source runs there (adapter, Workers, wasm BLS).
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");

describe("validator node on deno", () => {
  test("a one-key network finalizes blocks and serves metadata and prom-client metrics; eth_call runs on a worker", () => {
    const r = spawnSync(resolve(ROOT, "node_modules/.bin/deno"), ["run", "--allow-all", "test/unit/node/_denoSmoke.ts"], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
    expect(r.stderr).not.toContain("error:");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}")).toEqual({ runtime: "deno", blocks: true, isLeader: true, mode: "normal", blsWorkers: true, callTimeout: true, callWorkers: true, promClient: true });
  }, 120_000);
});
