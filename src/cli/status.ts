/** `harmony status [--rpc URL] [--json] [--blocks N]`: one screen of a running node's facts, from its JSON-RPC. */
import type { Command } from "commander";
import { rpcCall } from "./_devnetRPC.ts";
import { parseIntFlag, parseRpcUrl } from "./_parse.ts";
import { registerCommand } from "./_registry.ts";
import { gatherStatus } from "./_statusFacts.ts";
import { formatStatus } from "./_statusFormat.ts";
import { UsageError } from "./usageError.ts";

/** Default endpoint: a node's JSON-RPC on its default port. */
export const DEFAULT_STATUS_RPC = "http://127.0.0.1:9500/";

/**
 * Print a node's status (screen or JSON) to stdout.
 * @throws {UsageError} for a bad flag; an Error naming the URL when the node does not answer.
 */
export async function runStatus(opts: { rpc: string; json: boolean; blocks: string }): Promise<void> {
  const rpc = parseRpcUrl(opts.rpc);
  const window = parseIntFlag("--blocks", opts.blocks, 1, 200);
  const call = (method: string, params: unknown[] = []) => rpcCall(rpc, method, params, 3000);
  try {
    await call("eth_blockNumber");
  } catch (e) {
    throw new Error(`cannot reach a node's JSON-RPC at ${rpc}: ${(e as Error).message}`);
  }
  const facts = await gatherStatus(call, rpc, window, Date.now());
  process.stdout.write(`${opts.json ? JSON.stringify(facts, null, 2) : formatStatus(facts)}\n`);
}

registerCommand((program: Command) => {
  program
    .command("status")
    .description("print a running node's status (head, epoch, committee signatures, keys, peers, sync, shards, staking) from its JSON-RPC")
    .option("--rpc <url>", "the node's JSON-RPC endpoint", DEFAULT_STATUS_RPC)
    .option("--json", "print the facts as JSON", false)
    .option("--blocks <n>", "recent blocks to count signatures and finality over (1..200)", "10")
    .action(runStatus);
});
