/** vdfSelfTest: evaluate, prove and verify once with timings (backs `harmony vdf selftest`). */
import type { VDF } from "./vdf.ts";

/** Result of {@link runSelfTest}. */
export interface VDFSelfTestResult {
  /** Delay parameter used. */
  T: number;
  /** The proof verified, and verification rejected a tampered output. */
  ok: boolean;
  /** Whether the evaluation ran in a Worker. */
  inWorker: boolean;
  /** Wall time of evaluation plus proof, ms. */
  evaluateMs: number;
  /** Wall time of one verification, ms. */
  verifyMs: number;
  /** evaluateMs / T in µs (includes the proof and, in a worker, its start-up). */
  usPerSquaring: number;
  /** y and the proof, 0x-hex. */
  y: string;
  proof: string;
}

const hex = (b: Uint8Array): string => `0x${Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("")}`;

/** Evaluate a fixed seed with delay T, verify the proof, and check that a flipped bit of y is rejected. */
export async function runSelfTest(vdf: VDF, T: number, opts: { inWorker?: boolean } = {}): Promise<VDFSelfTestResult> {
  const inWorker = opts.inWorker ?? true;
  const seed = new TextEncoder().encode(`harmony-vdf-selftest/${T}`);
  const t0 = performance.now();
  const out = inWorker ? await vdf.evaluateInWorker(seed, T) : await vdf.evaluate(seed, T);
  const evaluateMs = performance.now() - t0;
  const t1 = performance.now();
  const valid = vdf.verify(seed, T, out.y, out.proof);
  const verifyMs = performance.now() - t1;
  const tampered = out.y.slice();
  tampered[tampered.length - 1]! ^= 1;
  const rejected = !vdf.verify(seed, T, tampered, out.proof);
  return { T, ok: valid && rejected, inWorker, evaluateMs, verifyMs, usPerSquaring: (evaluateMs * 1000) / T, y: hex(out.y), proof: hex(out.proof) };
}
