// The fault manifest schema (_manifest.ts): the shipped manifests parse, and bad ones are refused with
// an error naming the field or step at fault, before any process starts.
import { describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManifestError, loadManifestFile, parseManifest } from "./_manifest.ts";

const DIR = join(import.meta.dir, "manifests");
const base = { name: "t", network: { validators: 4, rpcNodes: 1, blockTime: 0.5 }, steps: [] as unknown[] };
const bad = (patch: Record<string, unknown>, re: RegExp) => () => {
  expect(() => parseManifest({ ...base, ...patch }, "m.json")).toThrow(re);
  expect(() => parseManifest({ ...base, ...patch }, "m.json")).toThrow(ManifestError);
};

describe("fault manifests", () => {
  test("the four shipped manifests parse", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
    expect(files).toEqual(["kill-restart.json", "old-datadir.json", "partition.json", "stop-cont.json"]);
    for (const f of files) {
      const m = loadManifestFile(join(DIR, f));
      expect(`${m.name}.json`).toBe(f);
      expect(m.steps.length).toBeGreaterThan(0);
    }
  });

  test("defaults and units", () => {
    const m = parseManifest({ name: "x", steps: [{ do: "wait", blocks: 2 }] }, "m.json");
    expect(m.network).toEqual({ validators: 4, rpcNodes: 1, keysPerNode: 1, blockTimeMs: 1000 });
    expect(m.convergeSeconds).toBe(30);
    expect(m.steps[0]).toEqual({ do: "wait", blocks: 2, withinSeconds: 36 });
    expect(parseManifest(base, "m.json").network.blockTimeMs).toBe(500);
  });

  test("shape errors name the field", () => {
    bad({ extra: 1 }, /\(top level\) has unknown field "extra"/)();
    bad({ name: "Bad Name" }, /name must be a lowercase name/)();
    bad({ network: { validators: 0 } }, /network\.validators must be an integer in 1\.\.16, got 0/)();
    bad({ network: { blockTime: "1s" } }, /network\.blockTime must be a number of seconds/)();
    bad({ steps: {} }, /steps must be an array/)();
    bad({ steps: [{ do: "explode" }] }, /steps\[0\]\.do must be one of wait, kill/)();
    bad({ steps: [{ do: "kill", node: "node9" }] }, /steps\[0\]\.node must name a node of the network \(node0, node1, node2, node3, node4\), got "node9"/)();
    bad({ steps: [{ do: "kill", node: "node1", signal: 9 }] }, /steps\[0\] has unknown field "signal"/)();
    bad({ steps: [{ do: "wait", blocks: 2, seconds: 3 }] }, /steps\[0\] \(wait\) needs exactly one of "blocks" or "seconds"/)();
    bad({ steps: [{ do: "wait", seconds: 3, withinSeconds: 9 }] }, /withinSeconds applies to a wait for blocks only/)();
    bad({ convergeSeconds: -1 }, /convergeSeconds must be a number of seconds/)();
  });

  test("partition groups are disjoint and cover every node", () => {
    bad({ steps: [{ do: "partition", groups: [["node0", "node1"], ["node2"]] }] }, /groups must place every node in a group; missing node3, node4/)();
    bad({ steps: [{ do: "partition", groups: [["node0", "node1", "node2"], ["node2", "node3", "node4"]] }] }, /groups\[1\]\[0\] lists node2 a second time/)();
    bad({ steps: [{ do: "partition", groups: [["node0", "node1", "node2", "node3", "node4"]] }] }, /at least two groups/)();
  });

  test("a schedule that cannot run is refused at the step", () => {
    bad({ steps: [{ do: "restart", node: "node1" }] }, /steps\[0\] cannot run: restart node1: node1 is running, must be killed/)();
    bad({ steps: [{ do: "stop", node: "node1" }, { do: "kill", node: "node1" }, { do: "cont", node: "node1" }] }, /steps\[1\] cannot run: kill node1: node1 is stopped/)();
    bad({ steps: [{ do: "restore", node: "node2" }] }, /steps\[0\] cannot run: restore node2: no earlier snapshot/)();
    bad({ steps: [{ do: "heal" }] }, /steps\[0\] cannot run: heal: no partition is active/)();
    const split = { do: "partition", groups: [["node0", "node1"], ["node2", "node3", "node4"]] };
    bad({ steps: [split, { do: "kill", node: "node1" }] }, /steps\[1\] cannot run: kill: a partition is active/)();
    bad({ steps: [{ do: "stop", node: "node4" }, split] }, /steps\[1\] cannot run: partition: every node must be running \(node4 is not\)/)();
    bad({ steps: [{ do: "kill", node: "node3" }] }, /steps must end with every node running and no partition \(left: node3\)/)();
    bad({ steps: [split] }, /left: a partition/)();
  });

  test("a file that is not JSON", () => {
    const f = join(tmpdir(), `fault-manifest-${process.pid}.json`);
    writeFileSync(f, "{ nope");
    expect(() => loadManifestFile(f)).toThrow(/is not JSON/);
    expect(() => loadManifestFile(join(tmpdir(), "missing-fault-manifest.json"))).toThrow(/cannot be read/);
  });
});
