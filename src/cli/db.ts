/**
 * `harmony db backup --data-dir D OUT`: a consistent copy of a node's stores (the top-level chain and
 * each `shards/<id>/chain`), taken while the node may be running, plus the consensus safety records a
 * node needs to restart from the copy. Keys (node key, BLS keystores) are never copied.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { registerCommand } from "./_registry.ts";
import { UsageError } from "./usageError.ts";
import { backupStore, STORE_FILE } from "../store/index.ts";

/** What one `db backup` copied, relative to OUT. */
export interface BackupReport {
  stores: string[];
  files: string[];
}

// The node-relative directories holding a store and its safety record: "" for the home shard, then shards/<id>.
function nodeRoots(dataDir: string): string[] {
  const roots = [""];
  const shards = join(dataDir, "shards");
  if (existsSync(shards)) {
    for (const id of readdirSync(shards).sort()) {
      if (/^\d+$/.test(id) && existsSync(join(shards, id, "chain", STORE_FILE))) roots.push(join("shards", id));
    }
  }
  return roots;
}

function isEmptyOrMissing(dir: string): boolean {
  if (!existsSync(dir)) return true;
  return statSync(dir).isDirectory() && readdirSync(dir).length === 0;
}

/**
 * Back up the data directory `dataDir` into `out` (missing or empty), keeping the relative layout.
 * @throws {UsageError} when `dataDir` is not a node data directory or `out` is not empty.
 * @throws {StoreError} when a store cannot be copied.
 */
export function backupDataDir(dataDir: string, out: string): BackupReport {
  const d = resolve(dataDir);
  const o = resolve(out);
  if (!existsSync(join(d, "chain", STORE_FILE))) throw new UsageError(`--data-dir ${d} is not a node data directory (no chain/${STORE_FILE})`);
  if (!isEmptyOrMissing(o)) throw new UsageError(`backup target ${o} must not exist or be an empty directory`);
  if (o === d || o.startsWith(`${d}/`)) throw new UsageError(`backup target ${o} must lie outside --data-dir ${d}`);
  const report: BackupReport = { stores: [], files: [] };
  for (const root of nodeRoots(d)) {
    const store = join(root, "chain", STORE_FILE);
    backupStore(join(d, store), join(o, store));
    report.stores.push(store);
    // The safety record keeps a restarted validator from signing twice in a view it already signed.
    const safety = join(root, "consensus", "safety.rlp");
    if (existsSync(join(d, safety))) {
      mkdirSync(join(o, root, "consensus"), { recursive: true });
      copyFileSync(join(d, safety), join(o, safety));
      report.files.push(safety);
    }
  }
  return report;
}

registerCommand((program: Command) => {
  const db = program.command("db").description("maintain a node's data directory");
  db.command("backup")
    .description(
      "copy a node's stores (consistent, while it runs) and consensus safety records into OUT; keys (node key, BLS keystores) are NOT copied",
    )
    .argument("<out>", "target directory: must not exist or be empty")
    .requiredOption("--data-dir <dir>", "the node's data directory")
    .action((out: string, opts: { dataDir: string }) => {
      const report = backupDataDir(opts.dataDir, out);
      process.stdout.write(`${JSON.stringify({ out: resolve(out), ...report })}\n`);
    });
});
