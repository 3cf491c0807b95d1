/**
 * `make soak MANIFEST=test/fault/manifests/x.json DURATION=600 [SEED=n]`: start the manifest's devnet,
 * then run random perturbations of the kinds the manifest uses (test/fault/_soak.ts), drawn from a
 * PRNG seeded with SEED (random when not given), for DURATION seconds, checking every invariant after
 * every step. Each step and the seed are printed, so `SEED=n` replays a failing sequence. Exit 0 when
 * every check held, 1 at the first broken one (the data dir is kept), 2 on bad arguments.
 *
 *   bun scripts/soak.ts --manifest FILE --duration SECONDS [--seed N]
 */
import { ManifestError, createModel, loadManifestFile } from "../test/fault/_manifest.ts";
import { stopAllFaultNetworks } from "../test/fault/_network.ts";
import { FaultRun } from "../test/fault/_runner.ts";
import { createPRNG, randomEpisode, soakKinds } from "../test/fault/_soak.ts";

function usage(why: string): never {
  process.stderr.write(`soak: ${why}\nusage: bun scripts/soak.ts --manifest FILE --duration SECONDS [--seed N]  (make soak MANIFEST=… DURATION=… [SEED=n])\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { manifest: string; durationS: number; seed: number } {
  const got = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i] as string;
    const v = argv[i + 1];
    if (!["--manifest", "--duration", "--seed"].includes(k)) usage(`unknown argument "${k}"`);
    if (v === undefined || v === "") usage(`${k} needs a value`);
    got.set(k, v);
  }
  const manifest = got.get("--manifest") ?? usage("--manifest FILE is required (MANIFEST=… with make)");
  const d = got.get("--duration") ?? usage("--duration SECONDS is required (DURATION=… with make)");
  if (!/^\d+$/.test(d) || Number(d) < 1 || Number(d) > 7 * 86_400) usage(`--duration must be whole seconds in 1..604800, got "${d}"`);
  const s = got.get("--seed");
  if (s !== undefined && (!/^\d+$/.test(s) || Number(s) > 0xffffffff)) usage(`--seed must be an integer in 0..4294967295, got "${s}"`);
  const seed = s === undefined ? Math.floor(Math.random() * 0xffffffff) : Number(s);
  return { manifest, durationS: Number(d), seed };
}

const args = parseArgs(process.argv.slice(2));
let manifest: ReturnType<typeof loadManifestFile>;
try {
  manifest = loadManifestFile(args.manifest);
} catch (e) {
  if (e instanceof ManifestError) usage(e.message);
  throw e;
}
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const kinds = soakKinds(manifest);
log(`soak ${manifest.name}: ${args.durationS}s of random ${kinds.join("/")} perturbations, seed ${args.seed} (replay: make soak MANIFEST=${args.manifest} DURATION=${args.durationS} SEED=${args.seed})`);
process.on("SIGINT", () => {
  void stopAllFaultNetworks().then(() => process.exit(130));
});

const rng = createPRNG(args.seed);
const state = { model: createModel(manifest.network), silenced: undefined as string | undefined };
const deadline = Date.now() + args.durationS * 1000;
let n = 0;
try {
  const run = await FaultRun.start(manifest, { log, keepDir: false }, kinds.includes("partition"));
  while (Date.now() < deadline) {
    for (const step of randomEpisode(rng, manifest, kinds, state)) await run.step(step, `#${++n} seed ${args.seed}`);
  }
  const summary = await run.finish();
  log(`soak passed: ${n} steps, seed ${args.seed}, height ${summary.height}, ${summary.provenBlocks} commit proofs verified`);
  process.exit(0);
} catch (e) {
  log(`soak FAILED after ${n} steps with seed ${args.seed}: ${(e as Error).message}`);
  await stopAllFaultNetworks();
  process.exit(1);
}
