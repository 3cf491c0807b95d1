/**
 * `harmony node`: run a node. `--dev` runs a one-validator chain with the funded development
 * accounts (DESIGN §4); `--config FILE` runs a node of a multi-validator network (_nodeConfig.ts);
 * JSON-RPC at http://HOST:PORT/, WebSocket at ws://HOST:PORT/ws.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { BLSBackendName } from "../crypto/index.ts";
import { getRuntimeAdapter } from "../adapter/index.ts";
import { parseGenesisJSON, type GenesisSpec } from "../core/index.ts";
import { createDevNodeGenesis, startDevNode, superviseNode } from "../node/index.ts";
import { createLogger } from "../util/logger.ts";
import { registerCommand } from "./_registry.ts";
import { UsageError } from "./usageError.ts";
import { parseDurationMs, parseHost, parseIntFlag } from "./_parse.ts";
import { addRPCOptions, rpcSettingsFromFlags } from "./_rpcOptions.ts";
import { addP2POptions, p2pSettingsFromFlags } from "./_p2pOptions.ts";
import { type ConfigOverrides, NodeStoppedError, announceServing, runNodeConfig, runValidatorCommand, useNodeLogStream } from "./_validatorCommand.ts";
import { loadNetworkFile, nodeConfigFromNetwork } from "./_networkFile.ts";
import { bindEnv, chosen } from "./_envOptions.ts";

interface NodeFlags {
  dev?: boolean;
  config?: string;
  network?: string;
  shard?: string;
  blsKeystore?: string[];
  passphraseFile?: string;
  dataDir: string;
  host: string;
  port: string;
  genesis?: string;
  blockTime?: string;
}

function loadGenesis(path: string): GenesisSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read --genesis ${path}: ${(e as Error).message}`);
  }
  try {
    return parseGenesisJSON(JSON.parse(text));
  } catch (e) {
    throw new UsageError(`invalid genesis file ${path}: ${(e as Error).message}`);
  }
}

registerCommand((program: Command) => {
  const node = program
    .command("node")
    .description("run a node: --network FILE (join a network from its network.json), --config FILE (a validator or RPC node of a network) or --dev (a one-validator development chain)")
    .option("--dev", "one-validator development chain with the funded dev accounts")
    .option("--config <file>", "node config file, JSON or TOML (.toml): dataDir, host, port, genesis, blsKeystores, passphraseFile, nodeKeyFile, bootnodes")
    .option("--network <file>", "network.json from `harmony network export`: join that network as an RPC node (a validator with --bls-keystore)")
    .option("--shard <id>", "with --network: the shard a node without keys serves", "0")
    .option("--bls-keystore <file>", "with --network: an EIP-2335 BLS keystore to validate with (repeatable)", (v: string, acc: string[] = []) => [...acc, v])
    .option("--passphrase-file <file>", "with --network: the file holding the keystores' passphrase")
    .option("--data-dir <dir>", "data directory (store, keys)", "./data")
    .option("--host <host>", "listen address (use 0.0.0.0 to serve other machines)", "127.0.0.1")
    .option("--port <port>", "port for RPC, WebSocket, p2p, metrics", "9500")
    .option("--genesis <file>", "genesis JSON (default with --dev: the dev genesis)")
    .option("--block-time <seconds>", "block interval (default: the chain config's)");
  // With --config, a flag given here wins over the file's "rpc" object, which wins over the default.
  addP2POptions(node);
  addRPCOptions(node);
  // Every flag also as HARMONY_<FLAG> (--dev stays a command-line choice).
  bindEnv(node, ["--dev"])
    .action(async (f: NodeFlags, cmd: Command) => {
      const rpc = rpcSettingsFromFlags(cmd.opts());
      const p2p = p2pSettingsFromFlags(cmd.opts());
      const given = (k: string) => chosen(cmd, k);
      const networkOnly = ["shard", "blsKeystore", "passphraseFile"].filter(given);
      if (f.network === undefined && networkOnly.length > 0) throw new UsageError("--shard, --bls-keystore and --passphrase-file need --network FILE");
      if (f.config !== undefined || f.network !== undefined) {
        if (f.dev) throw new UsageError(`--dev and --${f.config !== undefined ? "config" : "network"} cannot be combined`);
        if (f.config !== undefined && f.network !== undefined) throw new UsageError("--config and --network cannot be combined: choose one");
        const globals = cmd.parent?.opts<{ blsBackend?: string }>() ?? {};
        const bls = globals.blsBackend ?? "auto";
        if (bls !== "auto" && bls !== "native" && bls !== "wasm") throw new UsageError(`--bls-backend must be auto, native or wasm, got "${bls}"`);
        const o: ConfigOverrides = { logFormatFromCLI: cmd.parent !== null && chosen(cmd.parent, "logFormat"), rpc, p2p, blsBackend: bls as BLSBackendName | "auto" };
        if (f.network !== undefined) {
          const net = loadNetworkFile(f.network);
          const cfg = nodeConfigFromNetwork(net, f.network, {
            dataDir: f.dataDir, host: parseHost(f.host), port: parseIntFlag("--port", f.port, 0, 65535), shardId: parseIntFlag("--shard", f.shard ?? "0", 0, 1023),
            blsKeystores: f.blsKeystore ?? [], passphraseFile: f.passphraseFile ?? "",
          });
          return runNodeConfig(cfg, f.network, o);
        }
        return runValidatorCommand(f.config as string, {
          ...(given("port") ? { port: parseIntFlag("--port", f.port, 0, 65535) } : {}),
          ...(given("dataDir") ? { dataDir: f.dataDir } : {}),
          ...(given("host") ? { host: parseHost(f.host) } : {}),
          ...o,
        });
      }
      if (!f.dev) throw new UsageError("choose --network FILE (join a network), --config FILE (a node of a network) or --dev (a one-validator development chain)");
      if (Object.keys(p2p).length > 0) throw new UsageError("--rpc-admin, --p2p-advertise-url and --p2p-block need --config: a --dev node has no peers");
      const genesis = f.genesis ? loadGenesis(f.genesis) : createDevNodeGenesis();
      const port = parseIntFlag("--port", f.port, 0, 65535);
      const host = parseHost(f.host);
      const blockTimeMs = f.blockTime !== undefined ? parseDurationMs("--block-time", f.blockTime, 100, 3_600_000) : undefined;
      const adapter = await getRuntimeAdapter();
      useNodeLogStream();
      const log = createLogger("node");
      const supervisor = superviseNode({}, {
        onSignal: (fn) => adapter.onSignal(fn), onUncaughtError: (fn) => adapter.onUncaughtError(fn), exit: (code) => process.exit(code),
        setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>), logger: log,
      });
      let node: Awaited<ReturnType<typeof startDevNode>>;
      try {
        node = await startDevNode(
          { dataDir: f.dataDir, genesis, host, port, rpc, ...(blockTimeMs !== undefined ? { blockTimeMs } : {}) },
          { adapter, logger: log, onFatal: (e) => supervisor.fatal("store write failed", e) },
        );
      } catch (e) {
        supervisor.detach();
        throw e;
      }
      const chainId = node.chain.config.chainId(0);
      announceServing(log, { rpc: node.url, ws: node.wsUrl, chainId }, `RPC  ${node.url}\nWS   ${node.wsUrl}\nchainId ${chainId}\n`);
      supervisor.attach(node);
      if ((await supervisor.done) !== 0) throw new NodeStoppedError("the node stopped after a fatal error (see the fatal: line above)");
    });
});
