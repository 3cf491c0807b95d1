// Acceptance: an acknowledged batch survives SIGKILL and no batch is ever partially present.
// A child writes numbered batches and acks each after `batch` returns; the parent SIGKILLs it at a
// random moment, reopens the store and checks every batch is all-or-nothing and every acked one is there.
import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDataDir } from "../../../src/store/index.ts";
import { BATCH_KEYS } from "./_crashWriter.ts";

const WRITER = join(import.meta.dir, "_crashWriter.ts");
const REPETITIONS = 24;
const dir = mkdtempSync(join(tmpdir(), "harmony-store-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dec = new TextDecoder();

/** Run the writer once and SIGKILL it `delayMs` after it starts (or after it is ready to write). */
async function runAndKill(delayMs: number, fromReady: boolean): Promise<{ maxAck: number; stderr: string }> {
  const child = spawn(process.execPath, [WRITER, dir], { stdio: ["ignore", "pipe", "pipe"] });
  let maxAck = -1;
  let buf = "";
  let stderr = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => (timer ??= setTimeout(() => child.kill("SIGKILL"), delayMs));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith("ack ")) maxAck = Math.max(maxAck, Number(line.slice(4)));
      else if (line.startsWith("ready ")) arm();
    }
  });
  if (!fromReady) arm();
  const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.once("exit", (c, s) => r([c, s])));
  clearTimeout(timer);
  if (signal !== "SIGKILL") throw new Error(`writer exited on its own (code ${code}): ${stderr}`);
  return { maxAck, stderr };
}

/** Reopen the store and check the batch invariants; returns the last committed batch number. */
function verify(mustHave: number): number {
  const store = openDataDir(dir);
  try {
    const lastRaw = store.get(new TextEncoder().encode("last"));
    const last = lastRaw === undefined ? -1 : Number(dec.decode(lastRaw));
    expect(last).toBeGreaterThanOrEqual(mustHave);
    const counts = new Map<number, number>();
    for (const [k, v] of store.iterate({ prefix: new TextEncoder().encode("b") })) {
      const m = /^b(\d+)-(\d+)$/.exec(dec.decode(k));
      if (m === null) throw new Error(`unexpected key ${dec.decode(k)}`);
      const i = Number(m[1]);
      expect(dec.decode(v).startsWith(`${i}:${m[2]}:`)).toBe(true);
      counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    // Batches 0..last are each complete, and nothing beyond `last` exists (no partial batch).
    expect(counts.size).toBe(last + 1);
    for (let i = 0; i <= last; i++) if (counts.get(i) !== BATCH_KEYS) expect({ batch: i, keys: counts.get(i) }).toEqual({ batch: i, keys: BATCH_KEYS });
    return last;
  } finally {
    store.close();
  }
}

describe("crash safety", () => {
  test(`${REPETITIONS} SIGKILLs at random moments lose no acked batch and leave no partial batch`, async () => {
    let maxAck = -1;
    let lastSeen = -1;
    let killedMidRun = 0;
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const delay = 20 + Math.floor(Math.random() * 281);
      // Every 4th run counts from spawn (so some kills land during open and WAL recovery).
      const run = await runAndKill(delay, rep % 4 !== 0);
      maxAck = Math.max(maxAck, run.maxAck);
      const last = verify(maxAck);
      if (run.maxAck >= 0) killedMidRun++;
      expect(last).toBeGreaterThanOrEqual(lastSeen);
      lastSeen = last;
    }
    // The test is only meaningful if the writer actually got to commit batches in most runs.
    expect(killedMidRun).toBeGreaterThan(REPETITIONS / 2);
    expect(maxAck).toBeGreaterThan(REPETITIONS);
  }, 60_000);
});
