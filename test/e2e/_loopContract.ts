// A contract whose code loops forever (JUMPDEST PUSH1 0 JUMP = 0x5b600056), deployed by a funded dev
// account with viem: the heaviest eth_call there is, since it runs until the gas cap or the timeout.
import { type Hex, createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** Runtime code of the loop. */
export const LOOP_RUNTIME = "0x5b600056";
// Init code: PUSH4 5b600056, PUSH1 0, MSTORE, PUSH1 4, PUSH1 28, RETURN → returns the 4 runtime bytes.
const LOOP_INIT = "0x635b6000566000526004601cf3" as Hex;
// Anvil/Hardhat account #0 of the `test … junk` mnemonic (funded on --dev and on devnets).
const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as Hex;

/**
 * Deploy the loop through the node at `rpcUrl`; resolves to its address once mined, after checking
 * that the deployed code is the loop.
 */
export async function deployLoop(rpcUrl: string, chainId = 31337): Promise<Hex> {
  const chain = defineChain({
    id: chainId,
    name: "harmony",
    nativeCurrency: { name: "ONE", symbol: "ONE", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const account = privateKeyToAccount(KEY0);
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
  const pub = createPublicClient({ chain, transport: http(rpcUrl) });
  const hash = await wallet.deployContract({ abi: [], bytecode: LOOP_INIT, gas: 100_000n });
  const receipt = await pub.waitForTransactionReceipt({ hash, timeout: 60_000, pollingInterval: 250 });
  const address = receipt.contractAddress;
  if (receipt.status !== "success" || !address) throw new Error(`loop deploy failed: ${receipt.status}`);
  const code = await pub.getCode({ address });
  if (code !== LOOP_RUNTIME) throw new Error(`deployed code ${code} is not the loop`);
  return address;
}

/** One JSON-RPC request with its wall time; `error` is the error object when the node answered one. */
export async function timedRPC(url: string, method: string, params: unknown[], timeoutMs = 30_000): Promise<{ ms: number; result?: unknown; error?: { code: number; message: string } }> {
  const t0 = performance.now();
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await r.json()) as { result?: unknown; error?: { code: number; message: string } };
  return { ms: performance.now() - t0, ...body };
}
