/**
 * `harmony tx transfer --from-shard A --to-shard B --to ADDR --amount X --rpc URL --from KEY` (issue 10):
 * a transfer of X tokens signed with an account keystore (as `harmony staking` takes it) and sent to
 * shard A's node at `--rpc`. Within one shard it is a plain value transfer; across shards it is a call
 * of `crossShardTransfer(amount, to, toShardID)` on the cross-shard contract at 0x…f9 with msg.value =
 * amount (DESIGN §Sharding), which debits shard A now and is credited on shard B once the source block
 * is crosslinked. The RPC's chain id must be its network id + A (net_version + A), so a transfer is
 * never signed for the wrong shard. Prints the transaction hash and waits for the receipt (`--no-wait`
 * or `--wait 0` skips that); a refused call prints the node's reason and sends nothing.
 */
import type { Command } from "commander";
import { CX_ABI, CX_ADDRESS_BYTES } from "../execution/index.ts";
import { parseAnyAddress, toChecksumAddress } from "../crypto/index.ts";
import { abiTypeOf, encodeAbiParameters, functionSelector, functionSignature } from "../staking/index.ts";
import { rpcCall, toNumber } from "./_devnetRPC.ts";
import { parseDecimal18, parseIntFlag } from "./_parse.ts";
import { registerCommand } from "./_registry.ts";
import { type SenderOptions, loadAccountKey, sendCall } from "./_stakingClient.ts";
import { UsageError } from "./usageError.ts";

/** The raw options commander hands the action. */
interface TransferFlags {
  rpc: string;
  from: string;
  dataDir: string;
  passphraseFile?: string;
  fromShard: string;
  toShard: string;
  to: string;
  amount: string;
  wait: string | false;
  json?: boolean;
}

/** A checked `tx transfer` request. */
export interface TransferRequest {
  fromShard: number;
  toShard: number;
  /** Recipient (20 bytes). */
  to: Uint8Array;
  /** Wei. */
  amount: bigint;
  /** Seconds to wait for the receipt (0 = do not wait). */
  wait: number;
}

/** Largest shard id the contract's `uint32 toShardID` can carry. */
const MAX_SHARD_ID = 0xffff_ffff;

/**
 * Check the flags of `tx transfer`.
 * @throws {UsageError} naming the flag at fault.
 */
export function parseTransferFlags(f: Pick<TransferFlags, "rpc" | "fromShard" | "toShard" | "to" | "amount" | "wait">): TransferRequest {
  if (!/^https?:\/\/\S+$/.test(f.rpc)) throw new UsageError(`--rpc must be an http(s):// JSON-RPC URL of a shard-${f.fromShard} node, got "${f.rpc}"`);
  const fromShard = parseIntFlag("--from-shard", f.fromShard, 0, MAX_SHARD_ID);
  const toShard = parseIntFlag("--to-shard", f.toShard, 0, MAX_SHARD_ID);
  let to: Uint8Array;
  try {
    to = parseAnyAddress(f.to);
  } catch (e) {
    throw new UsageError(`--to: ${e instanceof Error ? e.message : String(e)}`);
  }
  const amount = parseDecimal18("--amount", f.amount);
  if (amount === 0n) throw new UsageError("--amount must be above 0");
  const wait = f.wait === false ? 0 : parseIntFlag("--wait", f.wait, 0, 3600);
  return { fromShard, toShard, to, amount, wait };
}

/** The call a transfer makes: the recipient itself within a shard, else the cross-shard contract. */
export function transferCall(r: Pick<TransferRequest, "fromShard" | "toShard" | "to" | "amount">): { to: Uint8Array; data: Uint8Array; value: bigint } {
  if (r.fromShard === r.toShard) return { to: r.to, data: new Uint8Array(0), value: r.amount };
  const fn = CX_ABI[0];
  const body = encodeAbiParameters(fn.inputs.map(abiTypeOf), [r.amount, r.to, BigInt(r.toShard)]);
  const data = new Uint8Array(4 + body.length);
  new DataView(data.buffer).setUint32(0, functionSelector(functionSignature(fn)));
  data.set(body, 4);
  return { to: CX_ADDRESS_BYTES, data, value: r.amount };
}

/**
 * @throws {UsageError} when the node at `rpc` does not serve shard `shardId` (chain id ≠ net_version + shardId).
 */
async function assertServesShard(rpc: string, shardId: number): Promise<void> {
  const [chainId, networkId] = await Promise.all([rpcCall(rpc, "eth_chainId", [], 10_000), rpcCall(rpc, "net_version", [], 10_000)]);
  const c = toNumber(chainId);
  const n = toNumber(networkId);
  if (c === undefined || n === undefined) throw new UsageError(`--rpc ${rpc}: eth_chainId ${JSON.stringify(chainId)} / net_version ${JSON.stringify(networkId)} are not numbers`);
  if (c !== n + shardId) {
    throw new UsageError(`--rpc ${rpc} serves chain id ${c}, which is shard ${c - n} of network ${n}, not --from-shard ${shardId} (chain id ${n + shardId})`);
  }
}

async function runTransfer(f: TransferFlags): Promise<void> {
  const req = parseTransferFlags(f);
  await assertServesShard(f.rpc, req.fromShard);
  const opts: SenderOptions = { rpc: f.rpc, from: f.from, dataDir: f.dataDir, wait: req.wait, ...(f.passphraseFile !== undefined ? { passphraseFile: f.passphraseFile } : {}) };
  const sk = await loadAccountKey(opts);
  const call = transferCall(req);
  const sent = await sendCall(opts, sk, call.to, call.data, call.value);
  const cross = req.fromShard !== req.toShard;
  if (f.json) {
    const line = { ...sent, gasUsed: sent.gasUsed?.toString(), to: toChecksumAddress(req.to), amount: req.amount.toString(), fromShard: req.fromShard, toShard: req.toShard };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } else {
    const outcome = sent.status ? ` ${sent.status} in block ${sent.blockNumber}` : "";
    const note = cross && sent.status === "success" ? ` (shard ${req.fromShard} → ${req.toShard}: credited on shard ${req.toShard} once block ${sent.blockNumber} is crosslinked)` : "";
    process.stdout.write(`transfer ${sent.hash}${outcome}${note}\n`);
  }
  if (sent.status === "reverted") process.exitCode = 1;
}

registerCommand((program: Command) => {
  const tx = program.command("tx").description("send transactions");
  tx.command("transfer")
    .description("transfer tokens to --to on --to-shard (a cross-shard transfer through the contract at 0x…f9 when the shards differ)")
    .requiredOption("--rpc <url>", "JSON-RPC URL of a node of --from-shard")
    .requiredOption("--from <keystore-or-address>", "account keystore file, or an address in <data-dir>/keystore")
    .requiredOption("--from-shard <id>", "shard the tokens leave (the shard of --rpc)")
    .requiredOption("--to-shard <id>", "shard they arrive on")
    .requiredOption("--to <address>", "recipient (0x… or one1…)")
    .requiredOption("--amount <tokens>", "amount in tokens (decimal, up to 18 fraction digits)")
    .option("--data-dir <dir>", "data directory holding keystore/", "./data")
    .option("--passphrase-file <file>", "passphrase source (else $HARMONY_PASSPHRASE, else a prompt)")
    .option("--wait <seconds>", "how long to wait for the receipt", "60")
    .option("--no-wait", "print the hash and do not wait for the receipt")
    .option("--json", "print JSON")
    .action(runTransfer);
});
