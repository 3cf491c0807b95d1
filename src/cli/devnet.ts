/**
 * `harmony devnet`: a local multi-validator network in one command (DESIGN §4). The first run (or
 * `--fresh`) writes BLS keys, node keys, a genesis whose committee of each shard is the keys of its
 * validators, and one config per node under the data dir; every run starts each shard's validators plus
 * non-validating RPC node(s) as `harmony node --config DIR/nodeI/config.json` on 127.0.0.1, keeps `DIR/devnet.json` current,
 * prints the RPC/WS URLs and a funded dev account, streams a status line every second, and stops every
 * process on Ctrl-C (exit 0).
 */
import type { Command } from "commander";
import { getRuntimeAdapter } from "../adapter/index.ts";
import { DEV_ACCOUNTS } from "../core/index.ts";
import { createBLS } from "../crypto/index.ts";
import { registerCommand } from "./_registry.ts";
import { UsageError } from "./usageError.ts";
import { isDevnetUsageError } from "./_devnetErrors.ts";
import { selfCommand } from "./_devnetLaunch.ts";
import { DEVNET_DEFAULTS, parseDevnetFlags } from "./_devnetOptions.ts";
import type { DevnetFlags, DevnetOptions } from "./_devnetOptions.ts";
import { prepareDevnet } from "./_devnetPrepare.ts";
import type { PreparedDevnet } from "./_devnetPrepare.ts";
import { StatusLine, pollDevnet } from "./_devnetStatus.ts";
import { DevnetSupervisor } from "./_devnetSupervisor.ts";
import { shardRPCNodes } from "./_devnetConfig.ts";
import { parseBLSBackend } from "./selftest.ts";

/** SIGTERM → SIGKILL delay when stopping nodes. */
const STOP_GRACE_MS = 10_000;
/** How long every node has to serve HTTP after it is spawned. */
const READY_TIMEOUT_MS = 90_000;
const STATUS_INTERVAL_MS = 1000;
const POLL_INTERVAL_MS = 250;

interface GlobalFlags {
  logFormat?: string;
  blsBackend?: string;
}

function banner(opts: DevnetOptions, p: PreparedDevnet): string {
  const { layout, endpoints } = p;
  const rpcNodes = shardRPCNodes(endpoints);
  const beacon = rpcNodes[0];
  const dev = DEV_ACCOUNTS[0];
  const multi = layout.shards > 1;
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const perShard = `${plural(layout.validators, "validator")} × ${plural(layout.keysPerNode, "BLS key")} + ${plural(layout.rpcNodes, "RPC node")}`;
  const chainIds = multi ? `chainIds ${layout.networkId}..${layout.networkId + layout.shards - 1}` : `chainId ${layout.networkId}`;
  const lines = [
    `devnet: ${multi ? `${layout.shards} shards × (${perShard})` : perShard}, block time ${layout.blockTimeMs / 1000}s, epochs of ${layout.epochBlocks} blocks electing ${layout.slots} slots${multi ? " per shard" : ""}, ${chainIds}` +
      ` (${p.created ? "new keys and genesis" : "reusing keys, genesis and chain data"} in ${opts.dataDir})`,
    `RPC  ${beacon?.rpc ?? "-"}`,
    `WS   ${beacon?.ws ?? "-"}`,
    ...(multi ? rpcNodes.map((e) => `shard ${e.shardId}  chainId ${layout.networkId + e.shardId}  RPC ${e.rpc}  WS ${e.ws}`) : []),
    `dev account #0  ${dev?.address ?? "-"}  private key ${dev?.privateKey ?? "-"}  (1,000,000 tokens${multi ? " on every shard" : ""}; never use it outside a devnet)`,
    ...endpoints.map((e) => `  ${e.name.padEnd(7)} ${multi ? `shard ${e.shardId} ` : ""}${e.validator ? "validator" : "rpc      "} ${e.rpc}  log ${e.dataDir}/node.log`),
    `nodes and pids: ${opts.dataDir}/devnet.json · Ctrl-C stops every node`,
  ];
  return `${lines.join("\n")}\n`;
}

