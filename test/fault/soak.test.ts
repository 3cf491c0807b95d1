// The random schedule of `make soak` (_soak.ts): replayable from its seed, always runnable, and never
// more than one validator faulty at once (so a quorum of 4 stays up).
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type FaultStep, createModel, loadManifestFile } from "./_manifest.ts";
import { type SoakKind, createPRNG, randomEpisode, soakKinds } from "./_soak.ts";

const m = loadManifestFile(join(import.meta.dir, "manifests", "kill-restart.json"));
const ALL: SoakKind[] = ["kill", "stop", "partition", "restore"];

function schedule(seed: number, episodes: number, kinds: SoakKind[] = ALL): FaultStep[] {
  const rng = createPRNG(seed);
  const st = { model: createModel(m.network), silenced: undefined as string | undefined };
  return Array.from({ length: episodes }, () => randomEpisode(rng, m, kinds, st)).flat();
}

describe("soak schedule", () => {
  test("the same seed gives the same steps; another seed other steps", () => {
    expect(schedule(42, 30)).toEqual(schedule(42, 30));
    expect(schedule(43, 30)).not.toEqual(schedule(42, 30));
  });

  test("kinds follow the manifest's steps", () => {
    expect(soakKinds(m)).toEqual(["kill"]);
    expect(schedule(1, 20, ["stop"]).every((s) => ["stop", "cont", "wait"].includes(s.do))).toBe(true);
  });

  test("at most one validator is down, cut off alone, or silenced at a time", () => {
    for (let seed = 0; seed < 50; seed++) {
      const faulty = new Set<string>();
      // A validator restored from an old data dir never signs again.
      const silenced = new Set<string>();
      const isValidator = (n: string) => ["node0", "node1", "node2", "node3"].includes(n);
      for (const s of schedule(seed, 40)) {
        if ((s.do === "kill" || s.do === "stop") && isValidator(s.node)) faulty.add(s.node);
        if (s.do === "restore" && isValidator(s.node)) silenced.add(s.node);
        if (s.do === "partition" && s.groups.some((g) => g.length === 1 && isValidator(g[0] as string))) faulty.add(s.groups.find((g) => g.length === 1)?.[0] as string);
        expect(new Set([...faulty, ...silenced]).size).toBeLessThanOrEqual(1);
        if (s.do === "restart" || s.do === "cont" || s.do === "heal") faulty.clear();
      }
    }
  });
});
