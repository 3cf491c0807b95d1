/** Helpers of the simulation tests: seeded runs that report their seed, and the liveness bound. */
import { viewChangeTimeout } from "../../../src/consensus/index.ts";
import { type SimOptions, Simulation } from "./simulation.ts";

/** Seed of a scenario: fixed for reproducibility, overridable with SIM_SEED. */
export function seedOf(fallback: number): number {
  const env = typeof process !== "undefined" ? process.env.SIM_SEED : undefined;
  return env ? Number(env) : fallback;
}

/** Create, run `body`, and on any failure print the seed and the node states before rethrowing. */
export async function withSim(opts: SimOptions, body: (sim: Simulation) => void | Promise<void>): Promise<Simulation> {
  const sim = await Simulation.create(opts);
  try {
    sim.start();
    await body(sim);
    return sim;
  } catch (e) {
    console.error(`simulation failed: seed=${opts.seed} (rerun with SIM_SEED=${opts.seed}) at t=${Math.round(sim.now)} ms`);
    for (const n of sim.nodes) console.error(`  node ${n.id}: height ${n.state.height} view ${n.state.view} ${n.state.mode}/${n.state.phase}${n.crashed ? " crashed" : ""}`);
    throw e;
  }
}

/** Virtual time of `views` consecutive failed views: Σ timeout(k), k = 0..views-1. */
export function viewsTime(baseMs: number, views: number): number {
  let t = 0;
  for (let k = 0; k < views; k++) t += viewChangeTimeout(baseMs, k);
  return t;
}

/**
 * After the network heals: every live honest node commits a new block within `maxViews` views.
 * Returns the virtual time it took and the most view changes any node went through meanwhile.
 */
export function expectRecovery(sim: Simulation, maxViews: number): { ms: number; views: number } {
  const start = sim.now;
  const target = sim.maxHeight() + 1n;
  const before = sim.nodes.map((n) => n.viewChanges);
  const bound = viewsTime(sim.opts.viewChangeBaseMs, maxViews) + 10 * (sim.opts.blockTimeMs + 4 * (sim.opts.delayMs + sim.opts.jitterMs));
  const ok = sim.runUntil(() => sim.minHeight() >= target, sim.now + bound);
  const views = Math.max(...sim.nodes.map((n, i) => n.viewChanges - (before[i] as number)));
  if (!ok) throw new Error(`no commit within ${maxViews} views (${bound} ms) after healing: heights ${sim.honest.map((n) => n.height).join(",")}`);
  if (views > maxViews) throw new Error(`recovery took ${views} views, bound ${maxViews}`);
  return { ms: sim.now - start, views };
}
