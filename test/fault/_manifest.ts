/**
 * The fault manifest: a small devnet and a schedule of perturbations, as JSON (in the manner of CometBFT's
 * e2e manifests). `parseManifest` checks the shape and replays the schedule against a model of the
 * network, so a manifest that would restart a running node or partition a stopped one is refused up
 * front with the step and field at fault, before any process starts.
 */
import { readFileSync } from "node:fs";

/** What a step does (see the README section "Fault manifests"). */
export type StepKind = "wait" | "kill" | "restart" | "stop" | "cont" | "partition" | "heal" | "snapshot" | "restore";

/** One entry of `steps`. */
export type FaultStep =
  | { do: "wait"; blocks: number; seconds?: undefined; withinSeconds: number }
  | { do: "wait"; seconds: number; blocks?: undefined }
  | { do: "kill" | "restart" | "stop" | "cont" | "snapshot" | "restore"; node: string }
  | { do: "partition"; groups: string[][] }
  | { do: "heal" };

/** A checked manifest. */
export interface FaultManifest {
  name: string;
  description: string;
  network: { validators: number; rpcNodes: number; keysPerNode: number; blockTimeMs: number };
  /** Seconds every live node has after a step to reach the same head (within its partition group). */
  convergeSeconds: number;
  steps: FaultStep[];
}

/** A manifest that does not have the expected shape, or whose schedule is impossible; names the field. */
export class ManifestError extends TypeError {
  constructor(source: string, field: string, why: string) {
    super(`fault manifest ${source}: ${field} ${why}`);
    this.name = "ManifestError";
  }
}

/** The state of one node in the replay model. */
export type NodeState = "running" | "stopped" | "killed";

/** The replay model: node states, snapshots taken, whether a partition is active. */
export interface NetworkModel {
  nodes: Map<string, NodeState>;
  snapshots: Set<string>;
  partitioned: boolean;
}

/** Node names of a network: validators `node0…`, then the RPC nodes (the devnet's layout order). */
export function nodeNames(network: FaultManifest["network"]): string[] {
  return Array.from({ length: network.validators + network.rpcNodes }, (_, i) => `node${i}`);
}

/** A fresh model: every node running. */
export function createModel(network: FaultManifest["network"]): NetworkModel {
  return { nodes: new Map(nodeNames(network).map((n) => [n, "running" as NodeState])), snapshots: new Set(), partitioned: false };
}

