/**
 * Runs the node processes of a devnet: spawns one per node, keeps `devnet.json` current (a pid turns
 * `null` when its process exits), waits until each serves HTTP, and stops them all (SIGTERM, then
 * SIGKILL after a grace period). It restarts nothing by itself.
 */
import { join } from "node:path";
import { NODE_LOG_FILE } from "./_devnetConfig.ts";
import type { DevnetNodeEndpoints } from "./_devnetConfig.ts";
import { DevnetError, DevnetErrorCode } from "./_devnetErrors.ts";
import type { LaunchCommand } from "./_devnetLaunch.ts";
import { buildManifest, saveManifest } from "./_devnetManifest.ts";
import { logTail, spawnNode } from "./_devnetProcess.ts";
import type { ExitStatus, NodeProcess } from "./_devnetProcess.ts";

/** Options of {@link DevnetSupervisor}. */
export interface SupervisorOptions {
  dir: string;
  networkId: number;
  endpoints: readonly DevnetNodeEndpoints[];
  launch: LaunchCommand;
  /** Global `harmony` flags placed before `node` (e.g. `--bls-backend wasm`). */
  globalArgs: string[];
  /** More `harmony node` flags after `--config FILE` (e.g. `--rpc-admin`). */
  nodeArgs?: string[];
  /** SIGTERM → SIGKILL delay when stopping. */
  graceMs: number;
  /** Called when a node process exits while the devnet runs (not when the supervisor stops it). */
  onExit?: (name: string, status: ExitStatus) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The processes of one devnet run. */
export class DevnetSupervisor {
  readonly #opts: SupervisorOptions;
  readonly #procs = new Map<string, NodeProcess>();
  #stopping = false;

  constructor(opts: SupervisorOptions) {
    this.#opts = opts;
  }

  /** The running processes by node name. */
  get processes(): ReadonlyMap<string, NodeProcess> {
    return this.#procs;
  }

  /** Rewrite `devnet.json` from the processes' current state. */
  saveManifest(): void {
    const pids = new Map<string, number | null>();
    for (const [name, p] of this.#procs) pids.set(name, p.exitStatus() ? null : p.pid);
    saveManifest(this.#opts.dir, buildManifest(this.#opts.networkId, this.#opts.endpoints, pids));
  }

  /**
   * Spawn every node and record the pids in `devnet.json`.
   * @throws {Error} when a process cannot be spawned (the ones already started are stopped).
   */
  async spawnAll(): Promise<void> {
    try {
      for (const e of this.#opts.endpoints) {
        const p = spawnNode({
          name: e.name,
          launch: this.#opts.launch,
          args: [...this.#opts.globalArgs, "node", "--config", e.configFile, ...(this.#opts.nodeArgs ?? [])],
          logFile: join(e.dataDir, NODE_LOG_FILE),
        });
        this.#procs.set(e.name, p);
        p.exited.then((status) => {
          if (this.#stopping) return;
          this.saveManifest();
          this.#opts.onExit?.(e.name, status);
        });
      }
    } catch (e) {
      await this.stopAll();
      throw e;
    }
    this.saveManifest();
  }

  /**
   * Wait until every node answers `GET /health`.
   * @throws {DevnetError} NODE_EXITED when a process ends first (with its log tail), NODE_NOT_READY on timeout.
   */
  async waitServing(timeoutMs: number, aborted: () => boolean = () => false): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(this.#opts.endpoints.map((e) => e.name));
    while (pending.size > 0 && !aborted()) {
      for (const e of this.#opts.endpoints) {
        if (!pending.has(e.name)) continue;
        const p = this.#procs.get(e.name);
        const st = p?.exitStatus();
        if (p && st) {
          throw new DevnetError(
            { code: DevnetErrorCode.NODE_EXITED, node: e.name, exitCode: st.code, signal: st.signal },
            `${e.name} exited during start-up (code ${st.code ?? "-"}, signal ${st.signal ?? "-"}); last lines of ${p.logFile}:\n${logTail(p.logFile)}`,
          );
        }
        try {
          const r = await fetch(`${e.rpc}health`, { signal: AbortSignal.timeout(500) });
          if (r.ok) pending.delete(e.name);
        } catch {
          // not listening yet
        }
      }
      if (pending.size === 0) break;
      if (Date.now() > deadline) {
        const name = [...pending][0] as string;
        const log = this.#procs.get(name)?.logFile ?? "";
        throw new DevnetError(
          { code: DevnetErrorCode.NODE_NOT_READY, node: name, timeoutMs },
          `${name} did not serve HTTP within ${timeoutMs / 1000}s; last lines of ${log}:\n${logTail(log)}`,
        );
      }
      await sleep(100);
    }
  }

  /** Stop every process (SIGTERM, SIGKILL after the grace period) and mark them stopped in `devnet.json`. */
  async stopAll(): Promise<void> {
    this.#stopping = true;
    await Promise.all([...this.#procs.values()].map((p) => p.stop(this.#opts.graceMs)));
    this.saveManifest();
  }
}
