// STYLE §18: the RPC server runs unchanged on Deno's adapter (HTTP, body limit, /health, WebSocket subscription).
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");
const DENO = resolve(ROOT, "node_modules/.bin/deno");

describe("rpc on deno", () => {
  test("server answers HTTP and WebSocket", () => {
    const r = spawnSync(DENO, ["run", "--allow-all", "test/unit/rpc/_denoSmoke.ts"], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
    expect(r.stderr).not.toContain("error:");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}")).toEqual({ runtime: "deno", chainId: "0x7a69", oversize: 413, health: 200, head: "0x1" });
  }, 120_000);
});
