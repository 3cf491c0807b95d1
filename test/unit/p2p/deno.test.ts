// STYLE §18 / issue 2: the p2p source runs unchanged on Deno (its adapter and its global WebSocket).
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");

describe("p2p on deno", () => {
  test("two nodes handshake, gossip and answer a request", () => {
    const r = spawnSync(resolve(ROOT, "node_modules/.bin/deno"), ["run", "--allow-all", "test/unit/p2p/_denoSmoke.ts"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).not.toContain("error:");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
    expect(out).toEqual({ runtime: "deno", peers: [1, 1], gossip: ["hello from deno"], echo: [1, 2, 3] });
  }, 90_000);
});
