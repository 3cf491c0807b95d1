/**
 * `harmony network export --data-dir DIR`: print network.json (_networkFile.ts) of a devnet or a
 * node, the one file `harmony node --network FILE` needs to join it.
 */
import type { Command } from "commander";
import { registerCommand } from "./_registry.ts";
import { exportNetwork } from "./_networkFile.ts";

registerCommand((program: Command) => {
  const network = program.command("network").description("describe a network for nodes that join it");
  network
    .command("export")
    .description(
      "print network.json (version, networkId, genesis, bootnodes with node ids) to stdout. --data-dir is either a devnet dir " +
        "(`harmony devnet --data-dir DIR`: every nodeN/config.json becomes a bootnode of its shard) or one node's data dir holding " +
        "config.json (that node becomes the bootnode). Hosts are the configs' (p2pAdvertiseUrl when set): export from a config with " +
        "a public host or advertise URL for peers on other machines.",
    )
    .requiredOption("--data-dir <dir>", "devnet dir or node data dir")
    .action((f: { dataDir: string }) => {
      process.stdout.write(`${JSON.stringify(exportNetwork(f.dataDir), null, 2)}\n`);
    });
});
