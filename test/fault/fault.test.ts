// Issue 8 item 10, acceptance 6: the four fault manifests against real processes (the binary of
// $HARMONY_BIN or dist/harmony). Each step is followed by the invariant checks of _invariants.ts:
// no fork, valid commit proofs, no double signing (vote logs + evidence), convergence within the bound.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { loadManifestFile } from "./_manifest.ts";
import { stopAllFaultNetworks } from "./_network.ts";
import { runManifest } from "./_runner.ts";

const MANIFESTS = ["kill-restart", "stop-cont", "partition", "old-datadir"];
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

afterAll(stopAllFaultNetworks);

describe("fault manifests", () => {
  for (const name of MANIFESTS) {
    test(name, async () => {
      const m = loadManifestFile(join(import.meta.dir, "manifests", `${name}.json`));
      const s = await runManifest(m, { log });
      expect(s.steps).toBe(m.steps.length);
      // Every block but the head was proven by its successor's commit signature.
      expect(s.provenBlocks).toBe(s.height - 1);
    }, 150_000);
  }
});
