/**
 * `harmony init --network FILE --data-dir D`: write the config of a node joining a network
 * (_initConfig.ts) instead of passing the network file to `harmony node` on every start.
 */
import type { Command } from "commander";
import { registerCommand } from "./_registry.ts";
import { parseHost, parseIntFlag } from "./_parse.ts";
import { loadNetworkFile } from "./_networkFile.ts";
import { writeInitFiles } from "./_initConfig.ts";
import { UsageError } from "./usageError.ts";

interface InitFlags {
  network: string;
  dataDir: string;
  shard: string;
  host: string;
  port: string;
  blsKeystore?: string[];
  passphraseFile?: string;
  format: string;
}

registerCommand((program: Command) => {
  program
    .command("init")
    .description(
      "write D/config.json (run it with `harmony node --config D/config.json`), D/genesis.json and D/config.README.txt for a node " +
        "joining the network of a network.json (`harmony network export`). JSON has no comments: config.README.txt explains each " +
        "field; --format toml writes D/config.toml with the notes as comments instead. An existing config is never overwritten.",
    )
    .requiredOption("--network <file>", "network.json from `harmony network export`")
    .requiredOption("--data-dir <dir>", "the node's data directory (created when missing)")
    .option("--shard <id>", "the shard a node without keys serves", "0")
    .option("--host <host>", "listen address (use 0.0.0.0 to serve other machines)", "127.0.0.1")
    .option("--port <port>", "port for RPC, WebSocket, p2p, metrics", "9500")
    .option("--bls-keystore <file>", "an EIP-2335 BLS keystore to validate with (repeatable)", (v: string, acc: string[] = []) => [...acc, v])
    .option("--passphrase-file <file>", "the file holding the keystores' passphrase")
    .option("--format <format>", "config format: json (with config.README.txt) | toml (commented)", "json")
    .action((f: InitFlags) => {
      if (f.format !== "json" && f.format !== "toml") throw new UsageError(`--format must be json or toml, got "${f.format}"`);
      const net = loadNetworkFile(f.network);
      const files = writeInitFiles(net, f.network, {
        dataDir: f.dataDir, host: parseHost(f.host), port: parseIntFlag("--port", f.port, 0, 65535), shardId: parseIntFlag("--shard", f.shard, 0, 1023),
        blsKeystores: f.blsKeystore ?? [], passphraseFile: f.passphraseFile ?? "",
      }, f.format);
      const wrote = [files.config, files.genesis, ...(files.readme ? [files.readme] : [])].map((p) => `wrote ${p}\n`).join("");
      process.stdout.write(`${wrote}run: harmony node --config ${files.config}\n`);
    });
});
