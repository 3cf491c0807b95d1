/**
 * Everything `harmony devnet` does before it starts processes: refuse a data dir that already runs, wipe
 * it for `--fresh`, create or reuse keys and genesis, check that reused files match the flags and that
 * the ports are free, and write the node configs of this run.
 */
import type { BLS } from "../crypto/index.ts";
import { createDevnetFiles, wipeDevnetDir } from "./_devnetCreate.ts";
import { writeNodeConfigs } from "./_devnetConfig.ts";
import type { DevnetNodeEndpoints } from "./_devnetConfig.ts";
import { DevnetError, DevnetErrorCode } from "./_devnetErrors.ts";
import { loadDevnetLayout } from "./_devnetLayout.ts";
import type { DevnetLayout } from "./_devnetLayout.ts";
import { loadManifest, manifestPids } from "./_devnetManifest.ts";
import type { DevnetLayoutFlag, DevnetOptions } from "./_devnetOptions.ts";
import { isPortFree, isProcessAlive } from "./_devnetProcess.ts";

/** A devnet ready to start. */
export interface PreparedDevnet {
  layout: DevnetLayout;
  endpoints: DevnetNodeEndpoints[];
  /** True when keys and genesis were written by this run. */
  created: boolean;
}

const FLAG_NAMES: Record<DevnetLayoutFlag, string> = {
  shards: "--shards",
  validators: "--validators",
  keysPerNode: "--keys-per-node",
  blockTimeMs: "--block-time",
  rpcNodes: "--rpc-nodes",
  epochBlocks: "--epoch-blocks",
  slots: "--slots",
};

/**
 * @throws {DevnetError} ALREADY_RUNNING when a pid of DIR's devnet.json is alive.
 */
export function assertNotRunning(dir: string): void {
  const m = loadManifest(dir);
  const alive = m ? manifestPids(m).filter(isProcessAlive) : [];
  if (alive.length > 0) {
    throw new DevnetError(
      { code: DevnetErrorCode.ALREADY_RUNNING, dir, pids: alive },
      `a devnet already runs in ${dir} (pids ${alive.join(", ")}); stop it first (Ctrl-C, or kill those pids)`,
    );
  }
}

/**
 * @throws {DevnetError} LAYOUT_MISMATCH when a flag typed on the command line differs from the saved layout.
 */
export function assertLayoutMatches(layout: DevnetLayout, opts: DevnetOptions): void {
  for (const flag of opts.explicit) {
    const saved = layout[flag];
    const given = opts[flag];
    if (saved !== given) {
      const show = (v: number) => (flag === "blockTimeMs" ? `${v / 1000}s` : String(v));
      throw new DevnetError(
        { code: DevnetErrorCode.LAYOUT_MISMATCH, flag: FLAG_NAMES[flag], saved: show(saved), given: show(given) },
        `${opts.dataDir} holds a devnet with ${FLAG_NAMES[flag]} ${show(saved)}, not ${show(given)}; add --fresh to recreate it (this deletes its chain data)`,
      );
    }
  }
}

/**
 * @throws {DevnetError} PORT_IN_USE for the first port in [basePort, basePort + count) that is taken.
 */
export async function assertPortsFree(basePort: number, count: number): Promise<void> {
  for (let port = basePort; port < basePort + count; port++) {
    if (!(await isPortFree(port))) {
      throw new DevnetError({ code: DevnetErrorCode.PORT_IN_USE, port }, `port ${port} on 127.0.0.1 is in use; pick another range with --base-port`);
    }
  }
}

/**
 * Prepare DIR for a run: see the module comment.
 * @throws {DevnetError} ALREADY_RUNNING, NOT_A_DEVNET_DIR, CORRUPT_DIR, LAYOUT_MISMATCH or PORT_IN_USE.
 */
export async function prepareDevnet(opts: DevnetOptions, ctx: { bls: () => Promise<BLS>; logFormat?: "pretty" | "json" }): Promise<PreparedDevnet> {
  assertNotRunning(opts.dataDir);
  if (opts.fresh) wipeDevnetDir(opts.dataDir);
  let layout = loadDevnetLayout(opts.dataDir);
  const created = layout === undefined;
  if (layout) assertLayoutMatches(layout, opts);
  await assertPortsFree(opts.basePort, layout ? layout.nodes.length : opts.shards * (opts.validators + opts.rpcNodes));
  layout ??= await createDevnetFiles(opts, await ctx.bls());
  const cfg: { basePort: number; logFormat?: "pretty" | "json" } = { basePort: opts.basePort };
  if (ctx.logFormat) cfg.logFormat = ctx.logFormat;
  return { layout, endpoints: writeNodeConfigs(opts.dataDir, layout, cfg), created };
}
