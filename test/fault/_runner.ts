/**
 * Runs a fault manifest against real processes: start the devnet, then for every step carry it out and
 * check every invariant (_invariants.ts) before the next one. The soak script drives the same run with
 * steps drawn from a seeded PRNG.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { harmonyBinary } from "../e2e/_node.ts";
import { InvariantChecker } from "./_invariants.ts";
import type { FaultManifest, FaultStep } from "./_manifest.ts";
import { FaultNetwork } from "./_network.ts";
import { type PerturbState, applyStep, describeStep } from "./_perturb.ts";

/** Options of {@link FaultRun.start}. */
export interface FaultRunOptions {
  /** Where each step and check is reported. */
  log: (line: string) => void;
  /** Keep the data dir at the end (default: removed when the run passed). */
  keepDir?: boolean;
  /** Fail when a validator wrote no vote log (the binary ignores HARMONY_VOTE_LOG). Default true. */
  requireVoteLogs?: boolean;
}

/** What a finished run saw. */
export interface FaultRunSummary {
  steps: number;
  height: number;
  provenBlocks: number;
  votes: Record<string, number>;
  seconds: number;
}

/** True when `harmony node` of this binary has the admin RPC flag. */
export function binaryHasAdminRPC(): boolean {
  const r = spawnSync(harmonyBinary(), ["node", "--help"], { encoding: "utf8", timeout: 30_000 });
  return `${r.stdout}${r.stderr}`.includes("--rpc-admin");
}

/** One fault run: a devnet, its invariant state and the perturbation state. */
export class FaultRun {
  readonly manifest: FaultManifest;
  readonly net: FaultNetwork;
  readonly checker: InvariantChecker;
  readonly #opts: FaultRunOptions;
  readonly #st: PerturbState = { groups: undefined, ids: new Map() };
  readonly #t0 = Date.now();
  #steps = 0;

  private constructor(manifest: FaultManifest, net: FaultNetwork, opts: FaultRunOptions) {
    this.manifest = manifest;
    this.net = net;
    this.checker = new InvariantChecker(net);
    this.#opts = opts;
  }

  /**
   * Start the manifest's devnet and wait until every node holds block 2 (and the invariants hold).
   * @throws {Error} when the binary lacks a flag a step needs, or the network does not come up.
   */
  static async start(manifest: FaultManifest, opts: FaultRunOptions, needsAdmin = manifest.steps.some((s) => s.do === "partition")): Promise<FaultRun> {
    const admin = binaryHasAdminRPC();
    if (needsAdmin && !admin) throw new Error(`${manifest.name}: partitions need the admin RPC, but ${harmonyBinary()} has no --rpc-admin flag`);
    const dir = join(mkdtempSync(join(tmpdir(), `harmony-fault-${manifest.name}-`)), "net");
    opts.log(`[${manifest.name}] devnet in ${dir}: ${manifest.network.validators} validators × ${manifest.network.keysPerNode} keys + ${manifest.network.rpcNodes} RPC, block time ${manifest.network.blockTimeMs / 1000}s`);
    const net = await FaultNetwork.create(dir, manifest.network, { nodeArgs: admin ? ["--rpc-admin"] : [] });
    const run = new FaultRun(manifest, net, opts);
    try {
      await run.#waitFirstBlocks();
      await run.check();
    } catch (e) {
      await run.fail(e);
    }
    return run;
  }

  async #waitFirstBlocks(): Promise<void> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const heads = await Promise.all(this.net.running().map((n) => this.checker.head(n.name).catch(() => -1)));
      if (heads.every((h) => h >= 2)) return;
      if (Date.now() > deadline) throw new Error(`the devnet did not reach block 2 on every node within 90s (heads ${heads.join(", ")})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Every invariant, now: no node died by itself, convergence, safety, proofs, signatures. */
  async check(): Promise<string> {
    const exits = this.net.unexpectedExits();
    if (exits.length > 0) throw new Error(exits.join("\n"));
    const groups = this.#st.groups ?? [[...this.net.nodes.keys()]];
    const heads = await this.checker.awaitConvergence(groups, this.manifest.convergeSeconds * 1000);
    for (const n of this.net.running()) await this.checker.checkSafety(n.name);
    this.checker.checkProofs();
    await this.checker.checkSignatures();
    return Object.entries(heads).map(([n, h]) => `${n}=${h}`).join(" ");
  }

  /** Carry out one step and check the invariants after it; logs both. */
  async step(step: FaultStep, label: string): Promise<void> {
    const t = Date.now();
    try {
      await applyStep(this.net, this.checker, this.#st, step);
      const heads = await this.check();
      this.#steps++;
      this.#opts.log(`[${this.manifest.name}] ${label} ${describeStep(step)}: ok in ${((Date.now() - t) / 1000).toFixed(1)}s · heads ${heads} · proven ${this.checker.provenCount}`);
    } catch (e) {
      await this.fail(e, `${label} ${describeStep(step)}`);
    }
  }

  /** Stop everything, keep the data dir, and throw with the logs of every node. */
  async fail(e: unknown, at = "start-up"): Promise<never> {
    const tails = [...this.net.nodes.keys()].map((n) => `--- ${n} (${this.net.node(n).state}) ---\n${this.net.logTail(n, 15)}`).join("\n");
    await this.net.stopAll();
    throw new Error(`[${this.manifest.name}] failed at ${at}: ${(e as Error).message}\n(data dir kept: ${this.net.dir})\n${tails}`, { cause: e });
  }

  /**
   * Final checks (every validator's vote log was read), then stop every process.
   * @throws {Error} when a validator's vote log stayed empty while vote logs are required.
   */
  async finish(): Promise<FaultRunSummary> {
    const votes: Record<string, number> = {};
    for (const n of this.net.nodes.values()) if (n.validator) votes[n.name] = this.checker.votesOf(n.name);
    const silent = Object.entries(votes).filter(([, c]) => c === 0).map(([n]) => n);
    if ((this.#opts.requireVoteLogs ?? true) && silent.length > 0) {
      await this.fail(new Error(`no vote log lines from ${silent.join(", ")}: the binary does not honour HARMONY_VOTE_LOG, so double signing went unchecked`), "finish");
    }
    const summary = { steps: this.#steps, height: this.checker.maxHeight, provenBlocks: this.checker.provenCount, votes, seconds: Math.round((Date.now() - this.#t0) / 1000) };
    await this.net.stopAll();
    if (!this.#opts.keepDir) rmSync(join(this.net.dir, ".."), { recursive: true, force: true });
    this.#opts.log(`[${this.manifest.name}] passed: ${JSON.stringify(summary)}`);
    return summary;
  }

  /** Stop every process (idempotent), e.g. from afterAll. */
  stop(): Promise<void> {
    return this.net.stopAll();
  }
}

/**
 * Run a manifest's steps in order, checking every invariant after each.
 * @throws {Error} at the first failed step or broken invariant, with the node logs.
 */
export async function runManifest(manifest: FaultManifest, opts: FaultRunOptions): Promise<FaultRunSummary> {
  const run = await FaultRun.start(manifest, opts);
  for (const [i, s] of manifest.steps.entries()) await run.step(s, `step ${i + 1}/${manifest.steps.length}`);
  return run.finish();
}
