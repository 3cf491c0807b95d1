/**
 * Random perturbations for `make soak`: episodes (a fault, a pause, the recovery, a wait for blocks)
 * drawn from a seeded PRNG, so a failing sequence replays from its seed. The kinds of fault are those
 * the manifest's own steps use. At most one validator is faulty at a time, so a quorum stays up; a
 * validator put back on an old data dir refuses to sign from then on (the doppelganger guard's
 * start-up check), so it stays the one faulty validator for the rest of the soak.
 */
import { type FaultManifest, type FaultStep, type NetworkModel, applyToModel, nodeNames } from "./_manifest.ts";

/** Fault kinds a soak draws from. */
export type SoakKind = "kill" | "stop" | "partition" | "restore";

/** A PRNG (mulberry32) over a 32-bit seed: `next()` in [0, 1). */
export function createPRNG(seed: number): { next(): number; int(lo: number, hi: number): number; pick<T>(xs: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    pick<T>(xs: readonly T[]): T {
      if (xs.length === 0) throw new RangeError("pick from an empty list");
      return xs[int(0, xs.length - 1)] as T;
    },
  };
}

/** The fault kinds of a manifest's steps (all four when it has none). */
export function soakKinds(m: FaultManifest): SoakKind[] {
  const kinds = new Set<SoakKind>();
  for (const s of m.steps) {
    if (s.do === "kill" || s.do === "restart") kinds.add("kill");
    if (s.do === "stop" || s.do === "cont") kinds.add("stop");
    if (s.do === "partition" || s.do === "heal") kinds.add("partition");
    if (s.do === "snapshot" || s.do === "restore") kinds.add("restore");
  }
  return kinds.size > 0 ? [...kinds] : ["kill", "stop", "partition", "restore"];
}

/** State a soak keeps between episodes. */
export interface SoakState {
  model: NetworkModel;
  /** The validator that may be faulty (fixed once one was restored from an old data dir). */
  silenced: string | undefined;
}

/**
 * The next episode. Every step is checked against the model, so the runner never gets an
 * impossible step.
 */
export function randomEpisode(rng: ReturnType<typeof createPRNG>, m: FaultManifest, kinds: readonly SoakKind[], st: SoakState): FaultStep[] {
  const names = nodeNames(m.network);
  const validators = names.slice(0, m.network.validators);
  const rpcNodes = names.slice(m.network.validators);
  const pool = st.silenced ? [st.silenced, ...rpcNodes] : names;
  const kind = rng.pick(kinds);
  const blockS = m.network.blockTimeMs / 1000;
  const pause = (): FaultStep => ({ do: "wait", seconds: Math.max(1, Math.round(rng.int(2, 10) * blockS)) });
  const blocks = (n: number): FaultStep => ({ do: "wait", blocks: n, withinSeconds: m.convergeSeconds + 60 + n * blockS * 3 });
  let steps: FaultStep[];
  switch (kind) {
    case "kill": {
      const node = rng.pick(pool);
      steps = [{ do: "kill", node }, pause(), { do: "restart", node }, blocks(rng.int(2, 5))];
      break;
    }
    case "stop": {
      const node = rng.pick(pool);
      steps = [{ do: "stop", node }, pause(), { do: "cont", node }, blocks(rng.int(2, 5))];
      break;
    }
    case "restore": {
      const node = rng.pick(pool);
      if (validators.includes(node)) st.silenced = node;
      steps = [{ do: "snapshot", node }, blocks(rng.int(3, 8)), { do: "restore", node }, blocks(rng.int(2, 5))];
      break;
    }
    case "partition": {
      // Either one validator (or the silenced one) cut off, or halves with no quorum on either side.
      const lone = rng.pick(st.silenced ? [st.silenced] : validators);
      const halves = !st.silenced && validators.length >= 4 && rng.next() < 0.5;
      const shuffled = [...names];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
      }
      const groups = halves
        ? [shuffled.slice(0, Math.floor(names.length / 2)), shuffled.slice(Math.floor(names.length / 2))]
        : [names.filter((n) => n !== lone), [lone]];
      steps = [{ do: "partition", groups }, pause(), { do: "heal" }, blocks(rng.int(2, 5))];
      break;
    }
  }
  for (const s of steps) applyToModel(st.model, s);
  return steps;
}
