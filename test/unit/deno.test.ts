// Issue 2 item 2: the same source runs under Deno (binary from node_modules).
import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { spawnSync } from "node:child_process";
import pkg from "../../package.json" with { type: "json" };

const ROOT = resolve(import.meta.dir, "../..");
const DENO = resolve(ROOT, "node_modules/.bin/deno");

describe("deno", () => {
  test("smoke: store round-trip, BLS sign/verify on the wasm backend", () => {
    const r = spawnSync(DENO, ["run", "--allow-all", "test/deno/smoke.ts"], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
    expect(r.stderr).not.toContain("error:");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
    expect(out).toEqual({
      runtime: "deno",
      store: [[1, 10], [2, 20]],
      blsBackend: "wasm",
      blsVerify: true,
      blsReject: false,
      version: pkg.version,
    });
  }, 120_000);

  test("selftest: the wasm secp256k1 and keccak backends run under Deno (issue 11)", () => {
    const r = spawnSync(DENO, ["task", "-q", "node", "--", "selftest", "--vdf-t", "64"], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
    expect([out.runtime, out.secp256k1Backend, out.secp256k1Ok, out.keccakBackend, out.keccakOk]).toEqual(["deno", "wasm", true, "wasm", true]);
    // BLS on wasm under Deno, its batched verifier on cached points included (blsOk), and every kernel named.
    expect([out.blsBackend, out.blsOk, out.backends]).toEqual(["wasm", true, { bls: "wasm", secp256k1: "wasm", keccak: "wasm", vdf: "wasm" }]);
  }, 120_000);

  test("deno task node -- --version", () => {
    const r = spawnSync(DENO, ["task", "-q", "node", "--", "--version"], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`harmony-ts ${pkg.version}`);
  }, 120_000);
});
