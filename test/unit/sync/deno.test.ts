// STYLE §18 / issue 4: the sync source runs unchanged on Deno (its adapter, WebSocket, wasm BLS).
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");

describe("sync on deno", () => {
  test("a node syncs 40 committee-signed blocks from a peer", () => {
    const r = spawnSync(resolve(ROOT, "node_modules/.bin/deno"), ["run", "--allow-all", "test/unit/sync/_denoSmoke.ts"], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
    expect(r.stderr).not.toContain("error:");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
    expect(out).toEqual({ runtime: "deno", bls: "wasm", head: 40, sameHashes: true, status: { syncing: false, startingBlock: 0, currentBlock: 40, highestBlock: 40 } });
  }, 120_000);
});
