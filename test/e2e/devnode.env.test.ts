// DESIGN §4 "config file + flags + env": `harmony node --dev` takes its flags from HARMONY_<FLAG>
// variables (HARMONY_PORT, HARMONY_RPC_GAS_CAP, HARMONY_LOG_FORMAT), a flag on the command line wins,
// and a bad value from a variable is a usage error naming the flag and the variable.
import { afterAll, describe, expect, test } from "bun:test";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { freePort, harmonyBinary, removeDir, tempDir } from "./_node.ts";
import { rpcCall } from "./_devnet.ts";

const dir = tempDir("harmony-env-");
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) p.kill("SIGKILL");
  removeDir(dir);
});

async function ready(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${url}ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(100);
  }
  throw new Error(`no node at ${url}`);
}

describe("flags from the environment", () => {
  test("HARMONY_PORT, HARMONY_RPC_GAS_CAP and HARMONY_LOG_FORMAT configure a dev node; --port on the command line wins", async () => {
    const [envPort, cliPort] = [await freePort(), await freePort()];
    const env = { ...process.env, HARMONY_PORT: String(envPort), HARMONY_RPC_GAS_CAP: "30000", HARMONY_LOG_FORMAT: "json" };
    const a = spawn(harmonyBinary(), ["node", "--dev", "--data-dir", join(dir, "a")], { env, stdio: ["ignore", "pipe", "pipe"] });
    procs.push(a);
    let out = "";
    a.stdout?.on("data", (d) => (out += d));
    const url = `http://127.0.0.1:${envPort}/`;
    await ready(url, 30_000);
    // The gas cap from the variable: a transfer (21,000) fits under 30,000, a contract creation (≥ 53,000) does not.
    const from = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    await expect(rpcCall(url, "eth_estimateGas", [{ from, to: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", value: "0x1" }], 3000)).resolves.toBe("0x5208");
    await expect(rpcCall(url, "eth_estimateGas", [{ from, data: "0x00" }], 3000)).rejects.toThrow(/30000/);
    // JSON logs from the variable: every stdout line is a JSON object.
    await Bun.sleep(300);
    const lines = out.trim().split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(typeof JSON.parse(l)).toBe("object");
    a.kill("SIGTERM");

    const b = spawn(harmonyBinary(), ["node", "--dev", "--data-dir", join(dir, "b"), "--port", String(cliPort)], { env, stdio: "ignore" });
    procs.push(b);
    await ready(`http://127.0.0.1:${cliPort}/`, 30_000);
    b.kill("SIGTERM");
  }, 90_000);

  test("a bad value from a variable is a usage error (exit 2) naming the flag", () => {
    const r = spawnSync(harmonyBinary(), ["node", "--dev", "--data-dir", join(dir, "c")], { env: { ...process.env, HARMONY_PORT: "not-a-port" }, encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--port");
  });
});