const TOP = new Set(["name", "description", "network", "convergeSeconds", "steps"]);
const NETWORK = new Set(["validators", "rpcNodes", "keysPerNode", "blockTime"]);
const STEP_FIELDS: Record<StepKind, readonly string[]> = {
  wait: ["blocks", "seconds", "withinSeconds"],
  kill: ["node"], restart: ["node"], stop: ["node"], cont: ["node"], snapshot: ["node"], restore: ["node"],
  partition: ["groups"],
  heal: [],
};

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function int(src: string, field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw new ManifestError(src, field, `must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  return v;
}

function seconds(src: string, field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) throw new ManifestError(src, field, `must be a number of seconds in ${min}..${max}, got ${JSON.stringify(v)}`);
  return v;
}

function noExtra(src: string, field: string, o: Obj, known: Iterable<string>): void {
  const ok = new Set(known);
  const extra = Object.keys(o).filter((k) => !ok.has(k));
  if (extra.length > 0) throw new ManifestError(src, field, `has unknown field${extra.length > 1 ? "s" : ""} ${extra.map((k) => `"${k}"`).join(", ")} (known: ${[...ok].join(", ") || "none"})`);
}

function parseNetwork(src: string, v: unknown): FaultManifest["network"] {
  if (!isObj(v)) throw new ManifestError(src, "network", "must be an object { validators, rpcNodes, keysPerNode, blockTime }");
  noExtra(src, "network", v, NETWORK);
  return {
    validators: int(src, "network.validators", v.validators ?? 4, 1, 16),
    rpcNodes: int(src, "network.rpcNodes", v.rpcNodes ?? 1, 0, 4),
    keysPerNode: int(src, "network.keysPerNode", v.keysPerNode ?? 1, 1, 8),
    blockTimeMs: Math.round(seconds(src, "network.blockTime", v.blockTime ?? 1, 0.1, 60) * 1000),
  };
}

function parseStep(src: string, i: number, v: unknown, names: ReadonlySet<string>, blockTimeMs: number): FaultStep {
  const f = `steps[${i}]`;
  if (!isObj(v)) throw new ManifestError(src, f, "must be an object with a \"do\" field");
  const kind = v.do;
  if (typeof kind !== "string" || !(kind in STEP_FIELDS)) {
    throw new ManifestError(src, `${f}.do`, `must be one of ${Object.keys(STEP_FIELDS).join(", ")}, got ${JSON.stringify(kind)}`);
  }
  const k = kind as StepKind;
  noExtra(src, f, v, ["do", ...STEP_FIELDS[k]]);
  const node = (): string => {
    if (typeof v.node !== "string" || !names.has(v.node)) throw new ManifestError(src, `${f}.node`, `must name a node of the network (${[...names].join(", ")}), got ${JSON.stringify(v.node)}`);
    return v.node;
  };
  switch (k) {
    case "wait": {
      if ((v.blocks === undefined) === (v.seconds === undefined)) throw new ManifestError(src, f, "(wait) needs exactly one of \"blocks\" or \"seconds\"");
      if (v.seconds !== undefined) {
        if (v.withinSeconds !== undefined) throw new ManifestError(src, `${f}.withinSeconds`, "applies to a wait for blocks only");
        return { do: "wait", seconds: seconds(src, `${f}.seconds`, v.seconds, 0, 3600) };
      }
      const blocks = int(src, `${f}.blocks`, v.blocks, 1, 100_000);
      const dflt = 30 + (blocks * blockTimeMs * 3) / 1000;
      return { do: "wait", blocks, withinSeconds: seconds(src, `${f}.withinSeconds`, v.withinSeconds ?? dflt, 1, 86_400) };
    }
    case "partition":
      return { do: "partition", groups: parseGroups(src, `${f}.groups`, v.groups, names) };
    case "heal":
      return { do: "heal" };
    default:
      return { do: k, node: node() };
  }
}

function parseGroups(src: string, f: string, v: unknown, names: ReadonlySet<string>): string[][] {
  if (!Array.isArray(v) || v.length < 2) throw new ManifestError(src, f, "must be an array of at least two groups of node names");
  const seen = new Set<string>();
  const groups = v.map((g, j) => {
    if (!Array.isArray(g) || g.length === 0) throw new ManifestError(src, `${f}[${j}]`, "must be a non-empty array of node names");
    return g.map((n, k) => {
      if (typeof n !== "string" || !names.has(n)) throw new ManifestError(src, `${f}[${j}][${k}]`, `must name a node of the network (${[...names].join(", ")}), got ${JSON.stringify(n)}`);
      if (seen.has(n)) throw new ManifestError(src, `${f}[${j}][${k}]`, `lists ${n} a second time; groups must be disjoint`);
      seen.add(n);
      return n;
    });
  });
  // A node left out would stay connected to both sides and relay gossip across the cut.
  const missing = [...names].filter((n) => !seen.has(n));
  if (missing.length > 0) throw new ManifestError(src, f, `must place every node in a group; missing ${missing.join(", ")}`);
  return groups;
}

/**
 * Apply `step` to the model.
 * @throws {Error} (message without the manifest prefix) when the step cannot run in this state.
 */
export function applyToModel(m: NetworkModel, step: FaultStep): void {
  const need = (node: string, want: NodeState, hint: string) => {
    const st = m.nodes.get(node);
    if (st !== want) throw new Error(`${step.do} ${node}: ${node} is ${st ?? "unknown"}, must be ${want} (${hint})`);
  };
  const noPartition = () => {
    if (m.partitioned) throw new Error(`${step.do}: a partition is active; heal it first`);
  };
  switch (step.do) {
    case "wait":
      return;
    case "kill":
    case "stop":
      noPartition();
      need(step.node, "running", step.do === "kill" ? "restart it first" : "cont or restart it first");
      m.nodes.set(step.node, step.do === "kill" ? "killed" : "stopped");
      return;
    case "restart":
      need(step.node, "killed", "kill it first");
      m.nodes.set(step.node, "running");
      return;
    case "cont":
      need(step.node, "stopped", "stop it first");
      m.nodes.set(step.node, "running");
      return;
    case "snapshot":
      noPartition();
      need(step.node, "running", "snapshots are taken of a running node, briefly stopped");
      m.snapshots.add(step.node);
      return;
    case "restore":
      noPartition();
      if (!m.snapshots.has(step.node)) throw new Error(`restore ${step.node}: no earlier snapshot of ${step.node}`);
      if (m.nodes.get(step.node) === "stopped") throw new Error(`restore ${step.node}: ${step.node} is stopped; cont it first`);
      m.nodes.set(step.node, "running");
      return;
    case "partition":
    case "heal": {
      const down = [...m.nodes].filter(([, s]) => s !== "running").map(([n]) => n);
      // The admin RPC of a stopped or dead node cannot be asked to block or unblock anyone.
      if (down.length > 0) throw new Error(`${step.do}: every node must be running (${down.join(", ")} ${down.length > 1 ? "are" : "is"} not)`);
      if (step.do === "partition" && m.partitioned) throw new Error("partition: a partition is already active; heal it first");
      if (step.do === "heal" && !m.partitioned) throw new Error("heal: no partition is active");
      m.partitioned = step.do === "partition";
      return;
    }
  }
}

/**
 * Check a parsed JSON value as a manifest; `source` names it in errors.
 * @throws {ManifestError} naming the field at fault, or the step that cannot run.
 */
export function parseManifest(json: unknown, source: string): FaultManifest {
  if (!isObj(json)) throw new ManifestError(source, "(top level)", "must be a JSON object");
  noExtra(source, "(top level)", json, TOP);
  if (typeof json.name !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(json.name)) throw new ManifestError(source, "name", "must be a lowercase name (letters, digits, dashes)");
  if (json.description !== undefined && typeof json.description !== "string") throw new ManifestError(source, "description", "must be a string");
  const network = parseNetwork(source, json.network ?? {});
  const names = new Set(nodeNames(network));
  if (!Array.isArray(json.steps)) throw new ManifestError(source, "steps", "must be an array of steps");
  const steps = json.steps.map((s, i) => parseStep(source, i, s, names, network.blockTimeMs));
  const model = createModel(network);
  for (const [i, s] of steps.entries()) {
    try {
      applyToModel(model, s);
    } catch (e) {
      throw new ManifestError(source, `steps[${i}]`, `cannot run: ${(e as Error).message}`);
    }
  }
  const left = [...model.nodes].filter(([, s]) => s !== "running").map(([n]) => n);
  if (left.length > 0 || model.partitioned) {
    throw new ManifestError(source, "steps", `must end with every node running and no partition (left: ${[...left, ...(model.partitioned ? ["a partition"] : [])].join(", ")})`);
  }
  return {
    name: json.name,
    description: typeof json.description === "string" ? json.description : "",
    network,
    convergeSeconds: seconds(source, "convergeSeconds", json.convergeSeconds ?? 30, 1, 3600),
    steps,
  };
}

/**
 * Read and check a manifest file.
 * @throws {ManifestError} when it cannot be read, is not JSON, or is not a valid manifest.
 */
export function loadManifestFile(path: string): FaultManifest {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ManifestError(path, "(file)", `cannot be read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(path, "(file)", `is not JSON: ${(e as Error).message}`);
  }
  return parseManifest(json, path);
}
