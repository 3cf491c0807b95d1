// Issue 2 items 1, 3, 5 (issue 5 item 5): the compiled executable runs alone in an empty directory —
// --version, keys new (both kinds), selftest with the native BLS backend and the embedded VDF kernel.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import pkg from "../../package.json" with { type: "json" };

const ROOT = resolve(import.meta.dir, "../..");
const DIST = process.env.HARMONY_BIN ? resolve(process.env.HARMONY_BIN) : join(ROOT, "dist/harmony");
let dir = "";
let bin = "";

function run(args: string[], env: Record<string, string> = {}) {
  // A minimal environment: no PATH to node_modules, no NODE_PATH, nothing from the repo.
  return spawnSync(bin, args, { cwd: dir, encoding: "utf8", timeout: 60_000, env: { HOME: dir, ...env } });
}

beforeAll(() => {
  if (!existsSync(DIST)) {
    const r = spawnSync("make", ["build"], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`make build failed: ${r.stderr}`);
  }
  dir = mkdtempSync(join(tmpdir(), "harmony-bin-"));
  bin = join(dir, "harmony");
  copyFileSync(DIST, bin);
  spawnSync("chmod", ["+x", bin]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("compiled binary, alone in an empty directory", () => {
  test("--version", () => {
    const r = run(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`harmony-ts ${pkg.version}`);
  });

  test("unknown command and bad flag exit with 2", () => {
    expect(run(["frobnicate"]).status).toBe(2);
    expect(run(["--no-such-flag"]).status).toBe(2);
    expect(run(["--bls-backend", "gpu", "selftest"]).status).toBe(2);
  });

  test("keys new (BLS and account) writes encrypted keystores", () => {
    const env = { HARMONY_PASSPHRASE: "correct horse" };
    const a = run(["keys", "new", "--type", "account", "--data-dir", "d", "--light-kdf"], env);
    expect(a.stderr).toBe("");
    expect(a.status).toBe(0);
    const b = run(["keys", "new", "--type", "bls", "--data-dir", "d", "--light-kdf"], env);
    expect(b.status).toBe(0);
    const files = readdirSync(join(dir, "d/keystore"));
    expect(files.length).toBe(2);
    const bls = files.find((f) => f.startsWith("bls-"));
    expect(bls).toBeDefined();
    const ks = JSON.parse(readFileSync(join(dir, "d/keystore", bls as string), "utf8"));
    expect(ks.version).toBe(4);
    expect(ks.pubkey).toMatch(/^[0-9a-f]{96}$/);
    const l = run(["keys", "list", "--data-dir", "d"]);
    expect(l.status).toBe(0);
    expect(l.stdout).toContain(ks.pubkey);
  });

  test("selftest: native BLS backend and the embedded VDF kernel", () => {
    const r = run(["selftest", "--vdf-t", "1024"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.blsBackend).toBe("native");
    expect(out.blsOk).toBe(true);
    expect(out.vdf.ok).toBe(true);
    // Which backend runs each kernel (issue 11 acceptance 3).
    expect(out.backends).toMatchObject({ bls: "native", secp256k1: out.secp256k1Backend, keccak: out.keccakBackend, vdf: "wasm" });
    const w = run(["--bls-backend", "wasm", "selftest", "--vdf-t", "64"]);
    expect(JSON.parse(w.stdout).blsBackend).toBe("wasm");
  });

  test("selftest: native libsecp256k1 recovery and the wasm keccak kernel embedded (issue 11 items 2-3)", () => {
    const out = JSON.parse(run(["selftest", "--vdf-t", "64"]).stdout);
    expect([out.secp256k1Backend, out.secp256k1Ok, out.keccakBackend, out.keccakOk]).toEqual(["native", true, "wasm", true]);
    const w = JSON.parse(run(["--secp256k1-backend", "wasm", "--keccak-backend", "noble", "selftest", "--vdf-t", "64"]).stdout);
    expect([w.secp256k1Backend, w.secp256k1Ok, w.keccakBackend, w.keccakOk]).toEqual(["wasm", true, "noble", true]);
    expect(run(["--secp256k1-backend", "openssl", "selftest"]).status).toBe(2);
    expect(run(["--keccak-backend", "sha3", "selftest"]).status).toBe(2);
  });
});
