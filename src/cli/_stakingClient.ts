/**
 * Sending a call to a system contract from the command line: the account key from a keystore
 * (decrypted with the usual passphrase sources), fees and gas from the node (eth_gasPrice,
 * eth_maxPriorityFeePerGas, eth_estimateGas — which also surfaces a revert reason before anything is
 * sent), an EIP-1559 transaction signed locally, then the receipt awaited; and reading staking answers
 * with their big amounts exact.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { signFeeMarketTransaction } from "../core/index.ts";
import { decryptAccountKeystore, getKeystoreKind, parseAnyAddress, privateKeyToAddress, toChecksumAddress } from "../crypto/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import { RPCCallError, rpcCall } from "./_devnetRPC.ts";
import { keystoreDir, listKeys } from "./_keystoreFiles.ts";
import { readPassphrase } from "./_passphrase.ts";
import { UsageError } from "./usageError.ts";

/** Options shared by every sending command. */
export interface SenderOptions {
  rpc: string;
  from: string;
  dataDir: string;
  passphraseFile?: string;
  /** Seconds to wait for the receipt (0 = do not wait). */
  wait: number;
}

/** The result of a sent call. */
export interface SentCall {
  hash: string;
  from: string;
  status?: "success" | "reverted";
  blockNumber?: number;
  gasUsed?: bigint;
}

/**
 * The account's secret key: `from` is a keystore file, or an address whose keystore is in the data dir.
 * @throws {UsageError} when no such keystore exists or it is not an account keystore.
 */
export async function loadAccountKey(opts: Pick<SenderOptions, "from" | "dataDir" | "passphraseFile">): Promise<Uint8Array> {
  let file = opts.from;
  if (!existsSync(file)) {
    let want: string;
    try {
      want = toChecksumAddress(parseAnyAddress(opts.from)).toLowerCase();
    } catch {
      throw new UsageError(`--from "${opts.from}" is neither a keystore file nor an address (0x… / one1…)`);
    }
    const entry = (await listKeys(keystoreDir(opts.dataDir))).find((e) => e.type === "account" && e.id.toLowerCase() === want);
    if (!entry) throw new UsageError(`no account ${opts.from} in ${keystoreDir(opts.dataDir)}`);
    file = entry.file;
  }
  const text = await readFile(file, "utf8");
  if (getKeystoreKind(text) !== "account") throw new UsageError(`${file} is not an account (Web3 v3) keystore`);
  return decryptAccountKeystore(text, await readPassphrase(opts, { prompt: `Passphrase of ${file}: ` }));
}

const quantity = (v: unknown, what: string): bigint => {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]+$/.test(v)) throw new RPCCallError(`${what}: not a quantity: ${String(v)}`);
  return BigInt(v);
};

/**
 * Sign and send a call of `data` with `value` to `to`, then wait for its receipt.
 * @throws {RPCCallError} on a node error, including the revert reason eth_estimateGas reports.
 */
export async function sendCall(opts: SenderOptions, sk: Uint8Array, to: Uint8Array, data: Uint8Array, value: bigint): Promise<SentCall> {
  const from = toChecksumAddress(privateKeyToAddress(sk));
  const call = { from, to: bytesToHex(to), data: bytesToHex(data), value: `0x${value.toString(16)}` };
  const [chainId, nonce, gasPrice, tip] = await Promise.all([
    rpcCall(opts.rpc, "eth_chainId", [], 10_000),
    rpcCall(opts.rpc, "eth_getTransactionCount", [from, "pending"], 10_000),
    rpcCall(opts.rpc, "eth_gasPrice", [], 10_000),
    rpcCall(opts.rpc, "eth_maxPriorityFeePerGas", [], 10_000),
  ]);
  const estimate = quantity(await rpcCall(opts.rpc, "eth_estimateGas", [call], 30_000), "eth_estimateGas");
  const price = quantity(gasPrice, "eth_gasPrice");
  const { raw } = signFeeMarketTransaction(
    {
      chainId: quantity(chainId, "eth_chainId"),
      nonce: quantity(nonce, "eth_getTransactionCount"),
      to,
      value,
      data,
      gasLimit: estimate + estimate / 5n, // headroom: state may move between estimate and inclusion
      maxFeePerGas: price * 2n,
      maxPriorityFeePerGas: quantity(tip, "eth_maxPriorityFeePerGas"),
    },
    sk,
  );
  const hash = (await rpcCall(opts.rpc, "eth_sendRawTransaction", [bytesToHex(raw)], 10_000)) as string;
  const out: SentCall = { hash, from };
  if (opts.wait <= 0) return out;
  const until = Date.now() + opts.wait * 1000;
  while (Date.now() < until) {
    const r = (await rpcCall(opts.rpc, "eth_getTransactionReceipt", [hash], 10_000)) as { status?: string; blockNumber?: string; gasUsed?: string } | null;
    if (r) return { ...out, status: r.status === "0x1" ? "success" : "reverted", blockNumber: Number(r.blockNumber), gasUsed: BigInt(r.gasUsed ?? "0x0") };
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new RPCCallError(`transaction ${hash} sent, but no receipt within ${opts.wait} s`);
}

/** Parse JSON keeping every integer beyond 2^53 exact, as a bigint (staking amounts are such numbers). */
export function parseJSONExact(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, ctx?: { source?: string }) => {
    if (typeof value !== "number" || Number.isSafeInteger(value) || ctx?.source === undefined || !/^-?\d+$/.test(ctx.source)) return value;
    return BigInt(ctx.source);
  });
}

/** JSON text with bigints written as exact numbers (the inverse of {@link parseJSONExact}). */
export function stringifyJSONExact(value: unknown, indent?: number): string {
  const raw = (JSON as unknown as { rawJSON(s: string): unknown }).rawJSON;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? raw(v.toString()) : v), indent);
}

/**
 * POST one JSON-RPC request and return its result with exact big integers.
 * @throws {RPCCallError} on a transport failure, a timeout, a non-JSON answer or an error object.
 */
export function rpcCallExact(url: string, method: string, params: unknown[] = [], timeoutMs = 10_000): Promise<unknown> {
  return rpcCall(url, method, params, timeoutMs, parseJSONExact);
}