async function runDevnet(opts: DevnetOptions, global: GlobalFlags, nodeArgs: string[]): Promise<void> {
  const adapter = await getRuntimeAdapter();
  const backend = parseBLSBackend(global.blsBackend);
  const logFormat = global.logFormat === "json" ? "json" : global.logFormat === "pretty" ? "pretty" : undefined;
  let signalled = false;
  let wake = () => {};
  const stopped = new Promise<void>((r) => (wake = r));
  const unsubscribe = adapter.onShutdownSignal(() => {
    signalled = true;
    wake();
  });
  let supervisor: DevnetSupervisor | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  // Exits during start-up are reported by the start-up error itself.
  let serving = false;
  try {
    const prepared = await prepareDevnet(opts, {
      bls: () => createBLS(backend === "auto" ? adapter.defaultBLSBackend : backend),
      ...(logFormat ? { logFormat } : {}),
    });
    if (signalled) return;
    supervisor = new DevnetSupervisor({
      dir: opts.dataDir,
      networkId: prepared.layout.networkId,
      endpoints: prepared.endpoints,
      launch: selfCommand(),
      globalArgs: backend === "auto" ? [] : ["--bls-backend", backend],
      nodeArgs,
      graceMs: STOP_GRACE_MS,
      onExit: (name, st) =>
        serving &&
        process.stderr.write(
          `${name} exited (code ${st.code ?? "-"}, signal ${st.signal ?? "-"}); not restarted. Restart it with: harmony node --config ${opts.dataDir}/${name}/config.json\n`,
        ),
    });
    await supervisor.spawnAll();
    await Promise.race([supervisor.waitServing(READY_TIMEOUT_MS, () => signalled), stopped]);
    if (signalled) return;
    serving = true;
    process.stdout.write(banner(opts, prepared));
    const line = new StatusLine();
    let polling = false;
    let lastPrint = 0;
    // Polled several times a second so the age of the last block is accurate; printed once a second.
    timer = setInterval(() => {
      if (polling || signalled) return;
      polling = true;
      pollDevnet(prepared.endpoints)
        .then((snap) => {
          const now = Date.now();
          const text = line.format(snap, now);
          if (signalled || now - lastPrint < STATUS_INTERVAL_MS - POLL_INTERVAL_MS / 2) return;
          lastPrint = now;
          process.stdout.write(`${text}\n`);
        })
        .finally(() => (polling = false));
    }, POLL_INTERVAL_MS);
    await stopped;
  } finally {
    if (timer) clearInterval(timer);
    if (supervisor) {
      process.stderr.write("stopping the devnet…\n");
      await supervisor.stopAll();
    }
    unsubscribe();
  }
}

registerCommand((program: Command) => {
  program
    .command("devnet")
    .description("run a local multi-validator network: keys, genesis and configs under --data-dir, one process per node, Ctrl-C stops all")
    .option("--shards <n>", "number of shards (shard 0 is the beacon chain; chain id of shard s = 31337 + s)", DEVNET_DEFAULTS.shards)
    .option("--validators <n>", "validator processes per shard", DEVNET_DEFAULTS.validators)
    .option("--keys-per-node <k>", "BLS keys held by each validator process", DEVNET_DEFAULTS.keysPerNode)
    .option("--block-time <seconds>", "block interval (e.g. 1, 0.5, 500ms)", DEVNET_DEFAULTS.blockTime)
    .option("--data-dir <dir>", "where keys, genesis, configs, chain data and devnet.json live", DEVNET_DEFAULTS.dataDir)
    .option("--base-port <port>", "node i listens on base-port + i (RPC, WS, p2p on one port)", DEVNET_DEFAULTS.basePort)
    .option("--rpc-nodes <m>", "non-validating RPC nodes per shard", DEVNET_DEFAULTS.rpcNodes)
    .option("--epoch-blocks <n>", "blocks per epoch (elections, rewards' epoch end)", DEVNET_DEFAULTS.epochBlocks)
    .option("--slots <k>", "BLS key slots elected per shard at each epoch end (EPoS K)", DEVNET_DEFAULTS.slots)
    .option("--fresh", "delete the data dir first: new keys, new genesis, empty chains")
    .option("--rpc-admin", "start every node with --rpc-admin (admin_ JSON-RPC for loopback clients)")
    .action(async (f: DevnetFlags, cmd: Command) => {
      const given = new Set(Object.keys(f).filter((k) => cmd.getOptionValueSource(k) === "cli"));
      const opts = parseDevnetFlags(f, given);
      try {
        await runDevnet(opts, cmd.optsWithGlobals<GlobalFlags>(), cmd.opts<{ rpcAdmin?: boolean }>().rpcAdmin === true ? ["--rpc-admin"] : []);
      } catch (e) {
        if (isDevnetUsageError(e)) throw new UsageError(e.message);
        throw e;
      }
    });
});
